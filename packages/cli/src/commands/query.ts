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
import { formatRows, ROW_FORMATS, type RowFormat, uniqueKeys } from '../rows-format.js';
import { renderTable } from '../table.js';
import { lakeConfigFor } from './lake.js';

const QUERY_FORMATS = ROW_FORMATS;
type QueryFormat = RowFormat;

interface QueryOptions {
  format: QueryFormat;
  named?: string;
  list?: boolean;
  aws?: boolean;
  workgroup?: string;
  database?: string;
  region?: string;
  profile?: string;
}

export function formatResult(result: QueryResult, format: QueryFormat): string[] {
  const keys = uniqueKeys(result.columns.map((c) => c.name));
  const rows = result.rows.map((row) => Object.fromEntries(keys.map((k, i) => [k, row[i] ?? null])));
  const lines = formatRows(keys, rows, format);
  return format === 'table' ? [...lines, `(${result.rows.length} row(s))`] : lines;
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
    .option('--aws', 'run it on Athena instead (the Murmur-Analytics stack), and print its rows')
    .option('--workgroup <name>', 'with --aws: the Athena workgroup (default murmur)')
    .option('--database <name>', `with --aws: the Glue database (default ${DATABASE_NAME})`)
    .option(
      '--region <region>',
      'with --aws: the AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile)',
    )
    .option('--profile <name>', 'with --aws: the AWS profile (default: AWS_PROFILE)')
    .action(async (sqlArg: string | undefined, opts: QueryOptions) => {
      if (opts.list) {
        listQueries(io);
        return;
      }
      const sql = sqlOf(io, sqlArg, opts.named);
      const awsOnly = (['workgroup', 'database', 'region', 'profile'] as const).filter((o) => opts[o]);
      if (!opts.aws && awsOnly.length > 0) {
        throw new CliError(`${awsOnly.map((o) => `--${o}`).join(', ')} only go with --aws`, 2);
      }
      if (opts.aws) {
        // Loaded only with --aws: the AWS SDK clients take about 0.4 s to import.
        const { runAthenaQueryCommand } = await import('../aws/athena-command.js');
        await runAthenaQueryCommand(io, sql, {
          format: opts.format,
          ...(opts.workgroup ? { workgroup: opts.workgroup } : {}),
          ...(opts.database ? { database: opts.database } : {}),
          ...(opts.region ? { region: opts.region } : {}),
          ...(opts.profile ? { profile: opts.profile } : {}),
        });
        return;
      }
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
