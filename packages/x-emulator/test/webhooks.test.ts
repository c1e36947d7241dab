import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ApiResponseError } from 'twitter-api-v2';
import { activityPayloads, crcResponseToken, signWebhookBody, type XEmulator } from '../src/index.js';
import { ADA, BOT, call, type Received, startEmulator, startWebhookServer } from './support.js';

const SECRET = 'consumer-secret-for-tests';

let emulator: XEmulator;
let now: number;
let crcSecret: string;
let webhook: Awaited<ReturnType<typeof startWebhookServer>>;

/** A webhook that answers CRC with `crcSecret` and acks deliveries with 200. */
function respond(req: Received, res: ServerResponse): void {
  const url = new URL(req.url, 'http://x');
  if (req.method === 'GET') {
    const token = url.searchParams.get('crc_token') ?? '';
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ response_token: crcResponseToken(crcSecret, token) }));
    return;
  }
  res.writeHead(200);
  res.end('ok');
}

beforeEach(async () => {
  now = Date.UTC(2026, 4, 1, 12, 0);
  crcSecret = SECRET;
  emulator = await startEmulator({ consumerSecret: SECRET, now: () => now });
  emulator.bindToken('app', 'app');
  webhook = await startWebhookServer(respond);
});

afterEach(async () => {
  await emulator.stop();
  await webhook.close();
});

const app = { auth: 'Bearer app' };
const register = () => call(emulator, 'POST', '/2/webhooks', { ...app, body: { url: webhook.url } });

describe('webhook registration (CRC)', () => {
  it('registers a URL that answers the CRC correctly', async () => {
    const res = await register();

    expect(res.status).toBe(200);
    expect(res.json.data).toEqual({
      id: expect.stringMatching(/^\d+$/),
      url: webhook.url,
      valid: true,
      created_at: '2026-05-01T12:00:00.000Z',
    });
    const crc = webhook.received[0];
    expect(crc?.method).toBe('GET');
    expect(new URL(crc?.url ?? '', 'http://x').searchParams.get('crc_token')).toBeTruthy();
    const list = await call(emulator, 'GET', '/2/webhooks', app);
    expect(list.json).toEqual({ data: [res.json.data], meta: { result_count: 1 } });
  });

  it('refuses a URL whose CRC answer is signed with the wrong secret', async () => {
    crcSecret = 'not-the-consumer-secret';

    const res = await register();

    expect(res.status).toBe(400);
    expect(res.json.errors[0].message).toMatch(/^CrcValidationFailed/);
    expect(emulator.webhooks()).toHaveLength(0);
  });

  it('refuses a duplicate URL and an invalid one', async () => {
    await register();

    const duplicate = await register();
    const invalid = await call(emulator, 'POST', '/2/webhooks', { ...app, body: { url: 'not a url' } });

    expect(duplicate.json.errors[0].message).toBe('DuplicateUrlFailed');
    expect(invalid.json.errors[0].message).toMatch(/^UrlValidationFailed/);
  });

  it('PUT re-runs the CRC and marks the webhook invalid when it fails', async () => {
    const { json } = await register();
    crcSecret = 'rotated-wrongly';

    const res = await call(emulator, 'PUT', `/2/webhooks/${json.data.id}`, app);

    expect(res.status).toBe(400);
    expect(emulator.webhooks()[0]?.valid).toBe(false);
    crcSecret = SECRET;
    const again = await call(emulator, 'PUT', `/2/webhooks/${json.data.id}`, app);
    expect(again.json.data).toMatchObject({ valid: true });
    expect(emulator.webhooks()[0]?.valid).toBe(true);
  });

  it('DELETE removes the webhook and its subscriptions', async () => {
    const { json } = await register();
    await call(emulator, 'POST', `/2/account_activity/webhooks/${json.data.id}/subscriptions/all`);

    const res = await call(emulator, 'DELETE', `/2/webhooks/${json.data.id}`, app);
    const again = await call(emulator, 'DELETE', `/2/webhooks/${json.data.id}`, app);

    expect(res.json).toEqual({ data: { deleted: true } });
    expect(again.json.errors[0].message).toBe('WebhookIdInvalid');
    expect(emulator.subscriptions(json.data.id)).toEqual([]);
  });
});

describe('Account Activity subscriptions', () => {
  it('subscribes the authenticated user, checks, lists, counts and unsubscribes', async () => {
    const id = (await register()).json.data.id;
    const base = `/2/account_activity/webhooks/${id}/subscriptions`;

    const subscribed = await call(emulator, 'POST', `${base}/all`);
    const duplicate = await call(emulator, 'POST', `${base}/all`);
    const checked = await call(emulator, 'GET', `${base}/all`);
    const listed = await call(emulator, 'GET', `${base}/all/list`, app);
    const counted = await call(emulator, 'GET', '/2/account_activity/subscriptions/count', app);
    const removed = await call(emulator, 'DELETE', `${base}/${BOT.id}/all`, app);
    const afterwards = await call(emulator, 'GET', `${base}/all`);

    expect(subscribed.json).toEqual({ data: { subscribed: true } });
    expect(duplicate.json.errors[0].message).toBe('DuplicateSubscriptionFailed');
    expect(checked.json).toEqual({ data: { subscribed: true } });
    expect(listed.json.data).toEqual({
      application_id: '28000000',
      webhook_id: id,
      webhook_url: webhook.url,
      subscriptions: [{ user_id: BOT.id }],
    });
    expect(counted.json.data.subscriptions_count_all).toBe('1');
    expect(removed.json).toEqual({ data: { subscribed: false } });
    expect(afterwards.json).toEqual({ data: { subscribed: false } });
  });

  it('reports an unknown webhook id', async () => {
    const res = await call(emulator, 'POST', '/2/account_activity/webhooks/999/subscriptions/all');

    expect(res.status).toBe(400);
    expect(res.json.errors[0].message).toBe('WebhookIdInvalid');
  });
});

describe('signed delivery', () => {
  it('signs the raw body with HMAC-SHA256 of the consumer secret, verifiable with node:crypto', async () => {
    await register();
    const payload = activityPayloads().mention({ forUser: BOT, from: ADA, text: 'hello' });

    const result = await emulator.deliver(payload);

    expect(result.status).toBe(200);
    expect(result.latencyMs).toBeGreaterThan(0);
    const post = webhook.received.find((r) => r.method === 'POST');
    expect(post?.body).toBe(JSON.stringify(payload));
    const expected = Buffer.from(
      `sha256=${createHmac('sha256', SECRET)
        .update(post?.body ?? '')
        .digest('base64')}`,
    );
    const header = Buffer.from(String(post?.headers['x-twitter-webhooks-signature']));
    expect(header.length === expected.length && timingSafeEqual(header, expected)).toBe(true);
    expect(post?.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(emulator.deliveries()).toHaveLength(1);
  });

  it('can forge a signature, sign with another secret, add the OAuth 2 header, or drop the header', async () => {
    const body = { for_user_id: BOT.id, follow_events: [] };

    await emulator.deliver(body, { url: webhook.url, signature: 'sha256=forged' });
    await emulator.deliver(body, { url: webhook.url, secret: 'other' });
    await emulator.deliver(body, { url: webhook.url, oauth2Secret: 'client-secret' });
    await emulator.deliver(body, { url: webhook.url, headers: { 'x-twitter-webhooks-signature': '' } });

    const headers = webhook.received.map((r) => r.headers);
    const raw = JSON.stringify(body);
    expect(headers[0]?.['x-twitter-webhooks-signature']).toBe('sha256=forged');
    expect(headers[1]?.['x-twitter-webhooks-signature']).toBe(signWebhookBody('other', raw));
    expect(headers[2]?.['x-twitter-webhooks-signature-oauth2']).toBe(signWebhookBody('client-secret', raw));
    expect(headers[3]?.['x-twitter-webhooks-signature']).toBeUndefined();
  });

  it('throws when there is nowhere to deliver', async () => {
    await expect(emulator.deliver({})).rejects.toThrow(/no valid webhook/);
  });
});

describe('replay jobs', () => {
  it('re-delivers what was delivered in the window, oldest first, then the completion event', async () => {
    const id = (await register()).json.data.id;
    const payloads = activityPayloads({ now: () => now });
    now = Date.UTC(2026, 4, 1, 12, 5);
    const before = payloads.follow({ forUser: BOT, source: ADA, target: BOT });
    await emulator.deliver(before);
    now = Date.UTC(2026, 4, 1, 12, 10);
    const inside1 = payloads.mention({ forUser: BOT, from: ADA, text: 'one' });
    await emulator.deliver(inside1);
    now = Date.UTC(2026, 4, 1, 12, 11);
    const inside2 = payloads.mention({ forUser: BOT, from: ADA, text: 'two' });
    await emulator.deliver(inside2);
    now = Date.UTC(2026, 4, 1, 13, 0);
    webhook.received.length = 0;

    const res = await call(
      emulator,
      'POST',
      `/2/account_activity/replay/webhooks/${id}/subscriptions/all?from_date=202605011210&to_date=202605011230`,
      app,
    );
    const job = await emulator.replayDone(res.json.data.job_id);

    expect(res.json.data).toEqual({ job_id: expect.any(String), created_at: '2026-05-01T13:00:00.000Z' });
    expect(job).toMatchObject({ state: 'complete', delivered: 2 });
    const posts = webhook.received.filter((r) => r.method === 'POST');
    expect(posts.map((p) => JSON.parse(p.body))).toEqual([
      inside1,
      inside2,
      {
        replay_job_status: {
          webhook_id: id,
          job_state: 'Complete',
          job_state_description: 'Job completed successfully',
          job_id: job.jobId,
        },
      },
    ]);
    for (const post of posts)
      expect(post.headers['x-twitter-webhooks-signature']).toBe(signWebhookBody(SECRET, post.body));
  });

  it('rejects bad windows', async () => {
    const id = (await register()).json.data.id;
    const replay = (from: string, to: string) =>
      call(
        emulator,
        'POST',
        `/2/account_activity/replay/webhooks/${id}/subscriptions/all?from_date=${from}&to_date=${to}`,
        app,
      );

    const malformed = await replay('2026-05-01', '202605011230');
    const reversed = await replay('202605011230', '202605011210');
    const future = await replay('202605011210', '202605021230');

    for (const res of [malformed, reversed, future]) {
      expect(res.status).toBe(400);
      expect(res.json.errors[0].message).toMatch(/^QueryParamInvalid/);
    }
  });
});

it('twitter-api-v2 surfaces webhook failures as ApiResponseError', async () => {
  const { appClient } = await import('./support.js');
  crcSecret = 'wrong';

  const error = await appClient(emulator, 'app')
    .v2.post('webhooks', { url: webhook.url })
    .catch((e: unknown) => e);

  expect(error).toBeInstanceOf(ApiResponseError);
  expect((error as ApiResponseError).code).toBe(400);
});
