// The list of compacted segments and the raw files each one holds. Replacing this one file is
// the commit of a compaction: readers see the old set or the new set, never half of one.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { compactedDir } from './schema.js';

const SegmentSchema = z.object({
  /** File name in the compacted folder. */
  file: z.string().regex(/^seg-[0-9a-z-]+\.duckdb$/),
  /** Keys (relative paths) of the raw files it holds. */
  sources: z.array(z.string().min(1)),
  rows: z.number().int().min(0),
  /** schemaFingerprint of the tables it was built for. */
  fingerprint: z.string().min(1),
  createdAtMs: z.number().int(),
});
export type Segment = z.infer<typeof SegmentSchema>;

const CatalogSchema = z.object({ version: z.literal(1), segments: z.array(SegmentSchema) });
export type SegmentCatalog = z.infer<typeof CatalogSchema>;

export const CATALOG_FILE = 'catalog.json';

/** The current catalog; none yet is an empty one. A damaged file is an error, never "empty". */
export function readSegmentCatalog(root: string): SegmentCatalog {
  const path = join(compactedDir(root), CATALOG_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, segments: [] };
    throw error;
  }
  const parsed = CatalogSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new Error(
      `${path} is damaged (${z.prettifyError(parsed.error)}); delete it and run: murmur lake compact`,
    );
  }
  return parsed.data;
}

/** Replaces the catalog atomically (write beside, then rename). */
export function writeSegmentCatalog(root: string, catalog: SegmentCatalog): void {
  const path = join(compactedDir(root), CATALOG_FILE);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(catalog, null, 1)}\n`);
  renameSync(tmp, path);
}
