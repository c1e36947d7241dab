// EventBridge's PutEvents entry size, as AWS documents it: 14 bytes for Time when given,
// plus the UTF-8 bytes of Source, DetailType, Detail (as JSON) and each Resource.
export const MAX_ENTRY_BYTES = 256 * 1024;

export interface SizedEntry {
  source: string;
  detailType: string;
  detailJson: string;
  resources: readonly string[];
  hasTime: boolean;
}

export function entrySize(entry: SizedEntry): number {
  let size = entry.hasTime ? 14 : 0;
  size += Buffer.byteLength(entry.source, 'utf8');
  size += Buffer.byteLength(entry.detailType, 'utf8');
  size += Buffer.byteLength(entry.detailJson, 'utf8');
  for (const resource of entry.resources) size += Buffer.byteLength(resource, 'utf8');
  return size;
}
