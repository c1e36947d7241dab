// `murmur query "<SQL>"`: Athena-style SQL over the local lake with DuckDB, the same tables and
// named queries as Athena on AWS.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  DATABASE_NAME,
  findNamedQuery,
  lakeTables,
  NAMED_QUERIES,
  REFERENCE_QUERIES,
} from '@murmur/analytics';
import { LakeQueryEngine, type QueryResult, SqlQueryError, SqlSyntaxError } from '@murmur/lake';
import { type Command, Option } from 'commander';
import { CliError, type CliIO, homeOf } from '../io.js';
import { renderTable } from '../table.js';
import { lakeConfigFor } from './lake.js';

export const QUERY_FORMATS = ['table', 'csv', 'json'] as const;
export type QueryFormat = (typeof QUERY_FORMATS)[number];

interface QueryOptions {
  format: QueryFormat;
  named?: string;
  list?: boolean;
}

/** A value as one text cell: strings as they are, structures as JSON, NULL as empty. */
function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function csvField(value: unknown): string {
  const text = cell(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Column names as JSON keys: a repeated name gets `_2`, `_3`... rather than losing a value. */
function uniqueNames(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : `${name}_${n}`;
  });
}

export function formatResult(result: QueryResult, format: QueryFormat): string[] {
  const names = result.columns.map((c) => c.name);
  if (format === 'csv') {
    return [names.map(csvField).join(','), ...result.rows.map((row) => row.map(csvField).join(','))];
  }
  if (format === 'json') {
    const keys = uniqueNames(names);
    return result.rows.map((row) =>
      JSON.stringify(Object.fromEntries(keys.map((k, i) => [k, row[i] ?? null]))),
    );
  }
  return [
    renderTable(
      names,
      result.rows.map((row) => row.map(cell)),
    ),
    `(${result.rows.length} row(s))`,
  ];
}

function listQueries(io: CliIO): void {
  io.out(`tables (database "${DATABASE_NAME}"; quoted, with or without the database):`);
  io.out(
    renderTable(
      ['TABLE', 'PARTITIONS', 'HOLDS'],
      lakeTables().map((t) => [t.name, t.partitionKeys.map((k) => k.name).join(', '), t.description]),
    ),
  );
  io.out('');
  io.out('named queries (murmur query --named <name>):');
  io.out(
    renderTable(
      ['NAME', 'DESCRIPTION'],
      [...NAMED_QUERIES, ...REFERENCE_QUERIES].map((q) => [q.name, q.description]),
    ),
  );
}

/** The SQL to run: the argument (or `@file.sql`), or a named query. */
function sqlOf(io: CliIO, sql: string | undefined, named: string | undefined): string {
  if (named !== undefined) {
    if (sql !== undefined) throw new CliError('give either SQL or --named <name>, not both', 2);
    const query = findNamedQuery(named);
    if (!query) {
      const names = [...NAMED_QUERIES, ...REFERENCE_QUERIES].map((q) => q.name).join(', ');
      throw new CliError(`no named query "${named}"; there are: ${names}`, 2);
    }
    return query.sql;
  }
  if (sql === undefined || sql.trim() === '') {
    throw new CliError('give the SQL to run (or --named <name>; murmur query --list shows them)', 2);
  }
  if (sql.startsWith('@')) {
    try {
      return readFileSync(resolve(io.cwd, sql.slice(1)), 'utf8');
    } catch (error) {
      throw new CliError(`cannot read ${sql.slice(1)}: ${(error as Error).message}`, 2);
    }
  }
  return sql;
}

export function registerQuery(program: Command, io: CliIO): void {
  program
    .command('query')
    .description(
      'Athena-style SQL over the local lake (DuckDB): "analysed-messages-table", "events-table"; --list for more',
    )
    .argument('[sql]', 'one SQL statement, or @file.sql')
    .addOption(
      new Option('--format <format>', 'table, csv, or json (one object per row)')
        .choices(QUERY_FORMATS)
        .default('table'),
    )
    .option('--named <name>', 'run a named query')
    .option('--list', 'list the tables and the named queries')
    .action(async (sqlArg: string | undefined, opts: QueryOptions) => {
      if (opts.list) {
        listQueries(io);
        return;
      }
      const sql = sqlOf(io, sqlArg, opts.named);
      const config = lakeConfigFor(homeOf(io));
      const engine = await LakeQueryEngine.open(config);
      let result: QueryResult;
      try {
        result = await engine.query(sql);
      } catch (error) {
        if (error instanceof SqlSyntaxError) throw new CliError(error.message, 2);
        if (error instanceof SqlQueryError) throw new CliError(`query failed: ${error.message}`, 1);
        throw error;
      } finally {
        engine.close();
      }
      for (const warning of result.warnings) io.err(`warning: ${warning}`);
      if (result.rows.length === 0 && result.lakeEmpty) {
        io.err(`the lake at ${config.root} holds no events yet: run murmur start (and murmur simulate)`);
      }
      for (const line of formatResult(result, opts.format)) io.out(line);
    });
}
