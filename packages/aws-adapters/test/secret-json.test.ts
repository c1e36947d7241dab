import { describe, expect, it } from '@jest/globals';
import { cachedOnce, secretStringFields } from '../src/index.js';

// A JSON secret of string values, read as ingress and egress read their X credentials: every
// malformed secret is refused with a message that names the problem and never the text.

class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const OPTIONS = {
  label: 'test secret',
  keys: ['X_API_KEY', 'X_ACCOUNT_ID'],
  fail: (message: string) => new ConfigError(message),
} as const;

function refusal(secretString: string | undefined): Error {
  try {
    secretStringFields(secretString, OPTIONS);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the secret to be refused');
}

describe('secretStringFields', () => {
  it('returns the string values of the keys asked for, leaving out absent and unknown ones', () => {
    // prepare
    const text = JSON.stringify({ X_API_KEY: 'key-1', OTHER: 'ignored', NUMBER_ELSEWHERE: 5 });
    // act
    const values = secretStringFields(text, OPTIONS);
    // assess
    expect(values).toEqual({ X_API_KEY: 'key-1' });
  });

  it.each([
    ['no SecretString', undefined, 'test secret: no SecretString (a JSON object is expected)'],
    ['not JSON', 'X_API_KEY=hunter2-secret', 'test secret: SecretString is not JSON'],
    ['a JSON array', '["hunter2-secret"]', 'test secret: SecretString is not a JSON object'],
    ['JSON null', 'null', 'test secret: SecretString is not a JSON object'],
    ['a JSON string', '"hunter2-secret"', 'test secret: SecretString is not a JSON object'],
    ['a number value', '{"X_ACCOUNT_ID": 1234567890123}', 'test secret: X_ACCOUNT_ID must be a string'],
    ['a null value', '{"X_API_KEY": null}', 'test secret: X_API_KEY must be a string'],
  ])('refuses %s with the service error and a clear message', (_what, text, message) => {
    const error = refusal(text);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(message);
  });

  it('never puts the secret text in the message', () => {
    expect(refusal('{"X_API_KEY": "hunter2-secret",').message).not.toContain('hunter2');
    expect(refusal('["hunter2-secret"]').message).not.toContain('hunter2');
  });

  it('throws a plain Error when no service error is given', () => {
    expect(() => secretStringFields('nope', { label: 'x secret', keys: [] })).toThrow(
      new Error('x secret: SecretString is not JSON'),
    );
  });
});

describe('cachedOnce', () => {
  it('loads once and shares the result, also between concurrent callers', async () => {
    // prepare
    let loads = 0;
    const get = cachedOnce(async () => ++loads);
    // act
    const results = await Promise.all([get(), get()]);
    const later = await get();
    // assess
    expect(results).toEqual([1, 1]);
    expect(later).toBe(1);
    expect(loads).toBe(1);
  });

  it('does not keep a failure: the next call loads again', async () => {
    // prepare
    let loads = 0;
    const get = cachedOnce(async () => {
      loads += 1;
      if (loads === 1) throw new Error('not filled in yet');
      return 'filled in';
    });
    // act / assess
    await expect(get()).rejects.toThrow('not filled in yet');
    await expect(get()).resolves.toBe('filled in');
    await expect(get()).resolves.toBe('filled in');
    expect(loads).toBe(2);
  });
});
