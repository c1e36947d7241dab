// `murmur query --aws "<SQL>"`: what the query command calls when --aws is given.
import type { AthenaClient } from '@aws-sdk/client-athena';
import type { CliIO } from '../io.js';
import { formatBytes, formatRows, type RowFormat } from '../rows-format.js';
import { ATHENA_DEFAULTS, type AthenaQueryResult, columnKeys, runAthenaQuery } from './athena.js';
import { type AwsConnectionOptions, createAwsClients, requireRegion } from './clients.js';
import { Interruption, pollIntervalMs } from './poll.js';

export interface AthenaCommandOptions extends AwsConnectionOptions {
  /** @default 'murmur' */
  workgroup?: string;
  /** @default 'messages-data-lake' */
  database?: string;
  /** @default 'table' */
  format?: RowFormat;
}

/** Rows on stdout in the chosen format; a one-line summary (rows, bytes scanned, time) on stderr. */
export async function runAthenaQueryCommand(
  io: CliIO,
  sql: string,
  options: AthenaCommandOptions = {},
  athena: AthenaClient = createAwsClients(options, io.env).athena,
): Promise<AthenaQueryResult> {
  const region = await requireRegion(athena);
  const workgroup = options.workgroup ?? ATHENA_DEFAULTS.workgroup;
  const result = await runAthenaQuery(athena, {
    sql,
    workgroup,
    database: options.database ?? ATHENA_DEFAULTS.database,
    pollIntervalMs: pollIntervalMs(io.env, 1_000),
    interruption: new Interruption(io.interrupted),
  });
  for (const line of formatRows(columnKeys(result.columns), result.rows, options.format ?? 'table'))
    io.out(line);
  const facts = [
    `${result.rows.length} row(s)`,
    ...(result.dataScannedBytes !== null ? [`${formatBytes(result.dataScannedBytes)} scanned`] : []),
    ...(result.totalExecutionTimeMs !== null ? [`${(result.totalExecutionTimeMs / 1000).toFixed(1)} s`] : []),
  ];
  io.err(`${facts.join(', ')} (Athena query ${result.queryExecutionId}, workgroup ${workgroup}, ${region})`);
  return result;
}
