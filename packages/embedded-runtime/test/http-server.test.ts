import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RouteContext } from '@murmur/ports';
import { consoleLogger, RuntimeHttpServer } from '../src/index.js';

const context = {
  bus: { publish: async () => ({ eventIds: [] }) },
  log: consoleLogger({ level: 'error', write: () => {} }),
  idempotency: { begin: async () => [], complete: async () => {}, release: async () => {} },
} as Omit<RouteContext, 'requestId'>;

describe('RuntimeHttpServer', () => {
  let server: RuntimeHttpServer;
  const seen: { body: string; headers: Record<string, string> }[] = [];
  beforeAll(async () => {
    server = await RuntimeHttpServer.listen({
      port: 0,
      log: context.log,
      routes: [
        {
          route: {
            method: 'POST',
            path: '/hook',
            handler: 'h',
            maxBodyBytes: 1024,
            contentTypes: ['application/json'],
          },
          handler: async (req) => {
            seen.push({ body: req.rawBody.toString(), headers: req.headers });
            return { status: 200, body: { ok: true } };
          },
          context,
        },
        {
          route: { method: 'GET', path: '/boom', handler: 'b', maxBodyBytes: 0 },
          handler: async () => {
            throw new Error('handler bug');
          },
          context,
        },
      ],
    });
  });
  afterAll(() => server.close());

  const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    fetch(`${server.url}/hook`, { method: 'POST', body, headers });

  it('gives the handler the raw body and lower-cased headers', async () => {
    const res = await post('{"a": 1}', {
      'content-type': 'application/json; charset=utf-8',
      'X-Twitter-Webhooks-Signature': 'sha256=x',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect(seen.at(-1)).toMatchObject({
      body: '{"a": 1}',
      headers: { 'x-twitter-webhooks-signature': 'sha256=x' },
    });
  });

  it('refuses an oversized body with 413 before the handler runs', async () => {
    const before = seen.length;
    const res = await post(JSON.stringify({ pad: 'x'.repeat(2048) }));
    expect(res.status).toBe(413);
    expect(seen).toHaveLength(before);
  });

  it('refuses a wrong content type with 415, an unknown path with 404, a wrong method with 405', async () => {
    expect((await post('a=1', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    const wrong = await fetch(`${server.url}/hook`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
  });

  it('turns a handler error into a 500 and keeps serving', async () => {
    expect((await fetch(`${server.url}/boom`)).status).toBe(500);
    expect((await post('{}')).status).toBe(200);
  });
});
