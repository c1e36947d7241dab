import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { loadExamples } from '@murmur/events';
import { EmbeddedBus, MAX_ENTRY_BYTES, PublishError } from '../src/index.js';
import { exampleEntry, type TestBus, tempBus } from './helpers.js';

describe('publish', () => {
  let t: TestBus;
  beforeEach(() => {
    t = tempBus();
  });
  afterEach(() => t.cleanup());

  it('stores the event with an EventBridge envelope before returning', async () => {
    // Act
    const { eventIds } = await t.bus.publish(exampleEntry('MESSAGE_RECEIVED'));

    // Assess: a second connection to the same file sees it at once.
    const other = new EmbeddedBus({ path: t.path });
    const [stored] = other.eventsAfter(0);
    other.close();
    expect(stored?.envelope).toMatchObject({
      version: '0',
      id: eventIds[0],
      'detail-type': 'MESSAGE_RECEIVED',
      source: 'murmur.ingress',
      account: '000000000000',
      region: 'local',
      resources: [],
    });
    expect(stored?.envelope.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(stored?.envelope['replay-name']).toBeUndefined();
  });

  it('rejects an unknown source and detail-type, storing nothing', async () => {
    const bad = { source: 'murmur.nowhere', detailType: 'NOT_A_THING', detail: { x: 1 } } as never;
    await expect(t.bus.publish(bad)).rejects.toThrow(/not in the catalog/);
    expect(t.bus.lastSeq()).toBe(0);
  });

  it('rejects a known detail-type under the wrong source', async () => {
    const entry = { ...exampleEntry('MESSAGE_RECEIVED'), source: 'murmur.egress' };
    await expect(t.bus.publish(entry)).rejects.toBeInstanceOf(PublishError);
  });

  it.each(loadExamples().filter((e) => !e.valid))(
    'rejects invalid example $detailType/$name naming the field',
    async (example) => {
      const entry = {
        source: example.envelope.source,
        detailType: example.detailType,
        detail: example.envelope.detail,
      } as never;
      const error = await t.bus.publish(entry).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(PublishError);
      expect((error as PublishError).entryErrors[0]?.code).toBe('ValidationException');
      if (example.expectError) expect((error as Error).message).toContain(example.expectError);
      expect(t.bus.lastSeq()).toBe(0);
    },
  );

  it('enforces the 256 KB entry limit with a clear error', async () => {
    const base = exampleEntry('MESSAGE_RECEIVED');
    const fits = JSON.stringify(base.detail).length;
    const big = exampleEntry('MESSAGE_RECEIVED', { text: 'x'.repeat(MAX_ENTRY_BYTES) });
    expect(fits).toBeLessThan(MAX_ENTRY_BYTES);
    await expect(t.bus.publish(big)).rejects.toThrow(
      /EntryTooLarge: event is \d+ bytes; EventBridge's limit is 262144/,
    );
  });

  it('is all-or-nothing: one bad entry stores none of the batch', async () => {
    const good = exampleEntry('MESSAGE_RECEIVED');
    const bad = {
      source: 'murmur.ingress',
      detailType: 'MESSAGE_RECEIVED',
      detail: 'not an object',
    } as never;
    await expect(t.bus.publish([good, bad, good])).rejects.toThrow(
      /entry 1: ValidationException: detail must be a JSON object/,
    );
    expect(t.bus.lastSeq()).toBe(0);
    await t.bus.publish([good, good]);
    expect(t.bus.lastSeq()).toBe(2);
  });

  it('keeps the entry time, with second precision as EventBridge writes it', async () => {
    const { eventIds } = await t.bus.publish({
      ...exampleEntry('MESSAGE_RECEIVED'),
      time: new Date('2026-01-02T03:04:05.678Z'),
    });
    const [stored] = t.bus.eventsAfter(0);
    expect(stored?.envelope.id).toBe(eventIds[0]);
    expect(stored?.envelope.time).toBe('2026-01-02T03:04:05Z');
  });

  it('group-commits concurrent publishes; a bad call fails alone and the others are stored', async () => {
    const good = exampleEntry('MESSAGE_RECEIVED');
    const bad = {
      source: 'murmur.ingress',
      detailType: 'MESSAGE_RECEIVED',
      detail: { schemaVersion: 1 },
    } as never;
    const results = await Promise.allSettled([
      t.bus.publish(good),
      t.bus.publish(bad),
      t.bus.publish([good, good]),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const stored = t.bus.eventsAfter(0).map((e) => e.envelope.id);
    const ids = results.flatMap((r) => (r.status === 'fulfilled' ? r.value.eventIds : []));
    expect(stored).toEqual(ids);
    expect(ids).toHaveLength(3);
  });

  it('routes to a rule another process just added', async () => {
    // Warm this bus's rule cache, then add a rule through a second connection.
    await t.bus.publish(exampleEntry('MESSAGE_RECEIVED'));
    const other = new EmbeddedBus({ path: t.path });
    other.putRule({
      name: 'late',
      eventPattern: { 'detail-type': ['MESSAGE_RECEIVED'] },
      owner: 'test',
      targets: [
        {
          id: 'late',
          type: 'function',
          retryPolicy: { maximumRetryAttempts: 0, maximumEventAgeInSeconds: 60 },
        },
      ],
    });
    other.close();
    const got: string[] = [];
    const d = t.dispatcher({ late: async (_i, ctx) => void got.push(ctx.event.id) });
    d.start();
    await new Promise((r) => setTimeout(r, 150)); // past the rule cache's check interval
    const { eventIds } = await t.bus.publish(exampleEntry('MESSAGE_RECEIVED'));
    await d.idle();
    expect(got).toEqual(eventIds);
  });
});
