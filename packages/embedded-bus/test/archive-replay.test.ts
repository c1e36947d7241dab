import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { EventEnvelope } from '@murmur/events';
import { cancelReplay, describeReplay, listReplays, type ReplayStatus, startReplay } from '../src/index.js';
import { exampleEntry, functionRule, NO_RETRY, type TestBus, tempBus } from './helpers.js';

const ALL = { source: [{ prefix: 'murmur.' }] };
const LIVE = { source: [{ prefix: 'murmur.' }], 'replay-name': [{ exists: false }] };

describe('archive and replay', () => {
  let t: TestBus;
  let now: number;
  beforeEach(() => {
    now = Date.parse('2026-11-20T12:00:00Z');
    t = tempBus({ now: () => now });
    t.bus.createArchive({ name: 'all', eventPattern: ALL, retentionDays: 7 });
    t.bus.createArchive({
      name: 'sent-only',
      eventPattern: { 'detail-type': ['TWEET_SENT'] },
      retentionDays: 0,
    });
  });
  afterEach(() => t.cleanup());

  async function publishAt(iso: string, detailType: 'MESSAGE_RECEIVED' | 'TWEET_SENT' = 'MESSAGE_RECEIVED') {
    return (await t.bus.publish({ ...exampleEntry(detailType), time: new Date(iso) })).eventIds[0]!;
  }

  it('archives what matches each archive pattern, and never archives replays', async () => {
    await publishAt('2026-11-20T10:00:00Z');
    await publishAt('2026-11-20T10:01:00Z', 'TWEET_SENT');
    await startReplay(t.bus, {
      replayName: 'r1',
      archiveName: 'all',
      eventStartTime: new Date(0),
      eventEndTime: new Date(now),
    });
    const byName = Object.fromEntries(t.bus.listArchives().map((a) => [a.name, a.eventCount]));
    expect(byName).toEqual({ all: 2, 'sent-only': 1 });
    expect(t.bus.listArchives().find((a) => a.name === 'all')?.sizeBytes).toBeGreaterThan(100);
  });

  it('replays a time window in order with replay-name set; live-only rules do not see it', async () => {
    // Prepare
    const ids = [
      await publishAt('2026-11-20T09:00:00Z'),
      await publishAt('2026-11-20T10:00:00Z'),
      await publishAt('2026-11-20T10:30:00Z'),
      await publishAt('2026-11-20T11:00:00Z'),
    ];
    const seen: Record<string, EventEnvelope[]> = { live: [], any: [] };
    t.bus.putRule(functionRule('live', LIVE, NO_RETRY));
    t.bus.putRule(functionRule('any', ALL, NO_RETRY));
    const d = t.dispatcher({
      live: async (_i, ctx) => void seen.live!.push(ctx.event),
      any: async (_i, ctx) => void seen.any!.push(ctx.event),
    });
    d.start();
    const progress: ReplayStatus[] = [];

    // Act: [10:00, 11:00) holds the 2nd and 3rd events.
    const status = await startReplay(
      t.bus,
      {
        replayName: 'window',
        archiveName: 'all',
        eventStartTime: new Date('2026-11-20T10:00:00Z'),
        eventEndTime: new Date('2026-11-20T11:00:00Z'),
      },
      { chunkSize: 1, onProgress: (s) => progress.push(s) },
    );
    await d.idle();

    // Assess
    expect(status).toMatchObject({
      state: 'COMPLETED',
      total: 2,
      replayed: 2,
      eventLastReplayedTime: '2026-11-20T10:30:00.000Z',
    });
    expect(progress.map((p) => p.replayed)).toEqual([1, 2, 2]);
    expect(seen.live).toEqual([]);
    expect(seen.any!.map((e) => e.id)).toEqual([ids[1], ids[2]]);
    expect(seen.any!.every((e) => e['replay-name'] === 'window')).toBe(true);
    expect(describeReplay(t.bus, 'window').state).toBe('COMPLETED');
    expect(listReplays(t.bus).map((r) => r.replayName)).toEqual(['window']);
  });

  it('replays only to the named rules when asked', async () => {
    await publishAt('2026-11-20T10:00:00Z');
    const got: string[] = [];
    for (const name of ['one', 'two']) {
      t.bus.putRule({
        name,
        eventPattern: ALL,
        owner: 'test',
        targets: [{ id: name, type: 'function', retryPolicy: NO_RETRY }],
      });
    }
    const d = t.dispatcher({ one: async () => void got.push('one'), two: async () => void got.push('two') });
    d.start();
    await d.idle();
    got.length = 0;
    await startReplay(t.bus, {
      replayName: 'just-two',
      archiveName: 'all',
      eventStartTime: new Date(0),
      eventEndTime: new Date(now),
      ruleNames: ['two'],
    });
    await d.idle();
    expect(got).toEqual(['two']);
  });

  it('rejects bad replays with clear errors', async () => {
    const window = { eventStartTime: new Date(0), eventEndTime: new Date(now) };
    await expect(startReplay(t.bus, { replayName: 'x', archiveName: 'nope', ...window })).rejects.toThrow(
      'archive nope does not exist',
    );
    await expect(
      startReplay(t.bus, {
        replayName: 'x',
        archiveName: 'all',
        eventStartTime: new Date(now),
        eventEndTime: new Date(0),
      }),
    ).rejects.toThrow('start time must be before its end time');
    await expect(
      startReplay(t.bus, { replayName: 'x', archiveName: 'all', ...window, ruleNames: ['ghost'] }),
    ).rejects.toThrow('rule ghost does not exist');
    await expect(
      startReplay(t.bus, { replayName: 'bad name!', archiveName: 'all', ...window }),
    ).rejects.toThrow('must match');
    await startReplay(t.bus, { replayName: 'once', archiveName: 'all', ...window });
    await expect(startReplay(t.bus, { replayName: 'once', archiveName: 'all', ...window })).rejects.toThrow(
      'already exists',
    );
  });

  it('cancels a running replay between chunks', async () => {
    for (let i = 0; i < 5; i++) await publishAt(`2026-11-20T10:0${i}:00Z`);
    const status = await startReplay(
      t.bus,
      { replayName: 'stop-me', archiveName: 'all', eventStartTime: new Date(0), eventEndTime: new Date(now) },
      { chunkSize: 2, onProgress: (s) => s.state === 'RUNNING' && cancelReplay(t.bus, 'stop-me') },
    );
    expect(status.state).toBe('CANCELLED');
    expect(status.replayed).toBe(2);
    expect(() => cancelReplay(t.bus, 'stop-me')).toThrow(/only a running replay/);
  });

  it('drops archived events past retention; retention 0 keeps them', async () => {
    await publishAt('2026-11-01T10:00:00Z', 'TWEET_SENT'); // 19 days old
    await publishAt('2026-11-19T10:00:00Z', 'TWEET_SENT'); // 1 day old
    const pruned = t.bus.prune(0);
    const counts = Object.fromEntries(t.bus.listArchives().map((a) => [a.name, a.eventCount]));
    expect(pruned.archived).toBe(1);
    expect(counts).toEqual({ all: 1, 'sent-only': 2 });
    expect(t.bus.lastSeq()).toBe(2);
  });

  it('refuses a duplicate archive and a malformed archive pattern', () => {
    expect(() => t.bus.createArchive({ name: 'all', eventPattern: ALL, retentionDays: 1 })).toThrow(
      'already exists',
    );
    expect(() =>
      t.bus.createArchive({ name: 'bad', eventPattern: { source: [{ prefix: 5 }] }, retentionDays: 1 }),
    ).toThrow(/Event pattern is not valid|prefix/);
  });
});
