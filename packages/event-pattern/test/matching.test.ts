// Matching, case by case, as EventBridge documents it and event-ruler implements it.
// Each fixture file holds patterns with events that must (or must not) match them.
import { describe, expect, it } from '@jest/globals';
import { compilePattern, testEventPattern } from '../src/index.js';
import { matchingFixtures } from './fixtures.js';

const files = matchingFixtures();

describe('event pattern fixtures', () => {
  it('covers every operator', () => {
    // Prepare: the fixture files present
    const names = files.map(([file]) => file);
    // Assess
    expect(names).toEqual(
      expect.arrayContaining([
        'anything-but',
        'arrays',
        'cidr',
        'envelope',
        'equals-ignore-case',
        'exact',
        'exists',
        'numeric',
        'or',
        'prefix-suffix',
        'wildcard',
      ]),
    );
  });

  describe.each(files)('%s', (_file, groups) => {
    describe.each(groups.map((g) => [g.name, g] as const))('%s', (_name, group) => {
      const pattern = compilePattern(group.pattern);

      it.each(group.cases.map((c) => [c.name, c] as const))('%s', (_caseName, testCase) => {
        // Act
        const matched = pattern.matches(testCase.event);
        // Assess
        expect(matched).toBe(testCase.matches);
      });

      it('has positive and negative cases', () => {
        expect(group.cases.some((c) => c.matches)).toBe(true);
        if (group.cases.length > 1) expect(group.cases.some((c) => !c.matches)).toBe(true);
      });
    });
  });
});

describe('testEventPattern', () => {
  it('takes the pattern and the event as JSON text, as the API does', () => {
    // Prepare: numbers written differently in the text are the same JSON number
    const pattern = '{"detail": {"x-limit": [{"numeric": ["=", 3.018e2]}], "n": [300]}}';
    const event = '{"detail": {"x-limit": 301.8, "n": 3.0e2}}';
    // Act / Assess
    expect(testEventPattern(pattern, event)).toBe(true);
    expect(testEventPattern(pattern, '{"detail": {"x-limit": 301.8, "n": 300.5}}')).toBe(false);
  });

  it('matches 300, 300.0 and 3.0e2 alike (they are one JSON number)', () => {
    for (const written of ['300', '300.0', '3.0e2', '3e2']) {
      expect(testEventPattern({ n: [300] }, `{"n": ${written}}`)).toBe(true);
      expect(testEventPattern({ n: [{ numeric: ['=', 300] }] }, `{"n": ${written}}`)).toBe(true);
    }
  });

  it('refuses an invalid pattern with InvalidEventPatternException', () => {
    expect(() => testEventPattern({ source: 'aws.ec2' }, {})).toThrow(
      expect.objectContaining({ name: 'InvalidEventPatternException' }),
    );
  });

  it('refuses event text that is not JSON', () => {
    expect(() => testEventPattern({ source: ['a'] }, '{nope')).toThrow('Event is not valid JSON');
  });

  it('never matches an event that is not a JSON object', () => {
    const pattern = compilePattern({ x: [{ exists: false }] });
    expect(pattern.matches({})).toBe(true);
    for (const event of [null, 'x', 5, [], [{}]]) expect(pattern.matches(event)).toBe(false);
  });
});

describe('compiled patterns', () => {
  it('keep the pattern as source, parsed when given as text', () => {
    // Prepare
    const text = '{"source": ["murmur.ingress"]}';
    // Act
    const compiled = compilePattern(text);
    // Assess
    expect(compiled.source).toEqual({ source: ['murmur.ingress'] });
  });

  it('can be reused across events (no state leaks between matches)', () => {
    // Prepare: a pattern that walks arrays, interleaved with one that does not
    const arrays = compilePattern({ employees: { firstName: ['Anna'], lastName: ['Smith'] } });
    const flat = compilePattern({ source: ['a'] });
    const split = { employees: [{ firstName: 'Anna' }, { lastName: 'Smith' }] };
    const same = { employees: [{ firstName: 'Anna', lastName: 'Smith' }] };
    // Act / Assess
    for (let i = 0; i < 3; i++) {
      expect(arrays.matches(split)).toBe(false);
      expect(flat.matches({ source: 'a' })).toBe(true);
      expect(arrays.matches(same)).toBe(true);
    }
  });
});
