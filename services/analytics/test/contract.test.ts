import { describe, expect, it } from '@jest/globals';
import { loadExamples } from '@murmur/events';
import { type DeliveryStreamTarget, defineService } from '@murmur/ports';
import {
  ANALYTICS_RULE_NAME,
  analyticsService,
  columnTypeStrings,
  eventPrefix,
  FIREHOSE_JQ_QUERY,
  FIREHOSE_PREFIX,
  lakeSchema,
  lakeTables,
  NAMED_QUERIES,
  PARTITION_KEYS,
  partitionProjectionParameters,
} from '../src/index.js';

describe('the lake layout', () => {
  it('keys records by detail-type and the UTC date of the event time, as Firehose renders them', () => {
    const example = loadExamples().find((e) => e.valid && e.detailType === 'MESSAGE_ANALYSED')!.envelope;
    expect(eventPrefix(example)).toBe('events/event_type=MESSAGE_ANALYSED/event_date=2026-03-14/');
    expect(FIREHOSE_PREFIX).toBe(
      'events/event_type=!{partitionKeyFromQuery:event_type}/event_date=!{partitionKeyFromQuery:event_date}/',
    );
    expect(FIREHOSE_JQ_QUERY).toBe('{event_type: ."detail-type", event_date: .time[0:10]}');
  });

  it('names partitions as Glue allows, never like a data column', () => {
    const dataColumns = new Set(lakeTables().flatMap((t) => t.columns.map((c) => c.name)));
    for (const key of PARTITION_KEYS) {
      expect(key.name).toMatch(/^[a-z_][a-z0-9_]*$/);
      expect(dataColumns.has(key.name)).toBe(false);
    }
  });
});

describe('the tables', () => {
  it('types analysed-messages-table from the catalog: envelope columns, time a timestamp, detail a full struct', () => {
    const table = lakeTables().find((t) => t.name === 'analysed-messages-table')!;
    expect(table.location).toBe('events/event_type=MESSAGE_ANALYSED/');
    expect(table.partitionKeys.map((k) => k.name)).toEqual(['event_date']);
    expect(table.columns.map((c) => [c.name, c.glueType.replace(/<.*/, '<...>')])).toEqual([
      ['version', 'string'],
      ['id', 'string'],
      ['detail-type', 'string'],
      ['source', 'string'],
      ['account', 'string'],
      ['time', 'timestamp'],
      ['region', 'string'],
      ['resources', 'array<...>'],
      ['detail', 'struct<...>'],
    ]);
    const detail = table.columns.find((c) => c.name === 'detail')!;
    // The fields the reference design's queries read, in both engines' spelling.
    expect(detail.glueType).toContain('author:struct<id:string,screenname:string,name:string>');
    expect(detail.glueType).toContain('textsentiment:string');
    expect(detail.glueType).toContain(
      'celebrityfaces:array<struct<name:string,id:string,urls:array<string>,',
    );
    expect(detail.glueType).toContain('aicalls:map<string,bigint>');
    expect(detail.duckdbType).toContain(
      '"celebrityFaces" STRUCT("Name" VARCHAR, "Id" VARCHAR, "Urls" VARCHAR[]',
    );
    expect(detail.duckdbType).toContain('"createdAt" VARCHAR');
    expect(detail.duckdbType).toContain('"aiCalls" MAP(VARCHAR, BIGINT)');
  });

  it('keeps every event in events-table, detail as JSON text, partitioned by type and date', () => {
    const table = lakeTables().find((t) => t.name === 'events-table')!;
    expect(table.location).toBe('events/');
    expect(table.partitionKeys.map((k) => k.name)).toEqual(['event_type', 'event_date']);
    expect(table.columns.find((c) => c.name === 'detail')).toMatchObject({
      glueType: 'string',
      duckdbType: 'JSON',
    });
    expect(table.detailTypes).toContain('TWITTER_UNKNOWN');
  });

  it('derives both type strings from one walk, and refuses schemas a table cannot hold', () => {
    expect(
      columnTypeStrings({
        type: 'object',
        properties: {
          n: { anyOf: [{ type: 'integer' }, { type: 'null' }] },
          either: { anyOf: [{ type: 'string' }, { type: 'number' }] },
          'odd-name': { type: 'array', items: { type: 'boolean' } },
          counts: { type: 'object', additionalProperties: { type: 'number' } },
          anything: {},
          at: { type: 'string', format: 'date-time' },
        },
      }),
    ).toEqual({
      glue: 'struct<n:bigint,either:string,`odd-name`:array<boolean>,counts:map<string,double>,anything:string,at:string>',
      duckdb:
        'STRUCT("n" BIGINT, "either" JSON, "odd-name" BOOLEAN[], "counts" MAP(VARCHAR, DOUBLE), "anything" JSON, "at" VARCHAR)',
    });
    expect(columnTypeStrings({ type: 'string', format: 'date-time' }, { dateTimeAsTimestamp: true })).toEqual(
      {
        glue: 'timestamp',
        duckdb: 'TIMESTAMP',
      },
    );
    expect(() => columnTypeStrings({ type: 'object', properties: { Name: {}, name: {} } })).toThrow(
      '$: fields "Name" and "name" differ only by case; a table cannot hold both',
    );
    expect(() => columnTypeStrings({ $ref: '#/definitions/x' })).toThrow('$: $ref is not supported');
  });

  it('gives Glue partition projection: no crawler, no MSCK REPAIR', () => {
    const [analysed, events] = lakeTables();
    expect(partitionProjectionParameters(analysed!, 's3://lake-bucket/')).toEqual({
      'projection.enabled': 'true',
      'projection.event_date.type': 'date',
      'projection.event_date.format': 'yyyy-MM-dd',
      'projection.event_date.range': '2024-01-01,NOW',
      'projection.event_date.interval': '1',
      'projection.event_date.interval.unit': 'DAYS',
      'storage.location.template':
        // biome-ignore lint/suspicious/noTemplateCurlyInString: Athena's own placeholder syntax
        's3://lake-bucket/events/event_type=MESSAGE_ANALYSED/event_date=${event_date}/',
    });
    const params = partitionProjectionParameters(events!, 's3://lake-bucket');
    expect(params['projection.event_type.type']).toBe('enum');
    expect(params['projection.event_type.values']!.split(',')).toContain('MESSAGE_ANALYSED');
    expect(params['storage.location.template']).toBe(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Athena's own placeholder syntax
      's3://lake-bucket/events/event_type=${event_type}/event_date=${event_date}/',
    );
  });

  it('hands the local engine the same tables', () => {
    const schema = lakeSchema();
    expect(schema.database).toBe('messages-data-lake');
    expect(schema.tables.map((t) => [t.name, t.partitionFilter, t.partitionKeys])).toEqual([
      ['analysed-messages-table', { event_type: 'MESSAGE_ANALYSED' }, ['event_date']],
      ['events-table', {}, ['event_type', 'event_date']],
    ]);
  });

  it('names every named query once, each on a table of the database', () => {
    const names = NAMED_QUERIES.map((q) => q.name);
    expect(names).toEqual([
      'recognised-people',
      'image-labels',
      'positive-messages',
      'negative-by-author',
      'volume-per-hour',
    ]);
    for (const q of NAMED_QUERIES)
      expect(q.sql).toMatch(/FROM "messages-data-lake"\."(analysed-messages|events)-table"/);
  });
});

describe('analyticsService', () => {
  it('sends every live event, replays excluded, to the lake delivery stream', () => {
    const service = analyticsService();
    expect(service.subscriptions).toEqual([
      {
        ruleName: ANALYTICS_RULE_NAME,
        description: expect.any(String),
        eventPattern: { source: [{ prefix: 'murmur.' }], 'replay-name': [{ exists: false }] },
        targets: [
          {
            kind: 'deliveryStream',
            streamName: 'murmur-events-lake',
            prefix: 'events/',
            partitionKeys: [
              { name: 'event_type', field: 'detail-type' },
              { name: 'event_date', field: 'time', transform: 'date' },
            ],
            buffering: { intervalSeconds: 60, sizeMiB: 64 },
            retryPolicy: { maximumRetryAttempts: 185, maximumEventAgeInSeconds: 86_400 },
          },
        ],
      },
    ]);
  });

  it.each([
    [{ streamName: 'no spaces' }, 'a stream name is 1-64 of A-Z a-z 0-9 _ . -'],
    [{ prefix: '/abs/' }, 'prefix "/abs/" must be relative path segments ending with "/"'],
    [{ prefix: 'events/../up/' }, 'prefix "events/../up/" must be relative'],
    [{ partitionKeys: [] }, 'it needs at least one partition key'],
    [
      { partitionKeys: [{ name: 'event-type', field: 'detail-type' }] },
      'partition key "event-type" must be lowercase',
    ],
    [
      {
        partitionKeys: [
          { name: 'k', field: 'a' },
          { name: 'k', field: 'b' },
        ],
      },
      'partition key "k" is declared twice',
    ],
    [
      { buffering: { intervalSeconds: 30, sizeMiB: 64 } },
      'buffering.intervalSeconds must be 60..900, got 30',
    ],
    [{ buffering: { intervalSeconds: 60, sizeMiB: 1 } }, 'buffering.sizeMiB must be 64..128, got 1'],
  ] as [Partial<DeliveryStreamTarget>, string][])('refuses a bad delivery stream: %j', (change, message) => {
    const service = analyticsService();
    const target = { ...(service.subscriptions[0]!.targets[0] as DeliveryStreamTarget), ...change };
    expect(() =>
      defineService({ ...service, subscriptions: [{ ...service.subscriptions[0]!, targets: [target] }] }),
    ).toThrow(message);
  });
});
