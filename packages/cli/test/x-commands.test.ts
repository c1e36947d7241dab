import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { crcResponseToken, XEmulator } from '@murmur/x-emulator';
import { cliHome } from './helpers.js';

const CONSUMER_SECRET = 'cli-test-consumer-secret';
const BOT = { id: '1500000000000000001', username: 'murmurbot', name: 'Murmur' };
const CREDENTIALS = {
  X_API_KEY: 'cli-consumer-key',
  X_CONSUMER_SECRET: CONSUMER_SECRET,
  X_ACCESS_TOKEN: 'bot-access-token',
  X_ACCESS_TOKEN_SECRET: 'bot-access-secret',
  X_BEARER_TOKEN: 'app-bearer-token',
};

/** A webhook on loopback that answers X's CRC (correctly unless told otherwise) and records POSTs. */
async function startWebhook() {
  const state = { crcMode: 'correct' as 'correct' | 'wrong', posts: [] as unknown[] };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET') {
      const token = url.searchParams.get('crc_token') ?? '';
      const secret = state.crcMode === 'correct' ? CONSUMER_SECRET : 'not-the-consumer-secret';
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ response_token: crcResponseToken(secret, token) }));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      state.posts.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(200).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    state,
    url: `http://127.0.0.1:${port}/twitter`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let x: XEmulator;
let webhook: Awaited<ReturnType<typeof startWebhook>>;
let cli: ReturnType<typeof cliHome>;

beforeEach(async () => {
  x = await XEmulator.start({ consumerSecret: CONSUMER_SECRET, me: BOT });
  x.addUser({ id: '42', username: 'ada', name: 'Ada' });
  x.bindToken(CREDENTIALS.X_ACCESS_TOKEN, BOT.id);
  x.bindToken(CREDENTIALS.X_BEARER_TOKEN, 'app');
  webhook = await startWebhook();
  cli = cliHome();
  Object.assign(cli.env, CREDENTIALS, { MURMUR_X_API_URL: x.url });
});

afterEach(async () => {
  await x.stop();
  await webhook.stop();
  cli.cleanup();
});

async function registered(): Promise<string> {
  const result = await cli.run('x', 'webhook', 'register', webhook.url, '--json');
  expect(result.code).toBe(0);
  return JSON.parse(result.out[0] as string).id as string;
}

describe('murmur x webhook', () => {
  it('registers (CRC ok), lists, validates and deletes a webhook', async () => {
    const register = await cli.run('x', 'webhook', 'register', webhook.url);
    expect(register.err).toEqual([]);
    expect(register.code).toBe(0);
    const [created] = x.webhooks();
    expect(created).toMatchObject({ url: webhook.url, valid: true });
    expect(register.out).toEqual([`webhook ${created?.id} registered for ${webhook.url} (valid: true)`]);

    const table = await cli.run('x', 'webhook', 'list');
    expect(table.code).toBe(0);
    expect(table.out[0]).toMatch(/^ID\s+URL\s+VALID\s+CREATED/);
    expect(table.out[0]).toContain(`${created?.id}  ${webhook.url}  true`);
    expect(table.err).toEqual(['1 webhook(s)']);

    const json = await cli.run('x', 'webhook', 'list', '--json');
    expect(json.out.map((l) => JSON.parse(l))).toEqual([
      { id: created?.id, url: webhook.url, valid: true, created_at: expect.any(String) },
    ]);

    const validate = await cli.run('x', 'webhook', 'validate', created?.id as string);
    expect(validate).toMatchObject({ code: 0, out: [`webhook ${created?.id} passed the CRC`] });

    const del = await cli.run('x', 'webhook', 'delete', created?.id as string);
    expect(del).toMatchObject({ code: 0, out: [`webhook ${created?.id} deleted`] });
    expect(x.webhooks()).toEqual([]);
  });

  it('refuses a webhook that answers the CRC wrongly, with one clean line', async () => {
    webhook.state.crcMode = 'wrong';
    const result = await cli.run('x', 'webhook', 'register', webhook.url);
    expect(result.code).toBe(1);
    expect(result.out).toEqual([]);
    expect(result.err).toHaveLength(1);
    expect(result.err[0]).toMatch(/^X refused \(HTTP 400\): CrcValidationFailed/);
    expect(x.webhooks()).toEqual([]);
  });

  it('reports a failed re-validation and an unknown webhook id', async () => {
    const id = await registered();
    webhook.state.crcMode = 'wrong';
    const validate = await cli.run('x', 'webhook', 'validate', id);
    expect(validate.code).toBe(1);
    expect(validate.err[0]).toMatch(/^X refused \(HTTP 400\): CrcValidationFailed/);
    expect(x.webhooks()[0]?.valid).toBe(false);

    const unknown = await cli.run('x', 'webhook', 'delete', '999');
    expect(unknown).toMatchObject({ code: 1, err: ['X refused (HTTP 400): WebhookIdInvalid'] });
  });

  it('refuses an id that is not an X id before calling X', async () => {
    const before = x.requests.length;
    const result = await cli.run('x', 'webhook', 'delete', '../users/me');
    expect(result).toMatchObject({
      code: 1,
      err: ['webhook id "../users/me" is not an X id (1 to 19 digits)'],
    });
    expect(x.requests.length).toBe(before);
  });
});

describe('murmur x subscriptions', () => {
  it('subscribes the authenticated account, lists it and unsubscribes it', async () => {
    const id = await registered();
    const subscribe = await cli.run('x', 'subscribe', '--webhook', id);
    expect(subscribe).toMatchObject({ code: 0, out: [`@murmurbot (${BOT.id}) subscribed to webhook ${id}`] });
    expect(x.subscriptions(id)).toEqual([BOT.id]);

    const again = await cli.run('x', 'subscribe', '--webhook', id);
    expect(again).toMatchObject({ code: 1, err: ['X refused (HTTP 400): DuplicateSubscriptionFailed'] });

    const list = await cli.run('x', 'subscriptions', '--webhook', id);
    expect(list.out).toEqual([`USER_ID\n${BOT.id}`]);
    expect(list.err).toEqual([`1 subscription(s) on webhook ${id}`]);
    const json = await cli.run('x', 'subscriptions', '--webhook', id, '--json');
    expect(json.out.map((l) => JSON.parse(l))).toEqual([{ webhook_id: id, user_id: BOT.id }]);

    const unsubscribe = await cli.run('x', 'unsubscribe', '--webhook', id);
    expect(unsubscribe).toMatchObject({ code: 0, out: [`user ${BOT.id} unsubscribed from webhook ${id}`] });
    expect(x.subscriptions(id)).toEqual([]);
  });

  it('unsubscribes another user with --user (app-only credentials suffice)', async () => {
    const id = await registered();
    x.bindToken('ada-token', '42');
    const ada = cliHome();
    Object.assign(ada.env, CREDENTIALS, { X_ACCESS_TOKEN: 'ada-token', MURMUR_X_API_URL: x.url });
    try {
      expect((await ada.run('x', 'subscribe', '--webhook', id)).code).toBe(0);
    } finally {
      ada.cleanup();
    }
    expect(x.subscriptions(id)).toEqual(['42']);
    for (const name of ['X_API_KEY', 'X_ACCESS_TOKEN', 'X_ACCESS_TOKEN_SECRET'] as const) {
      delete (cli.env as Record<string, string | undefined>)[name];
    }
    const result = await cli.run('x', 'unsubscribe', '--webhook', id, '--user', '42');
    expect(result).toMatchObject({ code: 0, out: [`user 42 unsubscribed from webhook ${id}`] });
    expect(x.subscriptions(id)).toEqual([]);
  });
});

describe('murmur x replay', () => {
  it('requests a replay job that X accepts and runs', async () => {
    const id = await registered();
    await x.deliver({ for_user_id: BOT.id, favorite_events: [] });
    expect(webhook.state.posts).toHaveLength(1);
    const to = new Date(Date.now() + 60_000).toISOString();
    const result = await cli.run('x', 'replay', '--webhook', id, '--from', '-1h', '--to', to, '--json');
    expect(result.err).toEqual([]);
    expect(result.code).toBe(0);
    const job = JSON.parse(result.out[0] as string) as { webhook_id: string; job_id: string };
    expect(job).toMatchObject({ webhook_id: id, job_id: expect.stringMatching(/^\d+$/) });

    const replayLog = x.requests.find((r) => r.endpoint === 'aaa.replay');
    expect(replayLog?.query).toMatch(/^\?from_date=\d{12}&to_date=\d{12}$/);

    const done = await x.replayDone(job.job_id);
    expect(done).toMatchObject({ state: 'complete', delivered: 1 });
    expect(webhook.state.posts).toHaveLength(3);
    expect(webhook.state.posts[2]).toMatchObject({
      replay_job_status: { job_id: job.job_id, job_state: 'Complete' },
    });
  });

  it('prints the job id in plain mode, and refuses an empty window locally', async () => {
    const id = await registered();
    const ok = await cli.run('x', 'replay', '--webhook', id, '--from', '-2h', '--to', '-1h');
    expect(ok.code).toBe(0);
    expect(ok.out[0]).toMatch(new RegExp(`^replay job \\d+ accepted for webhook ${id}$`));

    const empty = await cli.run('x', 'replay', '--webhook', id, '--from', '-1h', '--to', '-2h');
    expect(empty.code).toBe(1);
    expect(empty.err[0]).toMatch(/^the replay window is empty/);
    const bad = await cli.run('x', 'replay', '--webhook', id, '--from', 'yesterday', '--to', 'now');
    expect(bad).toMatchObject({ code: 1, err: [expect.stringMatching(/^--from "yesterday" is not a time/)] });
  });
});

describe('X failures and configuration', () => {
  it('turns a 429 into one clean rate-limited line', async () => {
    x.failNext('webhooks.list', 429);
    const result = await cli.run('x', 'webhook', 'list');
    expect(result.code).toBe(1);
    expect(result.out).toEqual([]);
    expect(result.err).toHaveLength(1);
    expect(result.err[0]).toMatch(
      /^X refused \(HTTP 429\): rate limited until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/,
    );
  });

  it('hits a real rate limit with the reset time X announced', async () => {
    x.setRateLimit('aaa.list', { limit: 1, windowSeconds: 900 });
    const id = await registered();
    expect((await cli.run('x', 'subscriptions', '--webhook', id)).code).toBe(0);
    const limited = await cli.run('x', 'subscriptions', '--webhook', id);
    expect(limited.code).toBe(1);
    const until = /rate limited until (\S+)$/.exec(limited.err[0] ?? '')?.[1];
    expect(Date.parse(until ?? '')).toBeGreaterThan(Date.now() + 800_000);
  });

  it('turns a 5xx into X’s message', async () => {
    x.failNext('webhooks.create', 503);
    const result = await cli.run('x', 'webhook', 'register', webhook.url);
    expect(result.code).toBe(1);
    expect(result.err).toEqual([expect.stringMatching(/^X refused \(HTTP 503\): Service Unavailable/)]);
  });

  it('names the missing credentials and never prints secrets', async () => {
    const bare = cliHome();
    Object.assign(bare.env, { MURMUR_X_API_URL: x.url });
    try {
      const none = await bare.run('x', 'webhook', 'list');
      expect(none.code).toBe(1);
      expect(none.err).toEqual([
        'X credentials missing: set X_API_KEY, X_CONSUMER_SECRET, X_ACCESS_TOKEN, X_ACCESS_TOKEN_SECRET (OAuth 1.0a user context) or X_BEARER_TOKEN (OAuth 2.0 app-only)',
      ]);
    } finally {
      bare.cleanup();
    }

    delete (cli.env as Record<string, string | undefined>).X_BEARER_TOKEN;
    const list = await cli.run('x', 'webhook', 'list');
    expect(list).toMatchObject({
      code: 1,
      err: ['X credentials missing: set X_BEARER_TOKEN (OAuth 2.0 app-only)'],
    });

    Object.assign(cli.env, { X_BEARER_TOKEN: CREDENTIALS.X_BEARER_TOKEN, X_ACCESS_TOKEN_SECRET: '' });
    const subscribe = await cli.run('x', 'subscribe', '--webhook', '1');
    expect(subscribe).toMatchObject({
      code: 1,
      err: ['X credentials missing: set X_ACCESS_TOKEN_SECRET (OAuth 1.0a user context)'],
    });
    for (const line of [...list.err, ...subscribe.err]) {
      for (const secret of Object.values(CREDENTIALS)) expect(line).not.toContain(secret);
    }
  });

  it('refuses a non-loopback MURMUR_X_API_URL', async () => {
    Object.assign(cli.env, { MURMUR_X_API_URL: 'http://api.example.com:4010' });
    const result = await cli.run('x', 'webhook', 'list');
    expect(result.code).toBe(1);
    expect(result.err).toEqual([
      'MURMUR_X_API_URL host api.example.com is not loopback: only localhost, 127.0.0.0/8 and [::1] are allowed',
    ]);
  });
});
