import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { consoleLogger, EmbeddedRuntime, resolveHome } from '@murmur/embedded-runtime';
import { plumbingService } from '@murmur/plumbing';
import {
  crcResponseToken,
  ingressService,
  parseIngressConfig,
  WEBHOOK_MAX_BODY_BYTES,
} from '../src/index.js';

const SECRET = 'test-consumer-secret-0123456789';
const CLIENT_SECRET = 'test-oauth2-client-secret-9876';
const ACCOUNT = '1500000000000000001';

const sign = (body: string, secret = SECRET) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('base64')}`;

let tweetIds = 1_800_000_000_000_000_000n;
function mention(text = '@murmurbot hello there'): Record<string, unknown> {
  const id = String(tweetIds++);
  return {
    for_user_id: ACCOUNT,
    tweet_create_events: [
      {
        created_at: 'Sat Nov 21 10:00:00 +0000 2026',
        id: Number(id),
        id_str: id,
        text,
        truncated: false,
        in_reply_to_status_id_str: null,
        in_reply_to_user_id_str: ACCOUNT,
        user: { id: 42, id_str: '42', name: 'Ada', screen_name: 'ada' },
        entities: { hashtags: [], urls: [], user_mentions: [{ id_str: ACCOUNT, screen_name: 'murmurbot' }] },
        timestamp_ms: '1795255200000',
      },
    ],
  };
}

describe('the X webhook on a running runtime', () => {
  let root: string;
  let runtime: EmbeddedRuntime;
  let url: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'murmur-ingress-'));
    const config = parseIngressConfig({
      X_CONSUMER_SECRET: SECRET,
      X_CLIENT_SECRET: CLIENT_SECRET,
      X_ACCOUNT_ID: ACCOUNT,
    });
    runtime = await EmbeddedRuntime.start({
      home: resolveHome({ MURMUR_HOME: root }),
      services: [plumbingService(), ingressService(() => config)],
      log: consoleLogger({ level: 'error', write: () => {} }),
      http: { port: 0 },
    });
    url = `${runtime.http!.url}/twitter`;
  });
  afterAll(async () => {
    await runtime.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const post = (body: string, headers: Record<string, string>) =>
    fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  const published = () => runtime.bus.eventsAfter(0).map((e) => e.envelope);

  describe('GET: the CRC challenge', () => {
    it('answers a token with sha256= + base64 HMAC of the consumer secret', async () => {
      const res = await fetch(`${url}?crc_token=abcDEF123_-xyz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        response_token: `sha256=${createHmac('sha256', SECRET).update('abcDEF123_-xyz').digest('base64')}`,
      });
      expect(crcResponseToken(SECRET, 'abcDEF123_-xyz')).toMatch(/^sha256=[A-Za-z0-9+/]{43}=$/);
    });

    it.each([
      ['missing', ''],
      ['JSON', `?crc_token=${encodeURIComponent('{"for_user_id":"1","tweet_create_events":[]}')}`],
      ['10 KB long', `?crc_token=${'a'.repeat(10 * 1024)}`],
      ['too short', '?crc_token=abc'],
    ])('refuses a token that is %s, so it is no signing oracle', async (_, query) => {
      const res = await fetch(`${url}${query}`);
      expect(res.status).toBe(400);
      expect(JSON.stringify(await res.json())).not.toContain('sha256=');
    });
  });

  describe('POST: deliveries', () => {
    it('publishes the raw event and MESSAGE_RECEIVED for a signed mention, and answers 200', async () => {
      const body = JSON.stringify(mention());
      const before = published().length;
      const res = await post(body, { 'X-Twitter-Webhooks-Signature': sign(body) });
      expect(res.status).toBe(200);
      const types = published()
        .slice(before)
        .map((e) => e['detail-type'])
        .sort();
      expect(types).toEqual(['MESSAGE_RECEIVED', 'TWITTER_TWEETED']);
      const archived = runtime.bus.archivedEvents('murmur-all-events').slice(before);
      expect(archived).toHaveLength(2);
    });

    it('accepts the OAuth 2 client-secret signature variant when configured', async () => {
      const body = JSON.stringify(mention());
      const res = await post(body, { 'x-twitter-webhooks-signature-oauth2': sign(body, CLIENT_SECRET) });
      expect(res.status).toBe(200);
    });

    it.each([
      ['missing', {}],
      ['malformed (no sha256= prefix)', { 'x-twitter-webhooks-signature': 'abc' }],
      ['wrong (another secret)', { 'x-twitter-webhooks-signature': 'WRONG' }],
      ['over another body', { 'x-twitter-webhooks-signature': sign('{"for_user_id":"1"}') }],
    ])('refuses a signature that is %s with 401 and publishes nothing', async (name, headers) => {
      const body = JSON.stringify(mention());
      const before = published().length;
      const forged = name.startsWith('wrong')
        ? { 'x-twitter-webhooks-signature': sign(body, 'not-the-secret') }
        : headers;
      const res = await post(body, forged as Record<string, string>);
      expect(res.status).toBe(401);
      expect(published()).toHaveLength(before);
    });

    it('refuses malformed JSON with 400, a wrong content type with 415, an oversized body with 413', async () => {
      const bad = '{"for_user_id": "1500000000000000001", ';
      expect((await post(bad, { 'x-twitter-webhooks-signature': sign(bad) })).status).toBe(400);
      const form = 'for_user_id=1';
      const res = await fetch(url, {
        method: 'POST',
        body: form,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twitter-webhooks-signature': sign(form),
        },
      });
      expect(res.status).toBe(415);
      const huge = JSON.stringify({ ...mention(), padding: 'x'.repeat(WEBHOOK_MAX_BODY_BYTES) });
      expect((await post(huge, { 'x-twitter-webhooks-signature': sign(huge) })).status).toBe(413);
    });

    it('refuses a payload with no for_user_id with 400', async () => {
      const body = JSON.stringify({ tweet_create_events: [] });
      expect((await post(body, { 'x-twitter-webhooks-signature': sign(body) })).status).toBe(400);
    });

    it('publishes the same delivery once, sent twice in a row and twice at once', async () => {
      const body = JSON.stringify(mention('@murmurbot are you there?'));
      const headers = { 'x-twitter-webhooks-signature': sign(body) };
      const before = published().length;
      const first = await post(body, headers);
      const again = await post(body, headers);
      expect([first.status, again.status]).toEqual([200, 200]);
      expect(await again.json()).toEqual({ published: 0, duplicates: 2 });

      const concurrent = JSON.stringify(mention('@murmurbot twice at once'));
      const both = await Promise.all(
        [1, 2].map(() => post(concurrent, { 'x-twitter-webhooks-signature': sign(concurrent) })),
      );
      expect(both.map((r) => r.status)).toEqual([200, 200]);
      const texts = published()
        .slice(before)
        .filter((e) => e['detail-type'] === 'MESSAGE_RECEIVED')
        .map((e) => (e.detail as { text: string }).text);
      expect(texts).toEqual(['@murmurbot are you there?', '@murmurbot twice at once']);
    });
  });
});
