// How each service turns one call into billable units.

/** Comprehend bills per started 100 characters, with a 3-unit minimum per request. */
export const COMPREHEND_MIN_UNITS = 3;
const COMPREHEND_CHARS_PER_UNIT = 100;

/** Characters as Comprehend counts them: code points, so an emoji is one character, not two. */
export function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** Units of one Comprehend request on this text. */
export function comprehendUnits(text: string): number {
  return Math.max(COMPREHEND_MIN_UNITS, Math.ceil(characterCount(text) / COMPREHEND_CHARS_PER_UNIT));
}

// Whole microseconds first, so 0.07 s is 70 ms and not 70.00000000000001 ms rounded up to 71.
const microseconds = (seconds: number) => Math.round(seconds * 1_000_000);

/** Step Functions Express bills duration in 100 ms steps and memory in 64 MB chunks. */
export function expressGbSeconds(seconds: number, memoryMb: number): number {
  const billedSeconds = Math.ceil(microseconds(seconds) / 100_000) / 10;
  const billedGb = (Math.ceil(memoryMb / 64) * 64) / 1024;
  return billedSeconds * billedGb;
}

/** Lambda bills per 1 ms at the configured memory. */
export function lambdaGbSeconds(seconds: number, memoryMb: number): number {
  return (Math.ceil(microseconds(seconds) / 1000) / 1000) * (memoryMb / 1024);
}

const EVENT_CHUNK_BYTES = 64 * 1024;
const TIME_FIELD_BYTES = 14;

export interface PublishedEntry {
  source: string;
  'detail-type': string;
  detail: unknown;
  resources?: readonly string[];
}

/**
 * EventBridge bills a PutEvents entry per started 64 KB, sized as AWS documents it: 14 bytes for
 * Time, plus the UTF-8 bytes of Source, DetailType, Detail (JSON) and each Resource.
 */
export function eventBridgeChunks(entry: PublishedEntry): number {
  const encoder = new TextEncoder();
  const bytes = (s: string) => encoder.encode(s).byteLength;
  let size = TIME_FIELD_BYTES + bytes(entry.source) + bytes(entry['detail-type']);
  size += bytes(JSON.stringify(entry.detail));
  for (const resource of entry.resources ?? []) size += bytes(resource);
  return Math.max(1, Math.ceil(size / EVENT_CHUNK_BYTES));
}
