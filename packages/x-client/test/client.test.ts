import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { XEmulator } from '@murmur/x-emulator';
import { ApiResponseError } from 'twitter-api-v2';
import {
  createXClient,
  createXClients,
  describeXError,
  formatReplayDate,
  LoopbackApiAgent,
  parseLoopbackApiUrl,
  XConfigError,
} from '../src/index.js';

const SECRETS = {
  X_API_KEY: 'consumer-key-value',
  X_CONSUMER_SECRET: 'consumer-secret-value',
  X_ACCESS_TOKEN: 'ada-access-token',
  X_ACCESS_TOKEN_SECRET: 'access-secret-value',
  X_BEARER_TOKEN: 'app-bearer-token',
};

let x: XEmulator;

beforeAll(async () => {
  x = await XEmulator.start({ consumerSecret: SECRETS.X_CONSUMER_SECRET });
  x.addUser({ id: '1500000000000000001', username: 'murmurbot', name: 'Murmur' });
  x.addUser({ id: '42', username: 'ada', name: 'Ada' });
  x.setAuthenticatedUser('murmurbot');
  x.bindToken(SECRETS.X_ACCESS_TOKEN, '42');
  x.bindToken(SECRETS.X_BEARER_TOKEN, 'app');
});

afterAll(async () => {
  await x.stop();
});

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

describe('createXClient against the emulator', () => {
  it('reaches the emulator with user context from the environment (v2.me)', async () => {
    const client = createXClient({ ...SECRETS, MURMUR_X_API_URL: x.url });
    const me = await client.v2.me();
    expect(me.data).toMatchObject({ id: '42', username: 'ada' });
    const logged = x.requests.at(-1);
    expect(logged).toMatchObject({ method: 'GET', path: '/2/users/me', status: 200 });
  });

  it('gives an app-only client for /2/webhooks and a user client for user endpoints', async () => {
    const { app, user } = createXClients({ ...SECRETS, MURMUR_X_API_URL: x.url }, { need: ['app', 'user'] });
    const listed = await app?.v2.get('webhooks');
    expect(listed).toEqual({ data: [], meta: { result_count: 0 } });
    // OAuth 1.0a user context is refused on app-only endpoints, as X does.
    const refused = await user?.v2.get('webhooks').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiResponseError);
    expect(describeXError(refused)).toMatch(/^X refused \(HTTP 403\): Unsupported Authentication/);
  });

  it('uses app-only auth when only X_BEARER_TOKEN is set', async () => {
    const client = createXClient({ X_BEARER_TOKEN: SECRETS.X_BEARER_TOKEN, MURMUR_X_API_URL: x.url });
    await expect(client.v2.get('webhooks')).resolves.toMatchObject({ data: [] });
    await expect(client.v2.me()).rejects.toBeInstanceOf(ApiResponseError);
  });

  it('turns a 429 into a rate-limited message with the reset time', async () => {
    x.failNext('users.me', 429);
    const client = createXClient({ ...SECRETS, MURMUR_X_API_URL: x.url });
    const error = await client.v2.me().catch((e: unknown) => e);
    expect(describeXError(error)).toMatch(/^X refused \(HTTP 429\): rate limited until \d{4}-\d\d-\d\dT/);
  });
});

describe('configuration errors', () => {
  it('names every missing variable when nothing is set', () => {
    const error = thrown(() => createXClient({}));
    expect(error).toBeInstanceOf(XConfigError);
    expect(error.message).toBe(
      'X credentials missing: set X_API_KEY, X_CONSUMER_SECRET, X_ACCESS_TOKEN, X_ACCESS_TOKEN_SECRET (OAuth 1.0a user context) or X_BEARER_TOKEN (OAuth 2.0 app-only)',
    );
  });

  it('names only the missing user-context variables, and never echoes values', () => {
    const error = thrown(() =>
      createXClient({
        X_API_KEY: SECRETS.X_API_KEY,
        X_CONSUMER_SECRET: SECRETS.X_CONSUMER_SECRET,
        X_ACCESS_TOKEN: '',
      }),
    );
    expect(error.message).toBe(
      'X credentials missing: set X_ACCESS_TOKEN, X_ACCESS_TOKEN_SECRET (OAuth 1.0a user context)',
    );
    for (const value of Object.values(SECRETS)) expect(error.message).not.toContain(value);
  });

  it('says which kind a caller needs', () => {
    const error = thrown(() => createXClients({ X_BEARER_TOKEN: 'b' }, { need: ['user'] }));
    expect(error.message).toMatch(/X_API_KEY, X_CONSUMER_SECRET, X_ACCESS_TOKEN, X_ACCESS_TOKEN_SECRET/);
    const app = thrown(() => createXClients({ ...SECRETS, X_BEARER_TOKEN: undefined }, { need: ['app'] }));
    expect(app.message).toBe('X credentials missing: set X_BEARER_TOKEN (OAuth 2.0 app-only)');
  });

  it.each([
    ['https://127.0.0.1:4010', /must use http:\/\//],
    ['http://api.x.com', /host api\.x\.com is not loopback/],
    ['http://10.0.0.5:4010', /not loopback/],
    ['http://127.0.0.1.evil.example:80', /not loopback/],
    ['http://user:pw@127.0.0.1:4010', /credentials/],
    ['http://127.0.0.1:4010/2', /no path/],
    ['not a url', /not a URL/],
  ])('refuses MURMUR_X_API_URL=%s', (url, message) => {
    const error = thrown(() => createXClient({ ...SECRETS, MURMUR_X_API_URL: url }));
    expect(error).toBeInstanceOf(XConfigError);
    expect(error.message).toMatch(message);
  });

  it('accepts loopback hosts', () => {
    expect(parseLoopbackApiUrl('http://127.0.0.1:4010')).toEqual({ host: '127.0.0.1', port: 4010 });
    expect(parseLoopbackApiUrl('http://localhost:4010/')).toEqual({ host: 'localhost', port: 4010 });
    expect(parseLoopbackApiUrl('http://[::1]:9')).toEqual({ host: '::1', port: 9 });
    expect(parseLoopbackApiUrl('http://127.0.0.2')).toEqual({ host: '127.0.0.2', port: 80 });
    expect(() => new LoopbackApiAgent({ host: '10.0.0.1', port: 1 })).toThrow(XConfigError);
  });
});

describe('formatReplayDate', () => {
  it('is yyyymmddhhmm in UTC, truncated to the minute', () => {
    expect(formatReplayDate(new Date('2025-03-07T04:05:59.999Z'))).toBe('202503070405');
  });
});
