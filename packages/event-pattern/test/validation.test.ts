// Validation: every pattern AWS refuses is refused here, with a reason that says what and where.
import { describe, expect, it } from '@jest/globals';
import {
  compilePattern,
  DEFAULT_MAX_PATTERN_LENGTH,
  InvalidEventPatternError,
  MAX_SUB_RULES,
  validatePattern,
} from '../src/index.js';
import { type InvalidCase, readFixture } from './fixtures.js';

const invalid = readFixture<InvalidCase[]>('invalid-patterns.json');

function rejection(pattern: unknown): InvalidEventPatternError {
  try {
    compilePattern(pattern);
  } catch (error) {
    if (error instanceof InvalidEventPatternError) return error;
    throw error;
  }
  throw new Error(`pattern was accepted: ${JSON.stringify(pattern)}`);
}

describe('invalid patterns', () => {
  it.each(invalid.map((c) => [c.name, c] as const))('%s', (_name, testCase) => {
    // Act
    const error = rejection(testCase.pattern);
    // Assess
    for (const fragment of testCase.reason) expect(error.reason).toContain(fragment);
    expect(error.message).toBe(`Event pattern is not valid. Reason: ${error.reason}`);
    expect(error.name).toBe('InvalidEventPatternException');
    expect(validatePattern(testCase.pattern)).toEqual({ valid: false, reason: error.reason });
  });
});

describe('valid patterns', () => {
  const valid: [string, unknown][] = [
    ['exact values of every JSON type', { a: ['s', 1, -2.5, true, false, null, ''] }],
    [
      'every envelope field',
      {
        version: ['0'],
        id: ['x'],
        'detail-type': ['X'],
        source: ['s'],
        account: ['1'],
        time: ['t'],
        region: ['r'],
        resources: ['arn'],
        detail: { a: ['b'] },
        'replay-name': [{ exists: false }],
      },
    ],
    [
      'prefix, suffix and their ignore-case forms',
      {
        a: [
          { prefix: 'x' },
          { suffix: 'y' },
          { prefix: { 'equals-ignore-case': 'X' } },
          { suffix: { 'equals-ignore-case': 'Y' } },
        ],
      },
    ],
    ['empty prefix and suffix', { a: [{ prefix: '' }, { suffix: '' }] }],
    ['equals-ignore-case and exactly', { a: [{ 'equals-ignore-case': 'x' }, { exactly: 'y' }] }],
    [
      'wildcards with escapes',
      { a: [{ wildcard: '*' }, { wildcard: 'a*b*c' }, { wildcard: 'a\\*b\\\\c*' }] },
    ],
    [
      'anything-but in every form',
      {
        a: [
          { 'anything-but': 'x' },
          { 'anything-but': 5 },
          { 'anything-but': ['x', 'y'] },
          { 'anything-but': [1, 2] },
          { 'anything-but': { prefix: 'p' } },
          { 'anything-but': { suffix: ['s', 't'] } },
          { 'anything-but': { wildcard: '*/lib/*' } },
          { 'anything-but': { 'equals-ignore-case': ['A', 'b'] } },
        ],
      },
    ],
    [
      'numeric in every form',
      {
        a: [
          { numeric: ['=', 5] },
          { numeric: ['<', 5] },
          { numeric: ['<=', -5] },
          { numeric: ['>', 0] },
          { numeric: ['>=', 0, '<', 1] },
          { numeric: ['>', -5e9, '<=', 5e9] },
        ],
      },
    ],
    ['exists true and false', { a: [{ exists: true }], b: [{ exists: false }] }],
    [
      'cidr v4 and v6',
      {
        a: [
          { cidr: '10.0.0.0/8' },
          { cidr: '0.0.0.0/0' },
          { cidr: '10.0.0.1/31' },
          { cidr: '2001:db8::/32' },
          { cidr: '::/0' },
        ],
      },
    ],
    ['nested $or', { source: ['s'], $or: [{ a: ['1'] }, { b: ['2'], $or: [{ c: ['3'] }, { d: ['4'] }] }] }],
    ['reserved words as field names outside $or', { prefix: ['a'], detail: { numeric: ['1'] } }],
    ['a leaf mixing values and operators', { a: ['x', { prefix: 'y' }, { exists: false }, 5] }],
  ];

  it.each(valid)('%s', (_name, pattern) => {
    expect(validatePattern(pattern)).toEqual({ valid: true });
    expect(() => compilePattern(pattern)).not.toThrow();
  });
});

describe('pattern text and size', () => {
  it('accepts a pattern as JSON text', () => {
    expect(validatePattern('{"source": ["murmur.ingress"]}')).toEqual({ valid: true });
  });

  it('refuses text that is not JSON', () => {
    const result = validatePattern('{"source": ["murmur.ingress"]');
    expect(result.valid).toBe(false);
    expect(!result.valid && result.reason).toContain('Pattern is not valid JSON');
  });

  it('refuses JSON text that is not an object', () => {
    expect(validatePattern('["source"]')).toEqual({
      valid: false,
      reason: 'Filter is not an object: got ["source"]',
    });
  });

  it("refuses patterns longer than EventBridge's default quota, unless raised", () => {
    // Prepare: a pattern just over 2048 characters of JSON
    const values = Array.from({ length: 200 }, (_, i) => `value-${String(i).padStart(3, '0')}`);
    const pattern = { source: values };
    expect(JSON.stringify(pattern).length).toBeGreaterThan(DEFAULT_MAX_PATTERN_LENGTH);
    // Act / Assess
    expect(rejection(pattern).reason).toContain('the maximum is 2048');
    expect(validatePattern(pattern, { maxLength: 4096 })).toEqual({ valid: true });
  });

  it('refuses patterns whose $or branches multiply beyond the guard', () => {
    // Prepare: four nested objects with a 10-way $or each: 10^4 combinations
    const or = (field: string) => ({
      $or: Array.from({ length: 10 }, (_, i) => ({ [`${field}${i}`]: ['x'] })),
    });
    const pattern = { a: or('a'), b: or('b'), c: or('c'), d: or('d') };
    // Act / Assess
    expect(rejection(pattern).reason).toContain(`more than ${MAX_SUB_RULES}`);
  });

  it('refuses values JSON cannot carry', () => {
    expect(rejection({ a: [Number.NaN] }).reason).toContain('finite number');
    expect(rejection({ a: [undefined] }).reason).toContain(
      'Match value must be String, number, true, false, or null',
    );
    expect(rejection({ a: [new Date(0)] }).reason).toContain('Match value must be');
    expect(rejection({ a: new Map() }).reason).toContain('"a" must be an object or an array');
  });

  it('names the failing field by its full path', () => {
    const error = rejection({ detail: { author: { $or: [{ id: ['1'] }, { name: [{ suffix: 7 }] }] } } });
    expect(error.path).toBe('detail.author.$or[1].name');
    expect(error.reason).toBe('"suffix" match pattern must be a string, got 7, at detail.author.$or[1].name');
  });
});
