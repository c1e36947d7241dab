// The local lake: every named query over a generated lake of N events (default 1M; `pnpm bench
// lake 100000` for a quick run), and the lake's append throughput while the bus runs at full speed.
// Prints figures; asserts nothing (this machine is shared and noisy).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import {
  analyticsService,
  lakeSchema,
  lakeTables,
  NAMED_QUERIES,
  REFERENCE_QUERIES,
} from '@murmur/analytics';
import { consoleLogger, EmbeddedRuntime, resolveHome } from '@murmur/embedded-runtime';
import { type DetailType, loadExamples } from '@murmur/events';
import { addSegment, type LakeConfig, LakeQueryEngine, sqlString } from '@murmur/lake';
import { plumbingService } from '@murmur/plumbing';
import { defineService, type PublishEntry, type ServiceDeclaration } from '@murmur/ports';

const LABELS = [
  'Person',
  'Car',
  'Text',
  'Dog',
  'Cat',
  'Tree',
  'Building',
  'Sky',
  'Phone',
  'Laptop',
  'Food',
  'Pizza',
  'Bicycle',
  'Bus',
  'Truck',
  'Chair',
  'Table',
  'Book',
  'Bottle',
  'Cup',
  'Clock',
  'Plant',
  'Bird',
  'Horse',
  'Boat',
  'Train',
  'Airplane',
  'Umbrella',
  'Handbag',
  'Tie',
];
const PEOPLE = [
  'Grace Hopper',
  'Ada Lovelace',
  'Alan Turing',
  'Katherine Johnson',
  'Margaret Hamilton',
  'Tim Berners-Lee',
  'Barbara Liskov',
  'Donald Knuth',
  'Edsger Dijkstra',
  'Frances Allen',
];
/** Out of 20 events: 12 analysed messages, and the events around them. */
const MIX: [DetailType, number][] = [
  ['MESSAGE_ANALYSED', 12],
  ['TWITTER_TWEETED', 3],
  ['MESSAGE_RECEIVED', 3],
  ['SEND_TWEET', 1],
  ['TWEET_SENT', 1],
];
const SOURCES: Record<string, string> = {
  MESSAGE_ANALYSED: 'murmur.analysis',
  TWITTER_TWEETED: 'murmur.ingress',
  MESSAGE_RECEIVED: 'murmur.ingress',
  SEND_TWEET: 'murmur.responding',
  TWEET_SENT: 'murmur.egress',
};

const sqlList = (values: string[]) => `[${values.map(sqlString).join(', ')}]`;

/**
 * N events over 30 days, written straight into one compacted segment (generating and compacting
 * 4 GB of NDJSON would take longer than the queries). Half of the analysed messages have 1-4
 * photos with 2-7 labels, 30% of photos show 1-2 known people; sentiment 35% positive, 20% negative.
 */
export async function generateLake(config: LakeConfig, n: number): Promise<void> {
  const analysed = lakeTables().find((t) => t.name === 'analysed-messages-table')!;
  const detailType = analysed.columns.find((c) => c.name === 'detail')!.duckdbType;
  const example = (type: string) =>
    loadExamples().find((e) => e.valid && e.detailType === type)!.envelope.detail as Record<string, unknown>;
  const template = example('MESSAGE_ANALYSED') as { analysis: Record<string, unknown> };
  const typeCase = (() => {
    let at = 0;
    const arms = MIX.map(([type, share]) => {
      at += share;
      return `WHEN i % 20 < ${at} THEN '${type}'`;
    });
    return `CASE ${arms.join(' ')} END`;
  })();
  const otherDetail = `CASE "detail-type" ${MIX.slice(1)
    .map(([type]) => `WHEN '${type}' THEN ${sqlString(JSON.stringify(example(type)))}`)
    .join(' ')} END`;
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  await db.run("SET TimeZone = 'UTC'");
  await db.run('CREATE MACRO h(i, k) AS hash(i * 1000 + k)');
  await db.run('CREATE MACRO rnd(i, k) AS (hash(i * 1000 + k) % 1000000) / 1000000.0');
  await db.run(`CREATE TABLE base AS SELECT i, ${typeCase} AS "detail-type",
      TIMESTAMP '2026-03-01 00:00:00' + to_microseconds(i * (2592000000000::BIGINT // ${n})) AS time
    FROM range(${n}) r(i)`);
  await db.run(`CREATE TABLE analysed AS SELECT i, {
    'schemaVersion': 1,
    'correlationId': 'whd-' || i::VARCHAR,
    'messageId': (1900000000000000000 + i)::VARCHAR,
    'accountId': '1590000000000000001',
    'kind': ['mention', 'reply', 'quote', 'directMessage'][1 + (h(i, 1) % 4)::INT],
    'text': '@MurmurBot message ' || i::VARCHAR || ' about ' ||
      ['the weather', 'my order', 'this photo', 'a joke', 'the museum'][1 + (h(i, 2) % 5)::INT],
    'author': {'id': (1000 + h(i, 3) % 5000)::VARCHAR, 'screenName': 'user' || (h(i, 3) % 5000)::VARCHAR,
               'name': 'User ' || (h(i, 3) % 5000)::VARCHAR},
    'twitter': {'userId': (1000 + h(i, 3) % 5000)::VARCHAR, 'tweetId': (1900000000000000000 + i)::VARCHAR},
    'createdAt': strftime(time, '%Y-%m-%dT%H:%M:%SZ'),
    'analysis': {
      'language': 'en', 'languageScore': 0.99,
      'textSentiment': CASE WHEN rnd(i, 4) < 0.35 THEN 'POSITIVE' WHEN rnd(i, 4) < 0.55 THEN 'NEGATIVE'
                            WHEN rnd(i, 4) < 0.95 THEN 'NEUTRAL' ELSE 'MIXED' END,
      'sentimentScore': ${sqlString(JSON.stringify(template.analysis.sentimentScore))}::JSON,
      'textEntities': ${sqlString(JSON.stringify(template.analysis.textEntities))}::JSON,
      'keyPhrases': ${sqlString(JSON.stringify(template.analysis.keyPhrases))}::JSON,
      'images': [{
        'key': 'media/' || i::VARCHAR || '/' || j::VARCHAR || '.jpg', 'mediaKey': '3_' || i::VARCHAR || j::VARCHAR,
        'url': 'https://pbs.twimg.com/media/' || i::VARCHAR || '.jpg', 'contentType': 'image/jpeg',
        'width': 2048, 'height': 1536,
        'analysis': {
          'labels': [{'Name': ${sqlList(LABELS)}[1 + (h(i, 100 + j * 10 + k) % ${LABELS.length})::INT],
                      'Confidence': 60 + 40 * rnd(i, 200 + j * 10 + k),
                      'Instances': [{'BoundingBox': {'Width': 0.2, 'Height': 0.3, 'Left': 0.1, 'Top': 0.1}, 'Confidence': 90.0}],
                      'Parents': []} for k in range(2 + (h(i, 5 + j) % 6)::INT)],
          'textDetections': [{'DetectedText': 'WORD' || k::VARCHAR, 'Type': 'LINE', 'Id': k, 'Confidence': 95.0,
                              'Geometry': {'BoundingBox': {'Width': 0.2, 'Height': 0.05, 'Left': 0.3, 'Top': 0.1}}}
                             for k in range((h(i, 7 + j) % 3)::INT)],
          'celebrityFaces': [{'Name': ${sqlList(PEOPLE)}[1 + (h(i, 300 + j * 10 + k) % ${PEOPLE.length})::INT],
                              'Id': 'gallery:person', 'Urls': [], 'MatchConfidence': 97.0,
                              'Face': {'BoundingBox': {'Width': 0.08, 'Height': 0.1, 'Left': 0.6, 'Top': 0.27}, 'Confidence': 99.0}}
                             for k in range(CASE WHEN rnd(i, 9 + j) < 0.3 THEN 1 + (h(i, 11 + j) % 2)::INT ELSE 0 END)],
          'unrecognizedFaces': [],
          'faceDetails': [{'BoundingBox': {'Width': 0.08, 'Height': 0.1, 'Left': 0.6, 'Top': 0.27}, 'Confidence': 99.0,
                           'AgeRange': {'Low': 25, 'High': 35}, 'Emotions': [{'Type': 'HAPPY', 'Confidence': 90.0}]}
                          for k in range((h(i, 13 + j) % 3)::INT)],
          'moderationLabels': []
        }
      } for j in range(CASE WHEN rnd(i, 6) < 0.5 THEN 0 ELSE 1 + (h(i, 8) % 4)::INT END)],
      'errors': []
    },
    'aiCalls': MAP {'comprehend:DetectSentiment': 1, 'comprehend:DetectEntities': 1}
  } AS detail_struct FROM base WHERE "detail-type" = 'MESSAGE_ANALYSED'`);
  await db.run(`CREATE TABLE events AS SELECT '0' AS version, 'e-' || b.i::VARCHAR AS id, b."detail-type",
      ${'CASE b."detail-type" '}${Object.entries(SOURCES)
        .map(([t, s]) => `WHEN '${t}' THEN '${s}'`)
        .join(' ')} END AS source,
      '123456789012' AS account, b.time, 'eu-west-2' AS region, []::VARCHAR[] AS resources,
      CAST(a.detail_struct AS ${detailType}) AS detail_struct,
      CASE WHEN a.detail_struct IS NULL THEN NULL ELSE to_json(CAST(a.detail_struct AS ${detailType})) END AS detail_text,
      b."detail-type" AS event_type, strftime(b.time, '%Y-%m-%d') AS event_date
    FROM base b LEFT JOIN analysed a USING (i)`);
  await db.run(`UPDATE events SET detail_text = ${otherDetail} WHERE detail_text IS NULL`);
  await addSegment(db, config, (table) =>
    table.name === 'analysed-messages-table'
      ? `SELECT version, id, "detail-type", source, account, time, region, resources, detail_struct AS detail,
           event_date FROM events WHERE event_type = 'MESSAGE_ANALYSED'`
      : `SELECT version, id, "detail-type", source, account, time, region, resources, detail_text::JSON AS detail,
           event_type, event_date FROM events`,
  );
  db.closeSync();
  instance.closeSync();
}

async function timeQueries(config: LakeConfig): Promise<void> {
  const engine = await LakeQueryEngine.open(config);
  const goal = new Set(NAMED_QUERIES.map((q) => q.name));
  try {
    for (const query of [...NAMED_QUERIES, ...REFERENCE_QUERIES]) {
      const times: number[] = [];
      let rows = 0;
      for (let run = 0; run < 3; run++) {
        const t0 = performance.now();
        rows = (await engine.query(query.sql)).rows.length;
        times.push(performance.now() - t0);
      }
      const best = Math.min(...times);
      console.log(
        `  ${query.name.padEnd(22)} ${String(rows).padStart(9)} rows  best ${(best / 1000).toFixed(2)} s ` +
          `(runs ${times.map((t) => (t / 1000).toFixed(2)).join(', ')} s)` +
          (!goal.has(query.name)
            ? '  (reference design, no goal)'
            : best < 2000
              ? ''
              : '  OVER the 2 s goal'),
      );
    }
  } finally {
    engine.close();
  }
}

/** Bus throughput with a stand-in target on every event, and with the lake writer there instead. */
async function appendThroughput(total: number): Promise<void> {
  const noop = defineService({
    name: 'analytics',
    source: 'murmur.analytics',
    description: 'stand-in: every event to a handler that does nothing',
    publishes: [],
    archives: [],
    subscriptions: [
      {
        ruleName: 'analytics-all-events-to-lake',
        description: 'every event -> nothing',
        eventPattern: { source: [{ prefix: 'murmur.' }], 'replay-name': [{ exists: false }] },
        targets: [{ kind: 'handler', handler: 'nothing' }],
      },
    ],
    handlers: { nothing: async () => {} },
  });
  const example = loadExamples().find((e) => e.valid && e.detailType === 'MESSAGE_ANALYSED')!;
  const entry: PublishEntry = {
    source: 'murmur.analysis',
    detailType: 'MESSAGE_ANALYSED',
    detail: example.envelope.detail as never,
  };
  const run = async (label: string, services: ServiceDeclaration[]) => {
    const root = mkdtempSync(join(tmpdir(), 'murmur-lake-bench-'));
    const runtime = await EmbeddedRuntime.start({
      home: resolveHome({ MURMUR_HOME: root }),
      services,
      log: consoleLogger({ level: 'error' }),
      dispatcher: { concurrency: 256, pollMs: 5 },
    });
    const batch = Array.from({ length: 10 }, () => entry);
    const started = performance.now();
    for (let i = 0; i < total / batch.length; i++) {
      await runtime.bus.publish(batch);
      if (i % 20 === 0) await new Promise((r) => setImmediate(r));
    }
    await runtime.dispatcher.idle(600_000);
    const seconds = (performance.now() - started) / 1000;
    const writer = runtime.deliveryStreams.get('murmur-events-lake');
    await runtime.stop();
    const lake = writer
      ? `; lake: ${writer.stats.records} records in ${writer.stats.writes} writes ` +
        `(${(writer.stats.records / writer.stats.writes).toFixed(1)} per write), ` +
        `${(writer.stats.bytes / 1024 / 1024).toFixed(1)} MiB, ${(writer.stats.records / seconds).toFixed(0)} appends/s`
      : '';
    console.log(
      `  ${label.padEnd(34)} ${(total / seconds).toFixed(0).padStart(6)} events/s through the bus${lake}`,
    );
    rmSync(root, { recursive: true, force: true });
    return total / seconds;
  };
  const base = await run('plumbing + a do-nothing target', [plumbingService(), noop]);
  const lake = await run('plumbing + analytics (lake writer)', [plumbingService(), analyticsService()]);
  console.log(
    `  the lake writer costs the bus ${(((base - lake) / base) * 100).toFixed(1)}% of its throughput`,
  );
}

export async function runLakeBench(n = Number(process.argv[3] ?? 1_000_000)): Promise<void> {
  console.log(`\nlake: ${n.toLocaleString('en-US')} events (60% MESSAGE_ANALYSED), one compacted segment`);
  const root = mkdtempSync(join(tmpdir(), 'murmur-lake-'));
  try {
    const config: LakeConfig = { root, schema: lakeSchema() };
    const t0 = performance.now();
    await generateLake(config, n);
    console.log(`  generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    await timeQueries(config);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  console.log('\nlake appends while the bus runs at full speed (MESSAGE_ANALYSED, 2.4 KB each):');
  await appendThroughput(Math.min(n, 20_000));
}
