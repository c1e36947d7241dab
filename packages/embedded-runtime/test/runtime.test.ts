import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { loadExamples } from '@murmur/events';
import { defineService, type Logger, type ServiceDeclaration } from '@murmur/ports';
import { consoleLogger, EmbeddedRuntime, EVENT_COUNTER, type MurmurHome, resolveHome } from '../src/index.js';

const quiet: Logger = consoleLogger({ level: 'error', write: () => {} });
const example = (type: string) => loadExamples().find((e) => e.valid && e.detailType === type)!.envelope;

/**
 * What the plumbing service declares (an archive of every event, a counted catch-all log), as a
 * double: a package never depends on a service, even in tests.
 */
function busKeeper(): ServiceDeclaration {
  return defineService({
    name: 'plumbing',
    source: 'murmur.plumbing',
    description: 'test double of the plumbing service',
    publishes: [],
    archives: [
      {
        archiveName: 'murmur-all-events',
        description: 'every event',
        eventPattern: { source: [{ prefix: 'murmur.' }] },
        retentionDays: 30,
      },
    ],
    subscriptions: [
      {
        ruleName: 'murmur-catch-all-log',
        description: 'every live event, counted',
        eventPattern: { source: [{ prefix: 'murmur.' }], 'replay-name': [{ exists: false }] },
        targets: [{ kind: 'log', logName: 'murmur-events', retentionDays: 14, countByDetailType: true }],
      },
    ],
    handlers: {},
  });
}

/** A service that answers every MESSAGE_RECEIVED with a SEND_TWEET, as responding will. */
function echoService(calls: unknown[]): ServiceDeclaration {
  return defineService({
    name: 'responding',
    source: 'murmur.responding',
    description: 'test double of the responding service',
    publishes: ['SEND_TWEET'],
    archives: [],
    subscriptions: [
      {
        ruleName: 'responding-on-received',
        description: 'reply to received messages',
        eventPattern: { 'detail-type': ['MESSAGE_RECEIVED'], 'replay-name': [{ exists: false }] },
        targets: [
          {
            kind: 'handler',
            handler: 'reply',
            inputTransformer: { inputPathsMap: { d: '$.detail' }, inputTemplate: '<d>' },
          },
        ],
      },
    ],
    handlers: {
      reply: async (input, ctx) => {
        calls.push(input);
        const send = example('SEND_TWEET');
        await ctx.bus.publish({
          source: 'murmur.responding',
          detailType: 'SEND_TWEET',
          detail: send.detail as never,
        });
        // Not its source: the runtime refuses, as the bus policy does on AWS.
        await ctx.bus
          .publish({
            source: 'murmur.egress',
            detailType: 'TWEET_SENT',
            detail: example('TWEET_SENT').detail as never,
          })
          .catch((e: Error) => calls.push(e.name));
      },
    },
  });
}

describe('EmbeddedRuntime', () => {
  let home: MurmurHome;
  let runtime: EmbeddedRuntime | undefined;
  beforeEach(() => {
    home = resolveHome({ MURMUR_HOME: mkdtempSync(join(tmpdir(), 'murmur-home-')) });
  });
  afterEach(async () => {
    await runtime?.stop();
    runtime = undefined;
    rmSync(home.root, { recursive: true, force: true });
  });

  it('wires declarations: archive, catch-all log with counts, handlers with a scoped bus', async () => {
    // Prepare
    const calls: unknown[] = [];
    runtime = await EmbeddedRuntime.start({
      home,
      services: [busKeeper(), echoService(calls)],
      log: quiet,
      dispatcher: { pollMs: 5 },
    });
    const received = example('MESSAGE_RECEIVED');

    // Act
    await runtime.bus.publish({
      source: received.source,
      detailType: 'MESSAGE_RECEIVED',
      detail: received.detail as never,
    });
    await runtime.dispatcher.idle();

    // Assess
    expect(calls).toEqual([received.detail, 'AccessDeniedException']);
    expect(runtime.bus.counters(EVENT_COUNTER)).toEqual({ MESSAGE_RECEIVED: 1, SEND_TWEET: 1 });
    const archive = runtime.bus.listArchives().find((a) => a.name === 'murmur-all-events');
    expect(archive?.eventCount).toBe(2);
    const logDir = join(home.logs, 'murmur-events');
    const lines = readdirSync(logDir).flatMap((f) =>
      readFileSync(join(logDir, f), 'utf8').trim().split('\n'),
    );
    expect(lines.map((l) => JSON.parse(l)['detail-type']).sort()).toEqual(['MESSAGE_RECEIVED', 'SEND_TWEET']);
  });

  it('removes rules a service no longer declares, keeps hand-made ones, and refuses a second runtime', async () => {
    runtime = await EmbeddedRuntime.start({
      home,
      services: [busKeeper(), echoService([])],
      log: quiet,
    });
    runtime.bus.putRule({
      name: 'by-hand',
      eventPattern: { source: ['murmur.ingress'] },
      owner: 'cli',
      targets: [
        {
          id: 'http',
          type: 'http',
          url: 'http://127.0.0.1:9/',
          retryPolicy: { maximumRetryAttempts: 0, maximumEventAgeInSeconds: 60 },
        },
      ],
    });
    await expect(EmbeddedRuntime.start({ home, services: [busKeeper()], log: quiet })).rejects.toThrow(
      /another Murmur runtime/,
    );
    await runtime.stop();

    const emptied = defineService({ ...echoService([]), subscriptions: [], handlers: {} });
    runtime = await EmbeddedRuntime.start({ home, services: [busKeeper(), emptied], log: quiet });
    expect(
      runtime.bus
        .listRules()
        .map((r) => r.name)
        .sort(),
    ).toEqual(['by-hand', 'murmur-catch-all-log']);
  });
});
