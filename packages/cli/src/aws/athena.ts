// SQL on Athena, for `murmur query --aws`: StartQueryExecution in the Murmur workgroup and lake
// database, GetQueryExecution until it ends, then every page of GetQueryResults as rows keyed by
// column name, with values typed from the column types.
import {
  type AthenaClient,
  type ColumnInfo,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type QueryExecution,
  type Row,
  StartQueryExecutionCommand,
  type StartQueryExecutionCommandOutput,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { CliError } from '../io.js';
import { uniqueKeys } from '../rows-format.js';
import { awsCall, awsError, errorNameOf } from './clients.js';
import { type Interruption, sleep } from './poll.js';

/** The analytics stack's names (issue 6): the reference design's database, Murmur's workgroup. */
export const ATHENA_DEFAULTS = {
  workgroup: 'murmur',
  database: 'messages-data-lake',
  catalog: 'AwsDataCatalog',
} as const;

/** Athena's limit on QueryString. */
export const MAX_QUERY_BYTES = 262_144;

export type AthenaValue = string | number | boolean | null;

export interface AthenaColumn {
  name: string;
  /** Athena's type name: varchar, bigint, double, boolean, timestamp, array(varchar), row(...)... */
  type: string;
}

export interface AthenaQueryResult {
  queryExecutionId: string;
  columns: AthenaColumn[];
  rows: Record<string, AthenaValue>[];
  /** DML (SELECT), DDL or UTILITY. */
  statementType: string | null;
  dataScannedBytes: number | null;
  engineExecutionTimeMs: number | null;
  totalExecutionTimeMs: number | null;
  /** Where Athena wrote the full result (CSV) in the workgroup's results bucket. */
  outputLocation: string | null;
}

export interface AthenaQueryOptions {
  sql: string;
  workgroup?: string;
  database?: string;
  catalog?: string;
  /** Between two GetQueryExecution calls. @default 1000 */
  pollIntervalMs?: number;
  /** Ctrl-C: StopQueryExecution, then an AthenaQueryError in state CANCELLED (exit code 130). */
  interruption?: Interruption;
  onState?: (state: string) => void;
}

/** A query Athena refused, failed or cancelled; `reason` is Athena's StateChangeReason. */
export class AthenaQueryError extends CliError {
  override readonly name = 'AthenaQueryError';
  constructor(
    message: string,
    readonly queryExecutionId: string,
    readonly state: string,
    readonly reason: string,
    /** Where a syntax error is, as Athena says it ("line 1:8: ..."). */
    readonly position: { line: number; column: number } | null,
    exitCode = 1,
  ) {
    super(message, exitCode);
  }
}

/** `line 2:15: mismatched input ...` -> { line: 2, column: 15 }. Athena counts columns from 1. */
export function errorPosition(reason: string): { line: number; column: number } | null {
  const m = /\bline (\d+):(\d+)\b/.exec(reason);
  return m ? { line: Number(m[1]), column: Number(m[2]) } : null;
}

/** The SQL line a syntax error is on, with a caret under its column. */
export function pointAt(sql: string, position: { line: number; column: number }): string[] {
  const line = sql.split(/\r?\n/)[position.line - 1];
  if (line === undefined) return [];
  return [`  ${line}`, `  ${' '.repeat(Math.max(0, position.column - 1))}^`];
}

const INTEGER = /^(tinyint|smallint|integer|int)$/;
const FLOAT = /^(double|float|real)$/;

/**
 * Athena returns every value as text. Numbers and booleans become JSON numbers and booleans;
 * a bigint beyond 2^53 and every decimal stay text, so no digit is lost; a missing value is null.
 * Dates, timestamps, arrays, maps and rows stay as Athena prints them.
 */
export function typedValue(text: string | undefined, type: string): AthenaValue {
  if (text === undefined) return null;
  const t = type.toLowerCase();
  if (t === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
  if (INTEGER.test(t) || FLOAT.test(t)) {
    const n = Number(text);
    // NaN and Infinity have no JSON form: they stay text.
    return text.trim() !== '' && Number.isFinite(n) ? n : text;
  }
  if (t === 'bigint') {
    const n = Number(text);
    return /^-?\d+$/.test(text) && Number.isSafeInteger(n) ? n : text;
  }
  return text;
}

/** Column names as keys; a repeated name (SELECT a.id, b.id) gets `_1`, `_2`... as DuckDB does. */
export function columnKeys(columns: readonly AthenaColumn[]): string[] {
  return uniqueKeys(columns.map((c) => c.name));
}

const FINAL = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

async function waitForQuery(
  athena: AthenaClient,
  id: string,
  options: AthenaQueryOptions,
): Promise<{ execution: QueryExecution; stoppedByUser: boolean }> {
  const interval = options.pollIntervalMs ?? 1_000;
  let stopRequested = false;
  let lastState: string | undefined;
  for (;;) {
    const out = await awsCall(`Athena GetQueryExecution ${id}`, () =>
      athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id })),
    );
    const execution = out.QueryExecution ?? {};
    const state = execution.Status?.State ?? 'UNKNOWN';
    if (state !== lastState) options.onState?.(state);
    lastState = state;
    if (FINAL.includes(state)) return { execution, stoppedByUser: stopRequested };
    if (stopRequested || !options.interruption) {
      await sleep(interval);
      continue;
    }
    if (await options.interruption.pause(interval)) {
      stopRequested = true;
      await awsCall(`Athena StopQueryExecution ${id}`, () =>
        athena.send(new StopQueryExecutionCommand({ QueryExecutionId: id })),
      );
    }
  }
}

function failure(
  id: string,
  sql: string,
  execution: QueryExecution,
  stoppedByUser: boolean,
): AthenaQueryError {
  const state = execution.Status?.State ?? 'UNKNOWN';
  const reason =
    execution.Status?.StateChangeReason ||
    execution.Status?.AthenaError?.ErrorMessage ||
    (state === 'CANCELLED' ? 'the query was cancelled' : 'Athena gave no reason');
  const position = errorPosition(reason);
  const lines = [`Athena query ${id} ${state}: ${reason}`, ...(position ? pointAt(sql, position) : [])];
  return new AthenaQueryError(lines.join('\n'), id, state, reason, position, stoppedByUser ? 130 : 1);
}

function sameAsHeader(row: Row | undefined, columns: readonly AthenaColumn[]): boolean {
  const data = row?.Data ?? [];
  return data.length === columns.length && data.every((d, i) => d.VarCharValue === columns[i]!.name);
}

/** Runs the SQL and returns every row. Throws AthenaQueryError when Athena says FAILED or CANCELLED. */
export async function runAthenaQuery(
  athena: AthenaClient,
  options: AthenaQueryOptions,
): Promise<AthenaQueryResult> {
  const sql = options.sql.trim();
  if (sql === '') throw new CliError('the SQL is empty');
  if (Buffer.byteLength(sql) > MAX_QUERY_BYTES) {
    throw new CliError(`the SQL is ${Buffer.byteLength(sql)} bytes; Athena takes at most ${MAX_QUERY_BYTES}`);
  }
  const workgroup = options.workgroup ?? ATHENA_DEFAULTS.workgroup;
  const database = options.database ?? ATHENA_DEFAULTS.database;
  let started: StartQueryExecutionCommandOutput;
  try {
    started = await athena.send(
      new StartQueryExecutionCommand({
        QueryString: sql,
        WorkGroup: workgroup,
        QueryExecutionContext: { Database: database, Catalog: options.catalog ?? ATHENA_DEFAULTS.catalog },
      }),
    );
  } catch (error) {
    // Some statements are refused at once (a DDL syntax error, an unknown workgroup) rather than FAILED later.
    if (errorNameOf(error) === 'InvalidRequestException') {
      const reason = (error as Error).message;
      const position = errorPosition(reason);
      throw new AthenaQueryError(
        [`Athena refused the query (workgroup ${workgroup}, database ${database}): ${reason}`]
          .concat(position ? pointAt(sql, position) : [])
          .join('\n'),
        '',
        'REFUSED',
        reason,
        position,
      );
    }
    throw awsError(`Athena StartQueryExecution (workgroup ${workgroup}, database ${database})`, error);
  }
  const id = started.QueryExecutionId;
  if (!id) throw new CliError('Athena StartQueryExecution returned no query execution id');

  const { execution, stoppedByUser } = await waitForQuery(athena, id, options);
  if (execution.Status?.State !== 'SUCCEEDED') throw failure(id, sql, execution, stoppedByUser);

  let columns: AthenaColumn[] = [];
  let keys: string[] = [];
  const rows: Record<string, AthenaValue>[] = [];
  let token: string | undefined;
  let first = true;
  do {
    if (options.interruption?.interrupted) {
      throw new AthenaQueryError(
        `stopped reading the results of Athena query ${id} (Ctrl-C) after ${rows.length} row(s)`,
        id,
        'SUCCEEDED',
        'interrupted',
        null,
        130,
      );
    }
    const page = await awsCall(`Athena GetQueryResults ${id}`, () =>
      athena.send(
        new GetQueryResultsCommand({
          QueryExecutionId: id,
          MaxResults: 1000,
          ...(token ? { NextToken: token } : {}),
        }),
      ),
    );
    if (first) {
      columns = (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c: ColumnInfo) => ({
        name: c.Name || c.Label || '',
        type: c.Type ?? 'varchar',
      }));
      keys = columnKeys(columns);
    }
    let pageRows = page.ResultSet?.Rows ?? [];
    // A SELECT's first row is its header; DDL and utility statements (SHOW, DESCRIBE) have none.
    if (first && execution.StatementType === 'DML' && sameAsHeader(pageRows[0], columns)) {
      pageRows = pageRows.slice(1);
    }
    for (const row of pageRows) {
      const data = row.Data ?? [];
      rows.push(
        Object.fromEntries(keys.map((key, i) => [key, typedValue(data[i]?.VarCharValue, columns[i]!.type)])),
      );
    }
    first = false;
    token = page.NextToken;
  } while (token);

  const stats = execution.Statistics;
  return {
    queryExecutionId: id,
    columns,
    rows,
    statementType: execution.StatementType ?? null,
    dataScannedBytes: stats?.DataScannedInBytes ?? null,
    engineExecutionTimeMs: stats?.EngineExecutionTimeInMillis ?? null,
    totalExecutionTimeMs: stats?.TotalExecutionTimeInMillis ?? null,
    outputLocation: execution.ResultConfiguration?.OutputLocation ?? null,
  };
}
