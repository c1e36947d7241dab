// One consistent view of the lake: the compacted segments to read, and the raw files no segment
// holds yet. Queries and compactions both start from one.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { listRawFiles, type RawFile } from './raw-files.js';
import {
  compactedDir,
  type LakeConfig,
  type LakeSchema,
  type LakeTableSpec,
  schemaFingerprint,
  sqlIdentifier,
  sqlString,
} from './schema.js';
import { readSegmentCatalog, type Segment } from './segment-catalog.js';

export interface LakeSnapshot {
  /** Segments built for the current table shapes. */
  segments: Segment[];
  /** Segments built for other shapes: their raw files are read instead, until they are rebuilt. */
  stale: Segment[];
  /** Raw files no current segment holds. */
  raw: RawFile[];
}

export function takeSnapshot(config: LakeConfig): LakeSnapshot {
  const catalog = readSegmentCatalog(config.root);
  const fingerprint = schemaFingerprint(config.schema);
  const dir = compactedDir(config.root);
  const segments: Segment[] = [];
  const stale: Segment[] = [];
  for (const segment of catalog.segments) {
    if (segment.fingerprint === fingerprint && existsSync(join(dir, segment.file))) segments.push(segment);
    else stale.push(segment);
  }
  const covered = new Set(segments.flatMap((s) => s.sources));
  const raw = listRawFiles(config.root, config.schema.layout.prefix).filter((f) => !covered.has(f.key));
  return { segments, stale, raw };
}

/** The raw files a table reads: those in its partitions. */
export function rawFilesOf(table: LakeTableSpec, files: readonly RawFile[]): RawFile[] {
  return files.filter((f) => Object.entries(table.partitionFilter).every(([k, v]) => f.partitions[k] === v));
}

/** Output columns of a table: data columns, then partition columns. */
export function tableColumnNames(table: LakeTableSpec): string[] {
  return [...table.columns.map((c) => c.name), ...table.partitionKeys];
}

const selectList = (table: LakeTableSpec) => tableColumnNames(table).map(sqlIdentifier).join(', ');

/**
 * The table's rows in raw NDJSON files, typed. A line that is not JSON (a truncated last line
 * after a crash, a write in flight) comes back from DuckDB as all NULLs and is dropped.
 */
export function rawSelectSql(schema: LakeSchema, table: LakeTableSpec, files: readonly RawFile[]): string {
  const columns = table.columns.map((c) => `${sqlString(c.name)}: ${sqlString(c.duckdbType)}`).join(', ');
  const hiveTypes = schema.layout.partitionKeys.map((k) => `${sqlString(k.name)}: 'VARCHAR'`).join(', ');
  const notEmpty = table.columns.map((c) => `${sqlIdentifier(c.name)} IS NULL`).join(' AND ');
  return (
    `SELECT ${selectList(table)} FROM read_json([${files.map((f) => sqlString(f.path)).join(', ')}], ` +
    `format = 'newline_delimited', columns = {${columns}}, hive_partitioning = true, ` +
    `hive_types = {${hiveTypes}}, ignore_errors = true) WHERE NOT (${notEmpty})`
  );
}

/** The table's rows in one attached segment. */
export function segmentSelectSql(table: LakeTableSpec, database: string): string {
  return `SELECT ${selectList(table)} FROM ${sqlIdentifier(database)}.${sqlIdentifier(table.name)}`;
}

/** No rows, the table's columns and types. */
export function emptySelectSql(table: LakeTableSpec): string {
  const columns = [
    ...table.columns.map((c) => `CAST(NULL AS ${c.duckdbType}) AS ${sqlIdentifier(c.name)}`),
    ...table.partitionKeys.map((k) => `CAST(NULL AS VARCHAR) AS ${sqlIdentifier(k)}`),
  ];
  return `SELECT ${columns.join(', ')} WHERE false`;
}
