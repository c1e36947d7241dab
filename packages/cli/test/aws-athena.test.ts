import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  InvalidRequestException,
  type QueryExecution,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { afterAll, beforeEach, describe, expect, it } from '@jest/globals';
import { findNamedQuery } from '@murmur/analytics';
import { mockClient } from 'aws-sdk-client-mock';
import {
  AthenaQueryError,
  columnKeys,
  errorPosition,
  runAthenaQuery,
  runAthenaQueryCommand,
  typedValue,
} from '../src/aws/index.js';
import { type CliIO, runCli } from '../src/index.js';
import { formatBytes, formatRows } from '../src/rows-format.js';

const athena = mockClient(AthenaClient);
const client = () => new AthenaClient({ region: 'eu-west-1' });

beforeEach(() => {
  athena.reset();
});
afterAll(() => athena.restore());

const SQL = `SELECT "detail-type", count(*) AS n FROM "messages-data-lake"."events-table" GROUP BY 1`;

function execution(state: string, extra: Partial<QueryExecution> = {}): { QueryExecution: QueryExecution } {
  return {
    QueryExecution: {
      QueryExecutionId: 'q-1',
      StatementType: 'DML',
      Status: { State: state as never },
      Statistics: {
        DataScannedInBytes: 1536,
        TotalExecutionTimeInMillis: 1234,
        EngineExecutionTimeInMillis: 900,
      },
      ResultConfiguration: { OutputLocation: 's3://murmur-athena-results/q-1.csv' },
      ...extra,
    },
  };
}

const columns = [
  { Name: 'detail-type', Type: 'varchar' },
  { Name: 'n', Type: 'bigint' },
  { Name: 'share', Type: 'double' },
  { Name: 'positive', Type: 'boolean' },
  { Name: 'huge', Type: 'bigint' },
  { Name: 'price', Type: 'decimal' },
];
const row = (...values: (string | undefined)[]) => ({
  Data: values.map((v) => (v === undefined ? {} : { VarCharValue: v })),
});

function succeeds() {
  athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
  athena
    .on(GetQueryExecutionCommand)
    .resolvesOnce(execution('QUEUED'))
    .resolvesOnce(execution('RUNNING'))
    .resolves(execution('SUCCEEDED'));
  athena
    .on(GetQueryResultsCommand)
    .resolvesOnce({
      ResultSet: {
        ResultSetMetadata: { ColumnInfo: columns },
        Rows: [
          row('detail-type', 'n', 'share', 'positive', 'huge', 'price'),
          row('MESSAGE_ANALYSED', '120', '0.75', 'true', '9007199254740993', '1.10'),
          row('MESSAGE_RECEIVED', '160', '1.0', 'false', '1', '0.00'),
        ],
      },
      NextToken: 'page-2',
    })
    .resolves({
      ResultSet: {
        ResultSetMetadata: { ColumnInfo: columns },
        Rows: [row('SEND_TWEET', '40', undefined, undefined, undefined, undefined)],
      },
    });
}

describe('runAthenaQuery', () => {
  it('runs the SQL in the Murmur workgroup and lake database, and returns every page as typed rows', async () => {
    succeeds();
    const states: string[] = [];

    const result = await runAthenaQuery(client(), {
      sql: SQL,
      pollIntervalMs: 0,
      onState: (s) => states.push(s),
    });

    expect(athena.commandCalls(StartQueryExecutionCommand)[0]!.args[0].input).toMatchObject({
      QueryString: SQL,
      WorkGroup: 'murmur',
      QueryExecutionContext: { Database: 'messages-data-lake', Catalog: 'AwsDataCatalog' },
    });
    expect(states).toEqual(['QUEUED', 'RUNNING', 'SUCCEEDED']);
    expect(athena.commandCalls(GetQueryResultsCommand).map((c) => c.args[0].input)).toEqual([
      { QueryExecutionId: 'q-1', MaxResults: 1000 },
      { QueryExecutionId: 'q-1', MaxResults: 1000, NextToken: 'page-2' },
    ]);
    expect(result.columns.map((c) => c.name)).toEqual([
      'detail-type',
      'n',
      'share',
      'positive',
      'huge',
      'price',
    ]);
    expect(result.rows).toEqual([
      {
        'detail-type': 'MESSAGE_ANALYSED',
        n: 120,
        share: 0.75,
        positive: true,
        huge: '9007199254740993',
        price: '1.10',
      },
      { 'detail-type': 'MESSAGE_RECEIVED', n: 160, share: 1, positive: false, huge: 1, price: '0.00' },
      { 'detail-type': 'SEND_TWEET', n: 40, share: null, positive: null, huge: null, price: null },
    ]);
    expect(result).toMatchObject({
      queryExecutionId: 'q-1',
      statementType: 'DML',
      dataScannedBytes: 1536,
      totalExecutionTimeMs: 1234,
      outputLocation: 's3://murmur-athena-results/q-1.csv',
    });
  });

  it('takes another workgroup and database', async () => {
    succeeds();
    await runAthenaQuery(client(), { sql: SQL, workgroup: 'primary', database: 'other', pollIntervalMs: 0 });
    expect(athena.commandCalls(StartQueryExecutionCommand)[0]!.args[0].input).toMatchObject({
      WorkGroup: 'primary',
      QueryExecutionContext: { Database: 'other' },
    });
  });

  it('keeps the first row of a statement without a header (SHOW TABLES)', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-2' });
    athena.on(GetQueryExecutionCommand).resolves(execution('SUCCEEDED', { StatementType: 'UTILITY' }));
    athena.on(GetQueryResultsCommand).resolves({
      ResultSet: {
        ResultSetMetadata: { ColumnInfo: [{ Name: 'tab_name', Type: 'string' }] },
        Rows: [row('events-table'), row('analysed-messages-table')],
      },
    });
    const result = await runAthenaQuery(client(), { sql: 'SHOW TABLES', pollIntervalMs: 0 });
    expect(result.rows).toEqual([{ tab_name: 'events-table' }, { tab_name: 'analysed-messages-table' }]);
  });

  it('answers an empty result with its columns and no rows', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-3' });
    athena.on(GetQueryExecutionCommand).resolves(execution('SUCCEEDED'));
    athena.on(GetQueryResultsCommand).resolves({
      ResultSet: { ResultSetMetadata: { ColumnInfo: [{ Name: 'id', Type: 'varchar' }] }, Rows: [row('id')] },
    });
    const result = await runAthenaQuery(client(), { sql: 'SELECT id FROM x WHERE false', pollIntervalMs: 0 });
    expect(result.columns).toEqual([{ name: 'id', type: 'varchar' }]);
    expect(result.rows).toEqual([]);
  });

  it("fails a syntax error with Athena's reason, its position and a caret under it", async () => {
    const reason = "line 2:6: mismatched input 'FRM'. Expecting: ',', 'FROM', 'GROUP', 'LIMIT'";
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-4' });
    athena.on(GetQueryExecutionCommand).resolves(
      execution('FAILED', {
        Status: {
          State: 'FAILED',
          StateChangeReason: reason,
          AthenaError: { ErrorCategory: 2, ErrorType: 1306, Retryable: false, ErrorMessage: reason },
        },
      }),
    );

    const error = await runAthenaQuery(client(), { sql: 'SELECT id\n  FRM x', pollIntervalMs: 0 }).catch(
      (e) => e,
    );

    expect(error).toBeInstanceOf(AthenaQueryError);
    expect(error).toMatchObject({ state: 'FAILED', reason, position: { line: 2, column: 6 }, exitCode: 1 });
    expect(error.message.split('\n')).toEqual([
      `Athena query q-4 FAILED: ${reason}`,
      '    FRM x',
      '       ^',
    ]);
    expect(athena.commandCalls(GetQueryResultsCommand)).toHaveLength(0);
  });

  it('reports a statement Athena refuses at once, with the position', async () => {
    athena.on(StartQueryExecutionCommand).rejects(
      new InvalidRequestException({
        message: "line 1:1: mismatched input 'SELEC'. Expecting: 'ALTER', 'ANALYZE', 'CALL'",
        $metadata: {},
      }),
    );
    const error = await runAthenaQuery(client(), { sql: 'SELEC 1', pollIntervalMs: 0 }).catch((e) => e);
    expect(error).toMatchObject({ state: 'REFUSED', position: { line: 1, column: 1 } });
    expect(error.message.split('\n')).toEqual([
      "Athena refused the query (workgroup murmur, database messages-data-lake): line 1:1: mismatched input 'SELEC'. Expecting: 'ALTER', 'ANALYZE', 'CALL'",
      '  SELEC 1',
      '  ^',
    ]);
  });

  it('reports AccessDenied with the operation and a hint', async () => {
    athena.on(StartQueryExecutionCommand).rejects(
      Object.assign(new Error('not authorized to perform: athena:StartQueryExecution'), {
        name: 'AccessDeniedException',
      }),
    );
    await expect(runAthenaQuery(client(), { sql: SQL, pollIntervalMs: 0 })).rejects.toThrow(
      /^Athena StartQueryExecution \(workgroup murmur, database messages-data-lake\): AccessDeniedException: not authorized .*\(your AWS identity lacks this permission/,
    );
  });

  it('refuses empty SQL and SQL over the size limit without calling Athena', async () => {
    await expect(runAthenaQuery(client(), { sql: '  \n ' })).rejects.toThrow('the SQL is empty');
    await expect(runAthenaQuery(client(), { sql: `SELECT '${'x'.repeat(262_144)}'` })).rejects.toThrow(
      /^the SQL is 262153 bytes; Athena takes at most 262144$/,
    );
    expect(athena.calls()).toHaveLength(0);
  });
});

describe('values, keys and formats', () => {
  it('types values by the column type, and keeps what a number would lose', () => {
    expect(typedValue('42', 'integer')).toBe(42);
    expect(typedValue('-7', 'bigint')).toBe(-7);
    expect(typedValue('12345678901234567890', 'bigint')).toBe('12345678901234567890');
    expect(typedValue('0.25', 'double')).toBe(0.25);
    expect(typedValue('NaN', 'double')).toBe('NaN');
    expect(typedValue('Infinity', 'real')).toBe('Infinity');
    expect(typedValue('true', 'boolean')).toBe(true);
    expect(typedValue('0.1', 'decimal(10,2)')).toBe('0.1');
    expect(typedValue('[Person, Car]', 'array(varchar)')).toBe('[Person, Car]');
    expect(typedValue(undefined, 'varchar')).toBeNull();
    expect(typedValue('', 'varchar')).toBe('');
  });

  it('names repeated columns apart', () => {
    expect(
      columnKeys([
        { name: 'id', type: 'varchar' },
        { name: 'id', type: 'varchar' },
        { name: 'id_2', type: 'varchar' },
      ]),
    ).toEqual(['id', 'id_2', 'id_2_2']);
  });

  it('an error position comes from "line L:C"', () => {
    expect(errorPosition("line 3:14: Column 'x' cannot be resolved")).toEqual({ line: 3, column: 14 });
    expect(errorPosition('Insufficient permissions to execute the query')).toBeNull();
  });

  const keys = ['text', 'n', 'ok'];
  const rows = [
    { text: 'plain', n: 1, ok: true },
    { text: 'a, "quoted"\nline', n: null, ok: false },
  ];

  it('prints a table with NULL and one line per row', () => {
    const lines = formatRows(keys, rows, 'table');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^text\s+n\s+ok$/);
    expect(lines[1]).toMatch(/^plain\s+1\s+true$/);
    expect(lines[2]).toMatch(/^a, "quoted"\\nline\s+NULL\s+false$/);
  });

  it('prints CSV as RFC 4180 says, and JSON one object a line', () => {
    expect(formatRows(keys, rows, 'csv')).toEqual([
      'text,n,ok',
      'plain,1,true',
      '"a, ""quoted""\nline",,false',
    ]);
    expect(formatRows(keys, rows, 'json').map((l) => JSON.parse(l))).toEqual(rows);
    expect(formatRows(keys, [], 'csv')).toEqual(['text,n,ok']);
  });

  it('says sizes as people read them', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(10 * 1024 ** 3)).toBe('10.0 GB');
  });
});

describe('runAthenaQueryCommand (murmur query --aws)', () => {
  function io(env: NodeJS.ProcessEnv = { AWS_REGION: 'eu-west-1', MURMUR_AWS_POLL_MS: '0' }) {
    let press!: () => void;
    const interrupted = new Promise<void>((resolve) => (press = resolve));
    const out: string[] = [];
    const err: string[] = [];
    const cliIo: CliIO = { out: (l) => out.push(l), err: (l) => err.push(l), env, cwd: '/', interrupted };
    return { io: cliIo, out, err, interrupt: () => press() };
  }

  it('prints the rows in the chosen format, and a summary on stderr', async () => {
    succeeds();
    const t = io();
    await runAthenaQueryCommand(t.io, SQL, { format: 'json' });
    expect(t.out.map((l) => JSON.parse(l)['detail-type'])).toEqual([
      'MESSAGE_ANALYSED',
      'MESSAGE_RECEIVED',
      'SEND_TWEET',
    ]);
    expect(t.err).toEqual([
      '3 row(s), 1.5 KB scanned, 1.2 s (Athena query q-1, workgroup murmur, eu-west-1)',
    ]);
  });

  it('prints a table by default, with the region from --region', async () => {
    succeeds();
    const t = io({ MURMUR_AWS_POLL_MS: '0' });
    await runAthenaQueryCommand(t.io, SQL, { region: 'us-east-1', workgroup: 'analysts' });
    expect(t.out[0]).toMatch(/^detail-type\s+n\s+share\s+positive\s+huge\s+price$/);
    expect(t.out).toHaveLength(4);
    expect(t.err[0]).toMatch(/\(Athena query q-1, workgroup analysts, us-east-1\)$/);
  });

  it('runs through `murmur query --aws`: a named query, the same SQL as locally, in the workgroup asked for', async () => {
    succeeds();
    const t = io();
    const code = await runCli(
      ['query', '--aws', '--named', 'recognised-people', '--workgroup', 'analysts', '--format', 'csv'],
      t.io,
    );
    expect(code).toBe(0);
    const started = athena.commandCalls(StartQueryExecutionCommand)[0]!.args[0].input;
    expect(started.QueryString).toBe(findNamedQuery('recognised-people')!.sql);
    expect(started.WorkGroup).toBe('analysts');
    expect(started.QueryExecutionContext).toMatchObject({ Database: 'messages-data-lake' });
    expect(t.out[0]).toBe('detail-type,n,share,positive,huge,price');
  });

  it('refuses the AWS options without --aws', async () => {
    const t = io();
    expect(await runCli(['query', 'SELECT 1', '--workgroup', 'analysts'], t.io)).toBe(2);
    expect(t.err.join()).toMatch(/--workgroup only go with --aws/);
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(0);
  });

  it('stops the query on Ctrl-C and fails with exit code 130', async () => {
    const t = io();
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-5' });
    let stopped = false;
    athena.on(GetQueryExecutionCommand).callsFake(() => {
      if (stopped) return execution('CANCELLED', { Status: { State: 'CANCELLED' } });
      t.interrupt();
      return execution('RUNNING');
    });
    athena.on(StopQueryExecutionCommand).callsFake(() => {
      stopped = true;
      return {};
    });

    const error = await runAthenaQueryCommand(t.io, SQL).catch((e) => e);

    expect(athena.commandCalls(StopQueryExecutionCommand)[0]!.args[0].input).toEqual({
      QueryExecutionId: 'q-5',
    });
    expect(error).toMatchObject({ state: 'CANCELLED', exitCode: 130 });
    expect(error.message).toBe('Athena query q-5 CANCELLED: the query was cancelled');
    expect(t.out).toEqual([]);
  });
});
