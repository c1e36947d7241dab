// What the local engine needs to know about the lake: where records are, and the tables over them.
// The analytics service owns the actual contract (@murmur/analytics) and passes it in as data.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { type LakeLayout, partitionPrefix } from './layout.js';

export interface LakeColumn {
  name: string;
  /** DuckDB type, e.g. `VARCHAR`, `TIMESTAMP`, `STRUCT("author" STRUCT(...))`, `JSON`. */
  duckdbType: string;
}

export interface LakeTableSpec {
  /** e.g. `analysed-messages-table`. */
  name: string;
  /** Partition values the table is fixed to, e.g. `{ event_type: 'MESSAGE_ANALYSED' }`; {} for every record. */
  partitionFilter: Record<string, string>;
  /** Data columns, in order, with their types (`detail` a struct, or JSON text). */
  columns: LakeColumn[];
  /** Partition columns it exposes (the partition keys not fixed by the filter), all strings. */
  partitionKeys: string[];
}

export interface LakeSchema {
  /** Glue database name, e.g. `messages-data-lake`: also a schema of the local engine. */
  database: string;
  layout: LakeLayout;
  tables: LakeTableSpec[];
}

export interface LakeConfig {
  /** The lake root on disk, e.g. `MURMUR_HOME/lake`. */
  root: string;
  schema: LakeSchema;
  /** How long a writer appends to one raw file (decides when a file is sealed). @default 60 s */
  rotateAfterMs?: number;
}

export const DEFAULT_ROTATE_AFTER_MS = 60_000;

/** Where a table's records are, relative to the root (its Glue LOCATION under the bucket). */
export function tableLocation(layout: LakeLayout, table: LakeTableSpec): string {
  return partitionPrefix(layout, table.partitionFilter);
}

/** Compacted segments live beside the records, never among them. */
export function compactedDir(root: string): string {
  return join(root, 'compacted');
}

/** Changes whenever a table's shape does: segments built for another shape are rebuilt. */
export function schemaFingerprint(schema: LakeSchema): string {
  const shape = schema.tables.map((t) => [t.name, t.partitionFilter, t.columns, t.partitionKeys]);
  return createHash('sha256')
    .update(JSON.stringify([schema.layout, shape]))
    .digest('hex')
    .slice(0, 16);
}

/** A SQL string literal. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A double-quoted SQL identifier. */
export function sqlIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
