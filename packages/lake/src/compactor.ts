// Compaction: sealed raw NDJSON files become DuckDB segment files holding every table in its final
// shape, sorted by time. Raw files stay where they are (they are the lake, as on S3); a segment
// is an index of them that queries read instead. DuckDB's own storage rather than Parquet: it
// reads one nested field (the names of the people in each photo) without decoding the whole
// `detail` struct, about seven times faster than Parquet on the analysed messages.
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { endsMidLine, isProcessAlive, isSealed, listRawFiles } from './raw-files.js';
import {
  compactedDir,
  DEFAULT_ROTATE_AFTER_MS,
  type LakeConfig,
  type LakeTableSpec,
  schemaFingerprint,
  sqlIdentifier,
  sqlString,
} from './schema.js';
import { readSegmentCatalog, type Segment, writeSegmentCatalog } from './segment-catalog.js';
import { emptySelectSql, rawFilesOf, rawSelectSql, segmentSelectSql } from './snapshot.js';

export interface CompactOptions {
  now?: number;
  isAlive?: (pid: number) => boolean;
  /** DuckDB threads: 1 in the background of `murmur start`, so the bus keeps a core. */
  threads?: number;
  /** More segments than this and the smallest are merged into one. @default 8 */
  maxSegments?: number;
  /** Rebuild every segment from the raw files. */
  rebuild?: boolean;
}

export interface CompactionReport {
  /** Set when nothing was done, and why. */
  skipped?: string;
  /** Raw files newly held by a segment. */
  files: number;
  /** Records in them. */
  records: number;
  /** Segments merged into one, and segments dropped (built for other table shapes, or --rebuild). */
  merged: number;
  dropped: number;
  /** Segments after this compaction. */
  segments: number;
  warnings: string[];
}

const inProcess = new Set<string>();

export async function compactLake(
  config: LakeConfig,
  options: CompactOptions = {},
): Promise<CompactionReport> {
  const dir = compactedDir(config.root);
  mkdirSync(dir, { recursive: true });
  const report: CompactionReport = { files: 0, records: 0, merged: 0, dropped: 0, segments: 0, warnings: [] };
  const holder = acquireLock(dir, options.isAlive ?? isProcessAlive);
  if (holder !== undefined) {
    return { ...report, skipped: `another compaction is running (pid ${holder})` };
  }
  try {
    return await compactLocked(config, options, report);
  } finally {
    releaseLock(dir);
  }
}

async function compactLocked(
  config: LakeConfig,
  options: CompactOptions,
  report: CompactionReport,
): Promise<CompactionReport> {
  const dir = compactedDir(config.root);
  const fingerprint = schemaFingerprint(config.schema);
  const catalog = readSegmentCatalog(config.root);
  const present = new Set(readdirSync(dir));
  const keep: Segment[] = [];
  const remove: Segment[] = [];
  for (const segment of catalog.segments) {
    const usable = !options.rebuild && segment.fingerprint === fingerprint && present.has(segment.file);
    (usable ? keep : remove).push(segment);
  }
  report.dropped = remove.length;
  const covered = new Set(keep.flatMap((s) => s.sources));
  const rotateAfterMs = config.rotateAfterMs ?? DEFAULT_ROTATE_AFTER_MS;
  const sealOptions = {
    rotateAfterMs,
    ...(options.now !== undefined ? { now: options.now } : {}),
    ...(options.isAlive ? { isAlive: options.isAlive } : {}),
  };
  const fresh = listRawFiles(config.root, config.schema.layout.prefix).filter(
    (f) => !covered.has(f.key) && isSealed(f, sealOptions),
  );
  for (const file of fresh) {
    if (endsMidLine(file)) {
      report.warnings.push(`skipped a truncated last line in ${file.key} (its writer stopped mid-write)`);
    }
  }

  const duckdb = await import('@duckdb/node-api');
  const instance = await duckdb.DuckDBInstance.create(':memory:', {
    ...(options.threads ? { threads: String(options.threads) } : {}),
  });
  const connection = await instance.connect();
  try {
    await connection.run("SET TimeZone = 'UTC'");
    if (fresh.length > 0) {
      const segment = await buildSegment(connection, config, fingerprint, (table) => {
        const files = rawFilesOf(table, fresh).filter((f) => f.size > 0);
        return files.length > 0 ? rawSelectSql(config.schema, table, files) : emptySelectSql(table);
      });
      keep.push({ ...segment, sources: fresh.map((f) => f.key) });
      report.files = fresh.length;
      report.records = segment.rows;
    }
    const maxSegments = options.maxSegments ?? 8;
    if (keep.length > maxSegments) {
      const smallest = [...keep].sort((a, b) => a.rows - b.rows).slice(0, keep.length - maxSegments + 1);
      const merged = await mergeSegments(connection, config, fingerprint, smallest);
      for (const s of smallest) keep.splice(keep.indexOf(s), 1);
      keep.push(merged);
      remove.push(...smallest);
      report.merged = smallest.length;
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }

  if (report.files > 0 || report.merged > 0 || remove.length > 0) {
    writeSegmentCatalog(config.root, { version: 1, segments: keep });
  }
  // After the commit: readers of the old catalog that miss a file take a new snapshot.
  const live = new Set(keep.map((s) => s.file));
  for (const name of readdirSync(dir)) {
    const orphan = /^seg-.*\.duckdb(\.wal)?$/.test(name) && !live.has(name.replace(/\.wal$/, ''));
    if (orphan || name.endsWith('.tmp') || name.endsWith('.tmp.wal'))
      rmSync(join(dir, name), { force: true });
  }
  report.segments = keep.length;
  return report;
}

/** The SQL giving a table's rows (its columns, then its partition columns). */
export type SourceOf = (table: LakeTableSpec) => string;

/**
 * Builds a segment from any source (e.g. rows generated in DuckDB, for a benchmark) and adds it to
 * the catalog, holding no raw files. `connection` is a DuckDB connection the sources can read.
 */
export async function addSegment(
  connection: DuckDBConnection,
  config: LakeConfig,
  sourceOf: SourceOf,
): Promise<Segment> {
  const dir = compactedDir(config.root);
  mkdirSync(dir, { recursive: true });
  const holder = acquireLock(dir, isProcessAlive);
  if (holder !== undefined) throw new Error(`another compaction is running (pid ${holder})`);
  try {
    const segment = await buildSegment(connection, config, schemaFingerprint(config.schema), sourceOf);
    const catalog = readSegmentCatalog(config.root);
    writeSegmentCatalog(config.root, { version: 1, segments: [...catalog.segments, segment] });
    return segment;
  } finally {
    releaseLock(dir);
  }
}

/** Writes every table from `sourceOf` into a new segment file; returns its catalog entry (no sources yet). */
async function buildSegment(
  connection: DuckDBConnection,
  config: LakeConfig,
  fingerprint: string,
  sourceOf: SourceOf,
): Promise<Segment> {
  const createdAtMs = Date.now();
  const file = `seg-${createdAtMs.toString(36)}-${randomBytes(4).toString('hex')}.duckdb`;
  const dir = compactedDir(config.root);
  const tmp = join(dir, `${file}.tmp`);
  await connection.run(`ATTACH ${sqlString(tmp)} AS building`);
  let rows = 0;
  try {
    for (const table of config.schema.tables) {
      const order = table.columns.some((c) => c.name === 'time') ? ' ORDER BY "time"' : '';
      await connection.run(
        `CREATE TABLE building.${sqlIdentifier(table.name)} AS SELECT * FROM (${sourceOf(table)})${order}`,
      );
      const count = await connection.runAndReadAll(
        `SELECT count(*) FROM building.${sqlIdentifier(table.name)}`,
      );
      rows = Math.max(rows, Number(count.getRows()[0]![0]));
    }
  } finally {
    await connection.run('DETACH building');
  }
  renameSync(tmp, join(dir, file));
  return { file, sources: [], rows, fingerprint, createdAtMs };
}

async function mergeSegments(
  connection: DuckDBConnection,
  config: LakeConfig,
  fingerprint: string,
  segments: Segment[],
): Promise<Segment> {
  const dir = compactedDir(config.root);
  const aliases = segments.map((_, i) => `merging_${i}`);
  for (const [i, segment] of segments.entries()) {
    await connection.run(`ATTACH ${sqlString(join(dir, segment.file))} AS ${aliases[i]} (READ_ONLY)`);
  }
  try {
    const merged = await buildSegment(connection, config, fingerprint, (table) =>
      aliases.map((alias) => segmentSelectSql(table, alias)).join(' UNION ALL '),
    );
    return { ...merged, sources: segments.flatMap((s) => s.sources) };
  } finally {
    for (const alias of aliases) await connection.run(`DETACH ${alias}`);
  }
}

/** Takes the compaction lock; returns the pid holding it instead, if it is held. */
function acquireLock(dir: string, isAlive: (pid: number) => boolean): number | undefined {
  const path = join(dir, '.lock');
  if (inProcess.has(dir)) return process.pid;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      inProcess.add(dir);
      return undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(path, 'utf8'));
      // A lock left by a process that is gone (a crash mid-compaction) is taken over.
      if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) return pid;
      rmSync(path, { force: true });
    }
  }
  throw new Error(`cannot take the compaction lock ${path}`);
}

function releaseLock(dir: string): void {
  inProcess.delete(dir);
  rmSync(join(dir, '.lock'), { force: true });
}
