// Egress on the embedded runtime, end to end: SEND_TWEET published on the durable bus, delivered
// by its dispatcher (retries, RetryLaterError, DLQ) to the handler, which talks to the X emulator
// over HTTP. What `murmur start` runs.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { listDeadLetters } from '@murmur/embedded-bus';
import { consoleLogger, EmbeddedRuntime, type MurmurHome, resolveHome } from '@murmur/embedded-runtime';
import type { EventEnvelope, SendTweetDetail } from '@murmur/events';
import { XEmulator } from '@murmur/x-emulator';
// The package's entry, as `murmur start` imports it.
import { EGRESS_RULE_NAME, egressService, replyPosterFromEnv } from '../src/index.js';
import { ADA, ANNOTATED_JPEG, ANNOTATED_KEY, BOT, CREDENTIALS, tweetReply } from './support.js';

let home: MurmurHome;
let emulator: XEmulator;
let runtime: EmbeddedRuntime | undefined;
const lines: string[] = [];

beforeEach(async () => {
  home = resolveHome({ MURMUR_HOME: mkdtempSync(join(tmpdir(), 'murmur-egress-rt-')) });
  emulator = await XEmulator.start({ me: BOT });
  emulator.addUser(ADA);
  lines.length = 0;
});

afterEach(async () => {
  await runtime?.stop();
  runtime = undefined;
  await emulator.stop();
  rmSync(home.root, { recursive: true, force: true });
});

/** Starts the runtime with egress configured from `env`, as `murmur start` would. */
async function start(
  env: Record<string, string | undefined> = { ...CREDENTIALS, MURMUR_X_API_URL: emulator.url },
) {
  const { poster } = replyPosterFromEnv(env, { outboxDir: join(home.root, 'outbox') });
  const started = await EmbeddedRuntime.start({
    home,
    services: [egressService({ poster })],
    log: consoleLogger({ level: 'debug', format: 'json', write: (line) => lines.push(line) }),
    // Quick backoff so the retries of a test take milliseconds; RetryLaterError ignores it.
    dispatcher: { pollMs: 5, backoff: { baseMs: 10, maxMs: 40, jitter: 0 } },
  });
  runtime = started;
  return started;
}

const publish = (rt: EmbeddedRuntime, detail: SendTweetDetail) =>
  rt.bus.publish({ source: 'murmur.responding', detailType: 'SEND_TWEET', detail });

/** Until every delivery is done (a generous bound, so a stuck delivery fails the test instead of hanging it). */
async function settle(rt: EmbeddedRuntime): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (rt.bus.pendingDeliveries() > 0) {
    if (Date.now() > deadline) throw new Error(`${rt.bus.pendingDeliveries()} deliveries still pending`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const details = (rt: EmbeddedRuntime, type: string) =>
  rt.bus
    .eventsAfter(0)
    .map((e) => e.envelope as EventEnvelope)
    .filter((e) => e['detail-type'] === type)
    .map((e) => e.detail as Record<string, unknown>);

describe('egress on the embedded runtime', () => {
  it('posts a SEND_TWEET once, with its media, however often it is published', async () => {
    const rt = await start();
    await rt.blobs.put(ANNOTATED_KEY, ANNOTATED_JPEG, 'image/jpeg');
    const mention = emulator.addMention({ author: ADA.id, text: 'who is this?' });
    const detail = tweetReply(mention, { mediaKey: ANNOTATED_KEY, mediaAltText: 'Faces marked.' });

    await publish(rt, detail);
    await publish(rt, { ...detail, correlationId: 'whd-duplicate-delivery' });
    await settle(rt);

    const posted = emulator.postedTweets();
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({ inReplyToTweetId: mention.id, mediaKeys: [expect.any(String)] });
    expect(emulator.uploadedMedia()).toHaveLength(1);
    expect(details(rt, 'TWEET_SENT')).toEqual([
      expect.objectContaining({ tweetId: posted[0]!.id, dryRun: false }),
    ]);
    expect(listDeadLetters(rt.bus)).toEqual([]);
  });

  it('X answering 500 twice, then success: the bus retries with backoff and it is posted once', async () => {
    const rt = await start();
    const mention = emulator.addMention({ author: ADA.id, text: 'hi' });
    emulator.failNext('tweets.create', 500, 2);

    await publish(rt, tweetReply(mention));
    await settle(rt);

    expect(emulator.requests.filter((r) => r.endpoint === 'tweets.create').map((r) => r.status)).toEqual([
      500, 500, 201,
    ]);
    expect(emulator.postedTweets()).toHaveLength(1);
    expect(details(rt, 'TWEET_SENT')).toHaveLength(1);
    expect(details(rt, 'TWEET_FAILED')).toEqual([]);
  });

  it("X answering 429: the bus holds the event until X's reset, then it is posted", async () => {
    // A one-second window keeps the test short; the handler waits for whatever X says.
    emulator.setRateLimit('tweets.create', { limit: 1, windowSeconds: 1 });
    const rt = await start();
    const first = emulator.addMention({ author: ADA.id, text: 'first' });
    const second = emulator.addMention({ author: ADA.id, text: 'second' });

    await publish(rt, tweetReply(first, { text: '@ada first' }));
    await publish(rt, tweetReply(second, { text: '@ada second' }));
    await settle(rt);

    const statuses = emulator.requests.filter((r) => r.endpoint === 'tweets.create').map((r) => r.status);
    expect(statuses).toContain(429);
    expect(statuses.filter((s) => s === 201)).toHaveLength(2);
    expect(
      emulator
        .postedTweets()
        .map((t) => t.text)
        .sort(),
    ).toEqual(['@ada first', '@ada second']);
    expect(
      lines.some((l) => l.includes('rate limited by X; the bus delivers it again after the reset')),
    ).toBe(true);
    expect(listDeadLetters(rt.bus)).toEqual([]);
  });

  it('X answering 401: TWEET_FAILED on the bus, and the event kept in the DLQ for a redrive', async () => {
    const rt = await start();
    const mention = emulator.addMention({ author: ADA.id, text: 'hi' });
    emulator.revokeToken(CREDENTIALS.X_ACCESS_TOKEN);

    await publish(rt, tweetReply(mention));
    await settle(rt);

    expect(details(rt, 'TWEET_FAILED')).toEqual([
      expect.objectContaining({ statusCode: 401, retryable: false, attempts: 1 }),
    ]);
    const [dead] = listDeadLetters(rt.bus);
    expect(dead).toMatchObject({
      ruleName: EGRESS_RULE_NAME,
      attempts: 1,
      error: 'ReplyAbandonedError: X refused (HTTP 401): Unauthorized',
    });
  });

  it('a reply to a tweet deleted meanwhile: TWEET_FAILED, asked once, nothing in the DLQ', async () => {
    const rt = await start();
    const mention = emulator.addMention({ author: ADA.id, text: 'gone soon' });
    emulator.deleteTweet(mention.id);

    await publish(rt, tweetReply(mention));
    await settle(rt);

    expect(details(rt, 'TWEET_FAILED')).toEqual([
      expect.objectContaining({ statusCode: 403, retryable: false, attempts: 1 }),
    ]);
    expect(emulator.requests.filter((r) => r.endpoint === 'tweets.create')).toHaveLength(1);
    expect(listDeadLetters(rt.bus)).toEqual([]);
  });

  it('with no X credentials: the reply and its image land in MURMUR_HOME/outbox, TWEET_SENT says dryRun', async () => {
    const rt = await start({});
    await rt.blobs.put(ANNOTATED_KEY, ANNOTATED_JPEG, 'image/jpeg');
    const detail = tweetReply(emulator.addMention({ author: ADA.id, text: 'who?' }), {
      mediaKey: ANNOTATED_KEY,
    });

    await publish(rt, detail);
    await publish(rt, detail);
    await settle(rt);

    const outboxPath = join(home.root, 'outbox', `${detail.sourceMessageId}.json`);
    expect(JSON.parse(readFileSync(outboxPath, 'utf8'))).toMatchObject({ text: detail.text, dryRun: true });
    expect(
      Buffer.compare(
        readFileSync(join(home.root, 'outbox', `${detail.sourceMessageId}.jpg`)),
        ANNOTATED_JPEG,
      ),
    ).toBe(0);
    expect(details(rt, 'TWEET_SENT')).toEqual([expect.objectContaining({ dryRun: true, outboxPath })]);
    expect(emulator.requests).toHaveLength(0);
  });
});
