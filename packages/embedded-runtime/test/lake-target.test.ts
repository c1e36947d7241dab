import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { listDeadLetters } from '@murmur/embedded-bus';
import { loadExamples } from '@murmur/events';
import { listRawFiles } from '@murmur/lake';
import { type DeliveryStreamTarget, defineService } from '@murmur/ports';
import { consoleLogger, EmbeddedRuntime, planServices, resolveHome } from '../src/index.js';

const stream = (partitionKeys: DeliveryStreamTarget['partitionKeys']): DeliveryStreamTarget => ({
  kind: 'deliveryStream',
  streamName: 'test-lake',
  prefix: 'records/',
  partitionKeys,
  retryPolicy: { maximumRetryAttempts: 0, maximumEventAgeInSeconds: 60 },
});

const lakeService = (target: DeliveryStreamTarget) =>
  defineService({
    name: 'analytics',
    source: 'murmur.analytics',
    description: 'test: every event to a delivery stream',
    publishes: [],
    archives: [],
    handlers: {},
    subscriptions: [
      {
        ruleName: 'to-lake',
        description: 'every event',
        eventPattern: { source: [{ prefix: 'murmur.' }] },
        targets: [target],
      },
    ],
  });

describe('deliveryStream targets on the embedded runtime', () => {
  const root = mkdtempSync(join(tmpdir(), 'murmur-stream-'));
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const received = loadExamples().find((e) => e.valid && e.detailType === 'MESSAGE_RECEIVED')!.envelope;

  it('plans one lake writer per stream, with the declared retries', () => {
    const plan = planServices([lakeService(stream([{ name: 'event_type', field: 'detail-type' }]))]);
    expect(plan.rules[0]!.targets).toEqual([
      {
        id: 'deliveryStream.test-lake',
        type: 'function',
        retryPolicy: { maximumRetryAttempts: 0, maximumEventAgeInSeconds: 60 },
      },
    ]);
    expect(plan.functions.map((f) => f.kind)).toEqual(['deliveryStream']);
  });

  it('appends each delivered envelope, as stored, under its partitions in <home>/lake', async () => {
    const runtime = await EmbeddedRuntime.start({
      home: resolveHome({ MURMUR_HOME: root }),
      services: [
        lakeService(
          stream([
            { name: 'event_type', field: 'detail-type' },
            { name: 'day', field: 'time', transform: 'date' },
          ]),
        ),
      ],
      log: consoleLogger({ level: 'error', write: () => {} }),
    });
    const { eventIds } = await runtime.bus.publish({
      source: 'murmur.ingress',
      detailType: 'MESSAGE_RECEIVED',
      detail: received.detail as never,
    });
    await runtime.dispatcher.idle();
    await runtime.stop();
    const files = listRawFiles(join(root, 'lake'), 'records/');
    expect(files.map((f) => f.partitions)).toEqual([
      { event_type: 'MESSAGE_RECEIVED', day: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) },
    ]);
    const line = JSON.parse(readFileSync(files[0]!.path, 'utf8'));
    expect(line).toMatchObject({
      id: eventIds[0],
      'detail-type': 'MESSAGE_RECEIVED',
      detail: received.detail,
    });
  });

  it('sends a record it cannot partition to the dead-letter queue, with the reason', async () => {
    const runtime = await EmbeddedRuntime.start({
      home: resolveHome({ MURMUR_HOME: root }),
      services: [lakeService(stream([{ name: 'who', field: 'no-such-field' }]))],
      log: consoleLogger({ level: 'error', write: () => {} }),
    });
    await runtime.bus.publish({
      source: 'murmur.ingress',
      detailType: 'MESSAGE_RECEIVED',
      detail: received.detail as never,
    });
    await runtime.dispatcher.idle();
    const dead = listDeadLetters(runtime.bus);
    await runtime.stop();
    expect(dead).toEqual([
      expect.objectContaining({
        ruleName: 'to-lake',
        error: expect.stringContaining('record has no string "no-such-field" for partition who'),
      }),
    ]);
  });
});
