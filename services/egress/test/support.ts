// Real parts for egress tests: the X emulator over HTTP (through twitter-api-v2 and the
// x-client loopback agent), an embedded bus and idempotency store in SQLite, a file blob store,
// and one clock shared by X, the store and the handler, so rate-limit resets and claim expiry
// are exact.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedBus } from '@murmur/embedded-bus';
import { consoleLogger, FileBlobStore, SqliteIdempotencyStore, scopedBus } from '@murmur/embedded-runtime';
import type { EventEnvelope, SendTweetDetail, TweetFailedDetail, TweetSentDetail } from '@murmur/events';
import type { BusPort, HandlerContext, IdempotencyPort, ServiceDeclaration } from '@murmur/ports';
import { createXClient } from '@murmur/x-client';
import { type EmulatedTweet, encodeJpeg, XEmulator } from '@murmur/x-emulator';
import { egressService } from '../src/declaration.js';
import type { ReplyPoster } from '../src/reply-poster.js';
import { XReplyPoster } from '../src/x-poster.js';

export const BOT = { id: '1500000000000000001', username: 'murmurbot', name: 'Murmur' };
export const ADA = { id: '2244994945', username: 'ada', name: 'Ada' };
/** A second account the bus may carry replies for, without credentials here. */
export const OTHER_BOT = { id: '1500000000000000002', username: 'otherbot', name: 'Other' };

/** User-context credentials; the emulator does not check them, only that they are sent. */
export const CREDENTIALS = {
  X_API_KEY: 'egress-test-api-key',
  X_CONSUMER_SECRET: 'egress-test-consumer-secret-0123',
  X_ACCESS_TOKEN: 'egress-test-access-token',
  X_ACCESS_TOKEN_SECRET: 'egress-test-access-token-secret',
};

/** A real 16x8 JPEG, as responding writes annotated copies. */
export const ANNOTATED_JPEG = encodeJpeg(new Uint8Array(16 * 8 * 3).fill(120), 16, 8);
export const ANNOTATED_KEY = 'annotated/2026/03/01/1/0-3_1.jpg';

export function tweetReply(
  mention: EmulatedTweet,
  overrides: Partial<SendTweetDetail> = {},
): SendTweetDetail {
  return {
    schemaVersion: 1,
    correlationId: `whd-${mention.id}`,
    accountId: BOT.id,
    sourceMessageId: mention.id,
    channel: 'tweet',
    responder: 'chatbot',
    text: '@ada Why do programmers prefer dark mode? Because light attracts bugs.',
    inReplyToTweetId: mention.id,
    replyToUserId: ADA.id,
    replyToScreenName: ADA.username,
    ...overrides,
  };
}

export function dmReply(dmEventId: string, overrides: Partial<SendTweetDetail> = {}): SendTweetDetail {
  return {
    schemaVersion: 1,
    correlationId: `whd-${dmEventId}`,
    accountId: BOT.id,
    sourceMessageId: dmEventId,
    channel: 'directMessage',
    responder: 'chatbot',
    text: 'A fact: honey never spoils.',
    replyToUserId: ADA.id,
    replyToScreenName: ADA.username,
    conversationId: `${ADA.id}-${BOT.id}`,
    recipientId: ADA.id,
    ...overrides,
  };
}

export interface HarnessOptions {
  /** Where replies go; default: X (the emulator) with CREDENTIALS. */
  poster?: (h: { emulator: XEmulator; dir: string; clock: { now: number } }) => ReplyPoster;
}

export interface Delivery {
  /** The handler's own answer: resolved, or the error it threw. */
  error?: unknown;
}

/**
 * The egress handler, called the way the embedded runtime calls it, with real ports. Time stands
 * still unless a test moves `clock.now`.
 */
export class Harness {
  readonly lines: string[] = [];
  readonly dir: string;
  readonly bus: EmbeddedBus;
  readonly idempotency: SqliteIdempotencyStore;
  readonly blobs: FileBlobStore;
  service!: ServiceDeclaration;

  private constructor(
    readonly emulator: XEmulator,
    readonly clock: { now: number },
  ) {
    this.dir = mkdtempSync(join(tmpdir(), 'murmur-egress-'));
    this.bus = new EmbeddedBus({ path: join(this.dir, 'bus.db'), now: () => this.clock.now });
    this.idempotency = new SqliteIdempotencyStore(join(this.dir, 'state.db'), () => this.clock.now);
    this.blobs = new FileBlobStore(join(this.dir, 'media'));
  }

  static async start(options: HarnessOptions = {}): Promise<Harness> {
    const clock = { now: Date.UTC(2026, 2, 1, 12, 0, 0) };
    const emulator = await XEmulator.start({ me: BOT, now: () => clock.now });
    const harness = new Harness(emulator, clock);
    emulator.addUser(ADA);
    emulator.addUser(OTHER_BOT);
    const poster = options.poster?.({ emulator, dir: harness.dir, clock }) ?? harness.xPoster();
    harness.service = egressService({ poster, now: () => harness.clock.now });
    return harness;
  }

  /** A poster for the emulator, through the same path `murmur start` takes (MURMUR_X_API_URL). */
  xPoster(accessToken = CREDENTIALS.X_ACCESS_TOKEN): XReplyPoster {
    return new XReplyPoster(
      createXClient({ ...CREDENTIALS, X_ACCESS_TOKEN: accessToken, MURMUR_X_API_URL: this.emulator.url }),
    );
  }

  /** Replaces the poster (e.g. after the credentials were fixed). */
  usePoster(poster: ReplyPoster): void {
    this.service = egressService({ poster, now: () => this.clock.now });
  }

  async putMedia(key = ANNOTATED_KEY, bytes: Uint8Array = ANNOTATED_JPEG): Promise<string> {
    await this.blobs.put(key, bytes, 'image/jpeg');
    return key;
  }

  /** Publishes a SEND_TWEET as responding would (the catalog checks it) and returns its envelope. */
  async publish(detail: SendTweetDetail): Promise<EventEnvelope> {
    const before = this.bus.lastSeq();
    await this.bus.publish({
      source: 'murmur.responding',
      detailType: 'SEND_TWEET',
      detail,
      time: new Date(this.clock.now),
    });
    return this.bus.eventsAfter(before)[0]!.envelope as EventEnvelope;
  }

  /** One delivery of `event` to the handler, as attempt `attempt`. */
  async deliver(
    event: EventEnvelope,
    options: { attempt?: number; bus?: BusPort; idempotency?: IdempotencyPort } = {},
  ): Promise<Delivery> {
    const ctx: HandlerContext = {
      bus: options.bus ?? scopedBus(this.bus, this.service),
      idempotency: options.idempotency ?? this.idempotency,
      blobs: this.blobs,
      log: consoleLogger({ level: 'debug', format: 'json', write: (line) => this.lines.push(line) }),
      ruleName: this.service.subscriptions[0]!.ruleName,
      event,
      attempt: options.attempt ?? 1,
    };
    try {
      await this.service.handlers.sendTweet!(event, ctx);
      return {};
    } catch (error) {
      return { error };
    }
  }

  sent(): TweetSentDetail[] {
    return this.details('TWEET_SENT') as TweetSentDetail[];
  }

  failed(): TweetFailedDetail[] {
    return this.details('TWEET_FAILED') as TweetFailedDetail[];
  }

  /** Calls to an emulator endpoint, e.g. `tweets.create`. */
  calls(endpoint: string): number {
    return this.emulator.requests.filter((r) => r.endpoint === endpoint).length;
  }

  async close(): Promise<void> {
    await this.emulator.stop();
    this.bus.close();
    this.idempotency.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private details(type: string): unknown[] {
    return this.bus
      .eventsAfter(0)
      .map((e) => e.envelope as EventEnvelope)
      .filter((e) => e['detail-type'] === type && e.source === 'murmur.egress')
      .map((e) => e.detail);
  }
}

/** The process "dies" at the first call: nothing after it runs, no `finally` of the handler's either. */
export class ProcessDied extends Error {
  override readonly name = 'ProcessDied';
}

/**
 * Ports for a delivery that crashes right after X answered: publishing TWEET_SENT kills it, and
 * from then on the idempotency store is never reached again (no completion, no release).
 */
export function crashingAfterX(harness: Harness): { bus: BusPort; idempotency: IdempotencyPort } {
  let dead = false;
  const die = (): never => {
    dead = true;
    throw new ProcessDied('the process stopped between X and the idempotency record');
  };
  const store = harness.idempotency;
  return {
    bus: { publish: async () => die() },
    idempotency: {
      begin: (keys, options) => (dead ? die() : store.begin(keys, options)),
      complete: async () => die(),
      release: async () => die(),
    },
  };
}
