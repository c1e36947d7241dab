// `murmur query`: Athena-style SQL over the local lake with DuckDB. Each query sees one snapshot:
// the compacted segments plus the raw NDJSON no segment holds yet, as views named like the Glue
// tables (in the database's schema and unqualified).
import { join } from 'node:path';
import type {
  DuckDBConnection,
  DuckDBDecimalValue,
  DuckDBInstance,
  DuckDBMapType,
  DuckDBMapValue,
  DuckDBType,
  DuckDBValue,
  DuckDBValueConverter,
  Json,
} from '@duckdb/node-api';
import { parseLossless, stringifyLossless } from './lossless-json.js';
import { PRESTO_MACROS } from './presto-functions.js';
import { endsMidLine, isSealed } from './raw-files.js';
import {
  compactedDir,
  DEFAULT_ROTATE_AFTER_MS,
  type LakeConfig,
  type LakeTableSpec,
  sqlIdentifier,
  sqlString,
} from './schema.js';
import {
  emptySelectSql,
  type LakeSnapshot,
  rawFilesOf,
  rawSelectSql,
  segmentSelectSql,
  tableColumnNames,
  takeSnapshot,
} from './snapshot.js';
import { type RewriteContext, rewriteStatement } from './sql-rewrite.js';

export interface QueryResult {
  columns: { name: string; type: string }[];
  /** One array per row, values as JSON-friendly JS (numbers, strings, objects, arrays, null). */
  rows: unknown[][];
  /** E.g. a raw file whose truncated last line was skipped. */
  warnings: string[];
  /** The lake held no records at all (nothing written yet, or the wrong MURMUR_HOME). */
  lakeEmpty: boolean;
}

const ROWS_PER_CHUNK = 10_000;

/** SQL that does not parse, with where. */
export class SqlSyntaxError extends Error {
  override name = 'SqlSyntaxError';
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

/** SQL that parses but cannot run (unknown column, wrong types...). */
export class SqlQueryError extends Error {
  override name = 'SqlQueryError';
}

export interface EngineOptions {
  /** DuckDB worker threads. @default DuckDB's (the core count) */
  threads?: number;
}

/** DuckDB loads only when a query runs: the writer side of this package never pays for it. */
async function loadDuckDB() {
  return import('@duckdb/node-api');
}

export class LakeQueryEngine {
  private readonly attached = new Map<string, string>();
  private nextAlias = 0;

  private constructor(
    private readonly config: LakeConfig,
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly converter: DuckDBValueConverter<Json>,
  ) {}

  static async open(config: LakeConfig, options: EngineOptions = {}): Promise<LakeQueryEngine> {
    const duckdb = await loadDuckDB();
    const instance = await duckdb.DuckDBInstance.create(':memory:', {
      ...(options.threads ? { threads: String(options.threads) } : {}),
    });
    const connection = await instance.connect();
    await connection.run("SET TimeZone = 'UTC'");
    await connection.run(`CREATE SCHEMA IF NOT EXISTS ${sqlIdentifier(config.schema.database)}`);
    for (const macro of PRESTO_MACROS) await connection.run(macro);
    return new LakeQueryEngine(config, instance, connection, jsonConverter(duckdb));
  }

  /** Runs one statement over a fresh snapshot of the lake. */
  async query(sql: string): Promise<QueryResult> {
    const prepared = await this.prepare(sql);
    // A compaction may remove a segment between the snapshot and the read: look again, once.
    for (let attempt = 1; ; attempt++) {
      const snapshot = takeSnapshot(this.config);
      try {
        await this.installViews(snapshot);
        const result = await this.run(prepared.sql, prepared.rewritten, this.warningsFor(snapshot));
        const lakeEmpty =
          snapshot.segments.every((s) => s.rows === 0) && snapshot.raw.every((f) => f.size === 0);
        return { ...result, lakeEmpty };
      } catch (error) {
        if (attempt < 3 && isMissingFile(error)) continue;
        throw error;
      }
    }
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }

  /** Parses with DuckDB; rewrites SELECTs for Athena's dialect and a good plan. */
  private async prepare(sql: string): Promise<{ sql: string; rewritten: boolean }> {
    const serialized = await this.scalar('SELECT json_serialize_sql($1::VARCHAR)', [sql]);
    const parsed = parseLossless(serialized) as Record<string, unknown>;
    if (parsed.error === true) {
      if (parsed.error_type === 'parser') throw syntaxError(sql, parsed);
      // Not a SELECT (DESCRIBE, SHOW, EXPLAIN...): DuckDB runs it as written.
      return { sql, rewritten: false };
    }
    const statements = parsed.statements as Record<string, unknown>[];
    if (statements.length !== 1) {
      throw new SqlQueryError(`one statement at a time, please (got ${statements.length})`);
    }
    const context: RewriteContext = { columnsOf: (t) => this.lakeTableColumns(t) };
    let rewritten: Record<string, unknown>;
    try {
      rewritten = { ...parsed, statements: [rewriteStatement(statements[0]!, context)] };
    } catch (error) {
      throw new SqlQueryError((error as Error).message);
    }
    const text = await this.scalar('SELECT json_deserialize_sql($1::JSON)', [stringifyLossless(rewritten)]);
    return { sql: text, rewritten: true };
  }

  private lakeTableColumns(ref: { catalog: string; schema: string; name: string }): string[] | undefined {
    const { database, tables } = this.config.schema;
    if (ref.catalog !== '' || !(ref.schema === '' || ref.schema.toLowerCase() === database.toLowerCase())) {
      return undefined;
    }
    const table = tables.find((t) => t.name.toLowerCase() === ref.name.toLowerCase());
    return table ? tableColumnNames(table) : undefined;
  }

  private async installViews(snapshot: LakeSnapshot): Promise<void> {
    const wanted = new Set(snapshot.segments.map((s) => s.file));
    for (const [file, alias] of this.attached) {
      if (!wanted.has(file)) {
        await this.connection.run(`DETACH DATABASE IF EXISTS ${sqlIdentifier(alias)}`);
        this.attached.delete(file);
      }
    }
    for (const segment of snapshot.segments) {
      if (this.attached.has(segment.file)) continue;
      const alias = `segment_${this.nextAlias++}`;
      const path = join(compactedDir(this.config.root), segment.file);
      await this.connection.run(`ATTACH ${sqlString(path)} AS ${sqlIdentifier(alias)} (READ_ONLY)`);
      this.attached.set(segment.file, alias);
    }
    const { database, tables } = this.config.schema;
    for (const table of tables) {
      const parts = [
        ...snapshot.segments.map((s) => segmentSelectSql(table, this.attached.get(s.file)!)),
        ...this.rawParts(table, snapshot),
      ];
      const body = parts.length > 0 ? parts.join('\nUNION ALL ') : emptySelectSql(table);
      const qualified = `${sqlIdentifier(database)}.${sqlIdentifier(table.name)}`;
      await this.connection.run(`CREATE OR REPLACE VIEW ${qualified} AS ${body}`);
      await this.connection.run(
        `CREATE OR REPLACE VIEW main.${sqlIdentifier(table.name)} AS SELECT * FROM ${qualified}`,
      );
    }
  }

  private rawParts(table: LakeTableSpec, snapshot: LakeSnapshot): string[] {
    const files = rawFilesOf(table, snapshot.raw).filter((f) => f.size > 0);
    return files.length > 0 ? [rawSelectSql(this.config.schema, table, files)] : [];
  }

  /** A sealed raw file that ends mid-line lost its last record to a crash: say so. */
  private warningsFor(snapshot: LakeSnapshot): string[] {
    const rotateAfterMs = this.config.rotateAfterMs ?? DEFAULT_ROTATE_AFTER_MS;
    return snapshot.raw
      .filter((f) => isSealed(f, { rotateAfterMs }) && endsMidLine(f))
      .map((f) => `skipped a truncated last line in ${f.key} (its writer stopped mid-write)`);
  }

  private async run(
    sql: string,
    rewritten: boolean,
    warnings: string[],
  ): Promise<Omit<QueryResult, 'lakeEmpty'>> {
    try {
      return { ...(rewritten ? await this.runSelect(sql) : await this.runStatement(sql)), warnings };
    } catch (error) {
      if (isMissingFile(error)) throw error;
      throw new SqlQueryError(duckdbMessage(error, rewritten));
    }
  }

  /**
   * A SELECT: DuckDB turns the rows into JSON lines, 10k rows to a string, which JS parses; reading
   * the same values one by one through the bindings took three times as long.
   */
  private async runSelect(sql: string): Promise<Pick<QueryResult, 'columns' | 'rows'>> {
    const statement = await this.connection.prepare(sql);
    const columns = Array.from({ length: statement.columnCount }, (_, i) => ({
      name: statement.columnName(i),
      type: statement.columnType(i).toString(),
    }));
    const reader = await this.connection.runAndReadAll(
      `SELECT string_agg(line, chr(10) ORDER BY n) FROM (
         SELECT to_json(q) AS line, row_number() OVER () AS n FROM (${sql}) AS q
       ) GROUP BY n // ${ROWS_PER_CHUNK} ORDER BY n // ${ROWS_PER_CHUNK}`,
    );
    const rows: unknown[][] = [];
    for (const chunk of reader.getColumns()[0] ?? []) {
      for (const line of String(chunk).split('\n')) rows.push(Object.values(parseRow(line)));
    }
    return { columns, rows };
  }

  /** Anything else (DESCRIBE, SHOW, EXPLAIN...), value by value. */
  private async runStatement(sql: string): Promise<Pick<QueryResult, 'columns' | 'rows'>> {
    const reader = await this.connection.runAndReadAll(sql);
    const types = reader.columnTypes();
    return {
      columns: reader.columnNames().map((name, i) => ({ name, type: types[i]!.toString() })),
      rows: reader.convertRows(this.converter) as unknown[][],
    };
  }

  private async scalar(sql: string, values: string[]): Promise<string> {
    const reader = await this.connection.runAndReadAll(sql, values);
    return String(reader.getRows()[0]![0]);
  }
}

/** One JSON row; integers past 2^53 come back as exact digit strings rather than rounded. */
function parseRow(line: string): object {
  if (!/\d{16}/.test(line)) return JSON.parse(line) as object;
  return untag(parseLossless(line)) as object;
}

function untag(value: unknown): unknown {
  if (typeof value === 'string') return value.startsWith('\u0000int:') ? value.slice(5) : value;
  if (Array.isArray(value)) return value.map(untag);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, untag(v)]));
  }
  return value;
}

function syntaxError(sql: string, parsed: Record<string, unknown>): SqlSyntaxError {
  const position = Math.min(Number(parsed.position ?? sql.length), sql.length);
  const before = sql.slice(0, position).split('\n');
  const line = before.length;
  const column = before.at(-1)!.length + 1;
  const text = sql.split('\n')[line - 1] ?? '';
  const message =
    `SQL does not parse: ${String(parsed.error_message)} at line ${line}, column ${column}\n` +
    `  ${text}\n  ${' '.repeat(column - 1)}^`;
  return new SqlSyntaxError(message, line, column);
}

/** DuckDB's message; after a rewrite its `LINE n:` excerpt would quote SQL the user never wrote. */
function duckdbMessage(error: unknown, rewritten: boolean): string {
  const message = error instanceof Error ? error.message : String(error);
  return rewritten ? message.split(/\n\s*\nLINE \d+:/)[0]!.trim() : message;
}

function isMissingFile(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return (
    /No such file|does not exist|No files found|Cannot open file/i.test(message) && /IO Error/i.test(message)
  );
}

/** DuckDB values as JSON-friendly JS: integers as numbers while exact, maps as objects. */
function jsonConverter(duckdb: Awaited<ReturnType<typeof loadDuckDB>>): DuckDBValueConverter<Json> {
  const { DuckDBTypeId, JsonDuckDBValueConverter } = duckdb;
  const integers = new Set<number>([DuckDBTypeId.BIGINT, DuckDBTypeId.HUGEINT, DuckDBTypeId.UBIGINT]);
  const convert: DuckDBValueConverter<Json> = (value: DuckDBValue, type: DuckDBType, _self) => {
    if (value === null) return null;
    if (integers.has(type.typeId)) {
      const n = BigInt(value as bigint);
      return n <= BigInt(Number.MAX_SAFE_INTEGER) && n >= BigInt(Number.MIN_SAFE_INTEGER)
        ? Number(n)
        : String(n);
    }
    if (type.typeId === DuckDBTypeId.DECIMAL) return (value as DuckDBDecimalValue).toDouble();
    if (type.typeId === DuckDBTypeId.MAP) {
      const { keyType, valueType } = type as DuckDBMapType;
      return Object.fromEntries(
        (value as DuckDBMapValue).entries.map((e) => [
          String(convert(e.key, keyType, convert)),
          convert(e.value, valueType, convert),
        ]),
      );
    }
    return JsonDuckDBValueConverter(value, type, convert);
  };
  return convert;
}
