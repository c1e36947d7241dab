import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { EmbeddedBus } from '@murmur/embedded-bus';
import { consoleLogger, SqliteCheckpointStore, SqliteIdempotencyStore } from '@murmur/embedded-runtime';
import type { ScheduleContext } from '@murmur/ports';
import { createXClient } from '@murmur/x-client';
import { XEmulator } from '@murmur/x-emulator';
import { pollMentions, XMentionsSource } from '../src/index.js';

const BOT = { id: '1500000000000000001', username: 'murmurbot', name: 'Murmur' };
const ADA = { id: '2244994945', username: 'ada', name: 'Ada' };
const TOKEN = 'app-bearer-token-for-tests';

describe('polling mentions from the X API (against the emulator, through twitter-api-v2)', () => {
  let dir: string;
  let emulator: XEmulator;
  let bus: EmbeddedBus;
  let idempotency: SqliteIdempotencyStore;
  let checkpoints: SqliteCheckpointStore;
  let now: Date;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'murmur-poll-'));
    emulator = await XEmulator.start();
    emulator.addUser(BOT);
    emulator.addUser(ADA);
    emulator.bindToken(TOKEN, 'app');
    bus = new EmbeddedBus({ path: join(dir, 'bus.db') });
    idempotency = new SqliteIdempotencyStore(join(dir, 'state.db'));
    checkpoints = new SqliteCheckpointStore(join(dir, 'state.db'));
    now = new Date();
  });
  afterEach(async () => {
    bus.close();
    idempotency.close();
    checkpoints.close();
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const source = () =>
    new XMentionsSource(createXClient({ X_BEARER_TOKEN: TOKEN, MURMUR_X_API_URL: emulator.url }));
  const ctx = (): ScheduleContext => ({
    bus,
    idempotency,
    checkpoints,
    log: consoleLogger({ level: 'error', write: () => {} }),
    now,
  });
  const messages = () =>
    bus
      .eventsAfter(0)
      .filter((e) => e.envelope['detail-type'] === 'MESSAGE_RECEIVED')
      .map((e) => e.envelope.detail as { text: string; ingress: string; tweetId: string; media: unknown[] });

  it('starts from now, then publishes each new mention once, oldest first, with photos', async () => {
    // Prepare: a mention from before Murmur polled for the first time.
    emulator.addMention({ author: ADA.id, to: BOT.id, text: '@murmurbot an old question' });
    const poll = pollMentions({ accountIds: [BOT.id], source: source() });

    // Act + assess: the first poll only sets the checkpoint.
    await poll(ctx());
    expect(messages()).toEqual([]);
    expect(await checkpoints.get(`ingress.mentions.${BOT.id}.sinceId`)).toBeDefined();

    emulator.addMention({ author: ADA.id, to: BOT.id, text: '@murmurbot first' });
    emulator.addMention({ author: ADA.id, to: BOT.id, text: '@murmurbot second, with photos', photos: 2 });
    await poll(ctx());
    await poll(ctx()); // nothing new: nothing published twice
    expect(messages().map((m) => [m.text, m.ingress, m.media.length])).toEqual([
      ['@murmurbot first', 'poll', 0],
      ['@murmurbot second, with photos', 'poll', 2],
    ]);
  });

  it('backfills when asked, and never publishes a tweet the webhook already published', async () => {
    const seen = emulator.addMention({
      author: ADA.id,
      to: BOT.id,
      text: '@murmurbot seen by the webhook too',
    });
    // The webhook path published it first: same key scheme, MESSAGE_RECEIVED:tweet:<account>:<id>.
    await idempotency.begin([`MESSAGE_RECEIVED:tweet:${BOT.id}:${seen.id}`], {
      ttlSeconds: 3600,
      inProgressSeconds: 60,
    });
    await idempotency.complete([`MESSAGE_RECEIVED:tweet:${BOT.id}:${seen.id}`], {
      ttlSeconds: 3600,
      inProgressSeconds: 60,
    });
    emulator.addMention({ author: ADA.id, to: BOT.id, text: '@murmurbot only polled' });

    await pollMentions({ accountIds: [BOT.id], source: source(), backfill: true })(ctx());

    expect(messages().map((m) => m.text)).toEqual(['@murmurbot only polled']);
  });

  it('waits for the reset after a 429, and polls again after it', async () => {
    const poll = pollMentions({ accountIds: [BOT.id], source: source(), backfill: true });
    emulator.failNext('users.mentions', 429);
    await poll(ctx());
    const notBefore = Number(await checkpoints.get(`ingress.mentions.${BOT.id}.notBefore`));
    expect(notBefore).toBeGreaterThan(now.getTime());

    emulator.addMention({ author: ADA.id, to: BOT.id, text: '@murmurbot after the limit' });
    const requestsBefore = emulator.requests.length;
    await poll(ctx()); // still before the reset: X is not asked at all
    expect(emulator.requests.length).toBe(requestsBefore);

    now = new Date(notBefore + 1000);
    await poll(ctx());
    expect(messages().map((m) => m.text)).toEqual(['@murmurbot after the limit']);
  });
});
