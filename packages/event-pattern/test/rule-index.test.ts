// RuleIndex: the same answer as evaluating every pattern, while evaluating far fewer.
import { describe, expect, it } from '@jest/globals';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { type CompiledPattern, compilePattern, RuleIndex } from '../src/index.js';

/** Deterministic PRNG (pure-rand's xoroshiro128+), so a failure reproduces. */
function random(seed: number): () => number {
  const rng = xoroshiro128plus(seed);
  return () => uniformFloat64(rng);
}

const SOURCES = ['murmur.ingress', 'murmur.analysis', 'murmur.egress', 'aws.ec2'];
const TYPES = ['MESSAGE_RECEIVED', 'MESSAGE_ANALYSED', 'SEND_TWEET', 'TWEET_SENT', 'Message_Received'];
const KINDS = ['mention', 'reply', 'dm', 'quote'];

class Gen {
  constructor(private readonly next: () => number) {}
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  some<T>(items: readonly T[], max: number): T[] {
    return [...new Set(Array.from({ length: 1 + this.int(max) }, () => this.pick(items)))];
  }

  /** A leaf condition on one of the pattern vocabularies. */
  leaf(values: readonly string[]): unknown[] {
    // Mostly exact values, as on a real bus, so most rules can be filed.
    const roll = this.int(10);
    if (roll < 6) return this.some(values, 3);
    switch (roll) {
      case 6:
        return [{ prefix: this.pick(values).slice(0, 1 + this.int(8)) }];
      case 7:
        return [{ 'equals-ignore-case': this.pick(values).toLowerCase() }];
      case 8:
        return [{ 'anything-but': this.some(values, 2) }];
      default:
        return [{ exists: this.chance(0.5) }];
    }
  }

  detail(): Record<string, unknown> {
    const detail: Record<string, unknown> = {};
    if (this.chance(0.5)) detail.kind = this.leaf(KINDS);
    if (this.chance(0.3)) detail.retweets = [{ numeric: ['>=', this.int(10)] }];
    if (this.chance(0.3)) detail.media = { type: this.some(['photo', 'video'], 2) };
    return detail;
  }

  pattern(): Record<string, unknown> {
    const p: Record<string, unknown> = {};
    if (this.chance(0.8)) p.source = this.leaf(SOURCES);
    if (this.chance(0.7)) p['detail-type'] = this.leaf(TYPES);
    const detail = this.detail();
    if (Object.keys(detail).length > 0) p.detail = detail;
    if (this.chance(0.15))
      p.$or = [{ 'detail-type': this.some(TYPES, 2) }, { detail: { kind: this.leaf(KINDS) } }];
    if (this.chance(0.1)) p.resources = this.some(['arn:a', 'arn:b', 'arn:c'], 2);
    if (Object.keys(p).length === 0) p.source = [this.pick(SOURCES)];
    return p;
  }

  event(): Record<string, unknown> {
    const e: Record<string, unknown> = { version: '0', id: String(this.int(1e6)) };
    if (this.chance(0.95))
      e.source = this.chance(0.05) ? [this.pick(SOURCES), this.pick(SOURCES)] : this.pick(SOURCES);
    if (this.chance(0.95)) e['detail-type'] = this.pick(TYPES);
    if (this.chance(0.5)) e.resources = this.some(['arn:a', 'arn:b', 'arn:c', 'arn:d'], 3);
    const detail: Record<string, unknown> = {};
    if (this.chance(0.8)) detail.kind = this.pick(KINDS);
    if (this.chance(0.5)) detail.retweets = this.int(12);
    if (this.chance(0.5))
      detail.media = Array.from({ length: this.int(3) }, () => ({
        type: this.pick(['photo', 'video', 'gif']),
      }));
    if (this.chance(0.9)) e.detail = detail;
    return e;
  }
}

function naive(patterns: readonly [string, CompiledPattern][], event: unknown): string[] {
  return patterns.filter(([, p]) => p.matches(event)).map(([id]) => id);
}

describe('RuleIndex', () => {
  it('answers exactly as evaluating every pattern, for random patterns and events', () => {
    // Prepare: 300 random rules, 2000 random events
    const gen = new Gen(random(20260102));
    const patterns: [string, CompiledPattern][] = Array.from({ length: 300 }, (_, i) => [
      `rule-${i}`,
      compilePattern(gen.pattern()),
    ]);
    const index = new RuleIndex();
    for (const [id, p] of patterns) index.add(id, p);
    const events = Array.from({ length: 2000 }, () => gen.event());
    // Act
    const mismatches = events.filter(
      (e) => JSON.stringify(index.match(e)) !== JSON.stringify(naive(patterns, e)),
    );
    // Assess
    expect(mismatches).toEqual([]);
    const matchedAny = events.filter((e) => naive(patterns, e).length > 0).length;
    expect(matchedAny).toBeGreaterThan(events.length / 2);
    // ...without evaluating every pattern for every event, even over this deliberately small vocabulary
    // (a few sources and types, several values per rule): the bench measures realistic buses.
    expect(index.stats.evaluations).toBeLessThan(events.length * patterns.length * 0.7);
  });

  it('stays equivalent while rules are removed and replaced', () => {
    const gen = new Gen(random(7));
    const index = new RuleIndex<number>();
    const live = new Map<number, CompiledPattern>();
    for (let round = 0; round < 400; round++) {
      const id = gen.int(60);
      if (gen.chance(0.3)) {
        index.remove(id);
        live.delete(id);
      } else {
        const p = compilePattern(gen.pattern());
        index.add(id, p);
        live.delete(id); // a replaced rule moves to the end, as it is added again
        live.set(id, p);
      }
      const event = gen.event();
      const expected = [...live].filter(([, p]) => p.matches(event)).map(([i]) => i);
      expect(index.match(event)).toEqual(expected);
      expect(index.size).toBe(live.size);
    }
  });

  it('evaluates only the rules filed under the event’s values, plus unindexed ones', () => {
    // Prepare: 100 rules on distinct detail-types, one rule with no exact field
    const index = new RuleIndex();
    for (let i = 0; i < 100; i++)
      index.add(`type-${i}`, compilePattern({ 'detail-type': [`T${i}`], source: ['s'] }));
    index.add('prefix', compilePattern({ source: [{ prefix: 's' }] }));
    // Act
    const matched = index.match({ 'detail-type': 'T42', source: 's' });
    // Assess
    expect(matched).toEqual(['type-42', 'prefix']);
    expect(index.stats).toEqual({ events: 1, evaluations: 2 });
  });

  it('files a rule once however many of its values an event array carries, and returns it once', () => {
    const index = new RuleIndex();
    index.add('r', compilePattern({ resources: ['arn:a', 'arn:b'] }));
    expect(index.match({ resources: ['arn:a', 'arn:b', ['arn:a']] })).toEqual(['r']);
    expect(index.stats.evaluations).toBe(1);
  });

  it('indexes a $or rule only on a field every branch pins', () => {
    // Prepare: source is pinned on both branches; detail-type only on one
    const index = new RuleIndex();
    index.add(
      'or',
      compilePattern({ source: ['a'], $or: [{ 'detail-type': ['X'] }, { detail: { k: ['1'] } }] }),
    );
    // Act / Assess: an event without detail-type X still reaches the rule through source
    expect(index.match({ source: 'a', 'detail-type': 'Y', detail: { k: '1' } })).toEqual(['or']);
    expect(index.match({ source: 'b', 'detail-type': 'X' })).toEqual([]);
    expect(index.stats.evaluations).toBe(1);
  });

  it('keeps case-insensitive and IP-literal rules reachable', () => {
    const index = new RuleIndex();
    index.add('ci', compilePattern({ 'detail-type': [{ 'equals-ignore-case': 'message_received' }] }));
    index.add('ip', compilePattern({ source: ['::1'] }));
    expect(index.match({ 'detail-type': 'MESSAGE_RECEIVED', source: '0:0:0:0:0:0:0:1' })).toEqual([
      'ci',
      'ip',
    ]);
  });

  it('ignores events that are not JSON objects', () => {
    const index = new RuleIndex();
    index.add('absent', compilePattern({ x: [{ exists: false }] }));
    expect(index.match(null)).toEqual([]);
    expect(index.match([])).toEqual([]);
    expect(index.match({})).toEqual(['absent']);
  });

  it('removing an unknown id is a no-op', () => {
    const index = new RuleIndex();
    index.add('a', compilePattern({ source: ['a'] }));
    index.remove('nope');
    expect(index.size).toBe(1);
    index.remove('a');
    expect(index.size).toBe(0);
    expect(index.match({ source: 'a' })).toEqual([]);
  });
});
