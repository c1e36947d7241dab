// How each kind of error on the way to X is treated. The 4xx/5xx cases come from the emulator
// over HTTP (twitter-api-v2 builds the errors); the rest from the error classes themselves.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { XEmulator } from '@murmur/x-emulator';
import { TwitterApi } from 'twitter-api-v2';
import { classifyFailure, rateLimitResetMs, WrongAccountError } from '../src/failures.js';
import { MediaUnusableError } from '../src/media.js';
import { ADA, BOT } from './support.js';

const NOW = Date.UTC(2026, 2, 1, 12);

describe('classifyFailure, with X answering', () => {
  let emulator: XEmulator;
  let client: TwitterApi;
  beforeEach(async () => {
    emulator = await XEmulator.start({ me: BOT, now: () => NOW });
    emulator.addUser(ADA);
    client = new TwitterApi(
      { appKey: 'k', appSecret: 's', accessToken: 't', accessSecret: 'ts' },
      { httpAgent: emulator.agent() },
    );
  });
  afterEach(async () => {
    await emulator.stop();
  });

  const failureOf = async (status: number, body?: unknown) => {
    emulator.failNext('tweets.create', status, 1, body);
    const error = await client.v2.tweet('hello').catch((e: unknown) => e);
    return classifyFailure(error, NOW);
  };

  it.each([
    [500, 'transient'],
    [502, 'transient'],
    [503, 'transient'],
    [504, 'transient'],
    [401, 'credentials'],
    [400, 'refused'],
    [403, 'refused'],
    [404, 'refused'],
  ])('HTTP %i is %s', async (status, kind) => {
    const failure = await failureOf(status);

    expect(failure).toMatchObject({ kind, statusCode: status });
    expect(failure.reason).toMatch(new RegExp(`^X refused \\(HTTP ${status}\\): `));
  });

  it("X's authentication 403s are credential problems, not refusals of the reply", async () => {
    emulator.bindToken('app-only', 'app');
    const app = new TwitterApi('app-only', { httpAgent: emulator.agent() });

    const error = await app.v2.tweet('hello').catch((e: unknown) => e);

    expect(classifyFailure(error, NOW)).toMatchObject({
      kind: 'credentials',
      statusCode: 403,
      errorCode: 'https://api.twitter.com/2/problems/unsupported-authentication',
    });
  });

  it('a 429 carries the reset of the exhausted window', async () => {
    emulator.setRateLimit('tweets.create', { limit: 1, windowSeconds: 600 });
    await client.v2.tweet('one');

    const error = await client.v2.tweet('two').catch((e: unknown) => e);

    expect(classifyFailure(error, NOW)).toEqual({
      kind: 'rate-limited',
      statusCode: 429,
      errorCode: 'Too Many Requests',
      resetAtMs: NOW + 600_000,
      reason: `X refused (HTTP 429): the rate limit is used up until ${new Date(NOW + 600_000).toISOString()}`,
    });
  });
});

describe('classifyFailure, without an answer from X', () => {
  it('our own refusals keep their message', () => {
    expect(classifyFailure(new MediaUnusableError('gone'), NOW)).toEqual({ kind: 'refused', reason: 'gone' });
    expect(classifyFailure(new WrongAccountError('not @x'), NOW)).toEqual({
      kind: 'credentials',
      reason: 'not @x',
    });
  });

  it('anything else is transient, named, and clipped to what TWEET_FAILED holds', () => {
    const failure = classifyFailure(new Error('x'.repeat(5000)), NOW);

    expect(failure.kind).toBe('transient');
    expect(failure.reason).toHaveLength(2000);
    expect(failure.reason.startsWith('Error: xxx')).toBe(true);
    expect(classifyFailure('a string', NOW)).toEqual({ kind: 'transient', reason: 'a string' });
  });
});

describe('rateLimitResetMs', () => {
  const window = (remaining: number, reset: number) => ({ limit: 10, remaining, reset });

  it('takes the latest reset among the exhausted windows', () => {
    const rateLimit = { ...window(0, 1000), userDay: window(0, 5000), day: window(3, 9000) };

    expect(rateLimitResetMs(rateLimit, NOW)).toBe(5_000_000);
  });

  it('takes the 15-minute reset when no window says it is empty', () => {
    expect(rateLimitResetMs({ ...window(2, 1000), userDay: window(5, 5000) }, NOW)).toBe(1_000_000);
  });

  it("assumes X's 15-minute window when a 429 came without headers", () => {
    expect(rateLimitResetMs(undefined, NOW)).toBe(NOW + 900_000);
  });
});
