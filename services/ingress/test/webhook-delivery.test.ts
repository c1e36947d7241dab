// The POST handler with the embedded runtime's real stores, no HTTP: what group commit must not
// change (duplicates at once publish once) and what a storage failure must still do (500, claims
// released so X's retry is published).
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { EmbeddedBus } from '@murmur/embedded-bus';
import { consoleLogger, SqliteIdempotencyStore } from '@murmur/embedded-runtime';
import type { HttpRequest, RouteContext } from '@murmur/ports';
import { deliveryHandler, parseIngressConfig } from '../src/index.js';

const SECRET = 'test-consumer-secret-0123456789';
const ACCOUNT = '1500000000000000001';
const config = parseIngressConfig({ X_CONSUMER_SECRET: SECRET, X_ACCOUNT_ID: ACCOUNT });
const handle = deliveryHandler(() => config);

function signedMention(id: string, text: string): HttpRequest {
  const body = JSON.stringify({
    for_user_id: ACCOUNT,
    tweet_create_events: [
      {
        created_at: 'Sat Nov 21 10:00:00 +0000 2026',
        id_str: id,
        text,
        in_reply_to_user_id_str: ACCOUNT,
        user: { id_str: '42', name: 'Ada', screen_name: 'ada' },
        entities: { user_mentions: [{ id_str: ACCOUNT, screen_name: 'murmurbot' }] },
      },
    ],
  });
  return {
    method: 'POST',
    path: '/twitter',
    query: {},
    headers: {
      'content-type': 'application/json',
      'x-twitter-webhooks-signature': `sha256=${createHmac('sha256', SECRET).update(body).digest('base64')}`,
    },
    rawBody: Buffer.from(body),
  };
}

describe('webhook deliveries against the real stores', () => {
  let dir: string;
  let bus: EmbeddedBus;
  let idempotency: SqliteIdempotencyStore;
  const ctx = (publishTo: EmbeddedBus): RouteContext => ({
    bus: publishTo,
    idempotency,
    log: consoleLogger({ level: 'error', write: () => {} }),
    requestId: 'test',
  });
  const messages = () =>
    bus
      .eventsAfter(0)
      .filter((e) => e.envelope['detail-type'] === 'MESSAGE_RECEIVED')
      .map((e) => (e.envelope.detail as { text: string }).text);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'murmur-delivery-'));
    bus = new EmbeddedBus({ path: join(dir, 'bus.db') });
    idempotency = new SqliteIdempotencyStore(join(dir, 'state.db'));
  });
  afterEach(() => {
    bus.close();
    idempotency.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes a delivery sent many times at once exactly once, next to other deliveries', async () => {
    const same = signedMention('1800000000000000001', '@murmurbot once');
    const requests = [
      ...Array.from({ length: 8 }, () => same),
      signedMention('1800000000000000002', '@murmurbot other'),
    ];
    const responses = await Promise.all(requests.map((r) => handle(r, ctx(bus))));
    expect(responses.map((r) => r.status)).toEqual(requests.map(() => 200));
    const published = responses.map((r) => (r.body as { published: number }).published);
    expect(published.slice(0, 8).sort()).toEqual([0, 0, 0, 0, 0, 0, 0, 2]);
    expect(published[8]).toBe(2);
    expect(messages().sort()).toEqual(['@murmurbot once', '@murmurbot other']);
  });

  it('answers 500 when the events cannot be stored, and releases the claims so the retry is published', async () => {
    const delivery = signedMention('1800000000000000003', '@murmurbot after a failure');
    const broken = new EmbeddedBus({ path: join(dir, 'bus.db') });
    broken.close(); // a store that fails on write

    const failed = await handle(delivery, ctx(broken));
    expect(failed.status).toBe(500);
    expect(messages()).toEqual([]);

    const retried = await handle(delivery, ctx(bus));
    expect(retried).toEqual({ status: 200, body: { published: 2, duplicates: 0 } });
    expect(messages()).toEqual(['@murmurbot after a failure']);
  });
});
