import { describe, expect, it } from '@jest/globals';
import { ResultCache } from '../src/result-cache.js';

describe('ResultCache', () => {
  it('computes a key once, also for callers that ask while it is still running', async () => {
    const cache = new ResultCache<number>(4);
    let runs = 0;
    const compute = async () => ++runs;
    const [a, b] = await Promise.all([cache.get('k', compute), cache.get('k', compute)]);
    expect([a, b, await cache.get('k', compute), runs]).toEqual([1, 1, 1, 1]);
  });

  it('forgets failures, so a retry runs again', async () => {
    const cache = new ResultCache<string>(4);
    await expect(cache.get('k', () => Promise.reject(new Error('worker died')))).rejects.toThrow(
      'worker died',
    );
    expect(cache.peek('k')).toBeUndefined();
    expect(await cache.get('k', async () => 'ok')).toBe('ok');
  });

  it('evicts the least recently used key beyond its capacity', async () => {
    const cache = new ResultCache<string>(2);
    await cache.get('a', async () => 'a');
    await cache.get('b', async () => 'b');
    await cache.get('a', async () => 'again'); // a is now the most recent
    await cache.get('c', async () => 'c');
    expect(cache.peek('b')).toBeUndefined();
    expect(await cache.peek('a')).toBe('a');
    expect(cache.size).toBe(2);
  });
});
