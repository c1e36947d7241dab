// One element of a pattern leaf (a value, or a `{ "operator": operand }` expression) turned into a test.
// Every check here mirrors what event-ruler's JsonRuleCompiler refuses; the messages say what is wrong in
// words close to AWS's. Errors are plain Errors; the compiler adds the field path.

import { equalsIgnoreCase, prefixIgnoreCase, suffixIgnoreCase } from './ignore-case.js';
import { type IpRange, inRange, parseCidr, parseIp, singleAddress } from './ip.js';
import { describe, isPlainObject, type PlainObject } from './json.js';
import { checkNumber, inNumericRange, parseNumeric } from './numeric.js';
import type { Leaf, LeafTest } from './types.js';
import { parseWildcard, wildcardTest } from './wildcard.js';

/** What one element of a leaf array asks for. */
export type Element =
  | { readonly kind: 'value'; readonly value: Leaf }
  | { readonly kind: 'ip'; readonly range: IpRange }
  | { readonly kind: 'test'; readonly test: LeafTest }
  | { readonly kind: 'exists'; readonly exists: boolean };

const isString = (v: Leaf): v is string => typeof v === 'string';

/** Tests on strings only: every string operator ignores numbers, booleans and null. */
function onStrings(test: (s: string) => boolean): LeafTest {
  return (v) => typeof v === 'string' && test(v);
}

export function parseElement(element: unknown): Element {
  if (typeof element === 'string') {
    // event-ruler turns a string that is an IP literal into an address match, so "10.0.0.1" also
    // matches "010.0.0.1" and "::1" matches "0:0:0:0:0:0:0:1".
    const ip = parseIp(element);
    return ip === null ? { kind: 'value', value: element } : { kind: 'ip', range: singleAddress(ip) };
  }
  if (typeof element === 'number') {
    if (!Number.isFinite(element)) throw new Error(`Match value must be a finite number, got ${element}`);
    return { kind: 'value', value: element };
  }
  if (typeof element === 'boolean' || element === null) return { kind: 'value', value: element };
  if (isPlainObject(element)) return parseExpression(element);
  throw new Error(`Match value must be String, number, true, false, or null, got ${describe(element)}`);
}

function parseExpression(expr: PlainObject): Element {
  const keys = Object.keys(expr);
  const [name] = keys;
  if (name === undefined)
    throw new Error('Match expression name not found: {} needs an operator such as "prefix"');
  const operand = expr[name];
  const element = parseOperator(name, operand);
  if (keys.length > 1) throw new Error(`Only one key allowed in match expression, got ${describe(keys)}`);
  return element;
}

function parseOperator(name: string, operand: unknown): Element {
  switch (name) {
    case 'exactly':
      return { kind: 'value', value: requireString(operand, 'exactly') };
    case 'prefix':
      return test(onStrings(startsWith(operand, 'prefix')));
    case 'suffix':
      return test(onStrings(endsWith(operand, 'suffix')));
    case 'equals-ignore-case':
      return test(onStrings(equalsIgnoreCase(requireString(operand, 'equals-ignore-case'))));
    case 'wildcard':
      return test(onStrings(wildcard(requireString(operand, 'wildcard'))));
    case 'anything-but':
      return test(anythingBut(operand));
    case 'numeric': {
      const inRangeTest = parseNumeric(operand);
      return test((v) => typeof v === 'number' && inNumericRange(v) && inRangeTest(v));
    }
    case 'exists':
      if (typeof operand !== 'boolean') {
        throw new Error(`exists match pattern must be either true or false, got ${describe(operand)}`);
      }
      return { kind: 'exists', exists: operand };
    case 'cidr':
      return test(cidr(operand));
    default:
      throw new Error(`Unrecognized match type "${name}"`);
  }
}

const test = (t: LeafTest): Element => ({ kind: 'test', test: t });

function requireString(operand: unknown, operator: string): string {
  if (typeof operand !== 'string') {
    throw new Error(`"${operator}" match pattern must be a string, got ${describe(operand)}`);
  }
  return operand;
}

/** `prefix` takes a string or `{ "equals-ignore-case": string }`. */
function startsWith(operand: unknown, operator: 'prefix'): (s: string) => boolean {
  const ignoreCase = ignoreCaseOperand(operand, operator);
  if (ignoreCase !== null) return prefixIgnoreCase(ignoreCase);
  const prefix = requireString(operand, operator);
  return (s) => s.startsWith(prefix);
}

function endsWith(operand: unknown, operator: 'suffix'): (s: string) => boolean {
  const ignoreCase = ignoreCaseOperand(operand, operator);
  if (ignoreCase !== null) return suffixIgnoreCase(ignoreCase);
  const suffix = requireString(operand, operator);
  return (s) => s.endsWith(suffix);
}

function ignoreCaseOperand(operand: unknown, operator: string): string | null {
  if (!isPlainObject(operand)) return null;
  const keys = Object.keys(operand);
  if (keys.length === 0)
    throw new Error(`"${operator}" expression name not found: expected "equals-ignore-case"`);
  if (keys[0] !== 'equals-ignore-case') throw new Error(`Unsupported ${operator} pattern "${keys[0]}"`);
  if (keys.length > 1) throw new Error(`Only one key allowed in "${operator}" expression`);
  return requireString(operand['equals-ignore-case'], `${operator}.equals-ignore-case`);
}

function wildcard(pattern: string): (s: string) => boolean {
  return wildcardTest(parseWildcard(pattern));
}

function cidr(operand: unknown): LeafTest {
  const range = parseCidr(requireString(operand, 'cidr'));
  return (v) => {
    if (typeof v !== 'string') return false;
    const ip = parseIp(v);
    return ip !== null && inRange(ip, range);
  };
}

const ANYTHING_BUT_KINDS = ['prefix', 'suffix', 'wildcard', 'equals-ignore-case'] as const;
type AnythingButKind = (typeof ANYTHING_BUT_KINDS)[number];

/**
 * `anything-but` matches every leaf (string, number, boolean or null) except those it names, but needs the
 * field to be present: an absent field never matches it.
 */
function anythingBut(operand: unknown): LeafTest {
  if (isPlainObject(operand)) return anythingButOperator(operand);
  if (Array.isArray(operand)) return anythingButList(operand);
  if (typeof operand === 'string') return (v) => v !== operand;
  if (typeof operand === 'number') {
    const n = checkNumber(operand, '"anything-but"');
    return (v) => v !== n;
  }
  throw new Error(
    `Value of anything-but must be an array or single string/number value, got ${describe(operand)}`,
  );
}

function anythingButList(list: readonly unknown[]): LeafTest {
  let strings = 0;
  let numbers = 0;
  for (const item of list) {
    if (typeof item === 'string') strings++;
    else if (typeof item === 'number') {
      checkNumber(item, '"anything-but"');
      numbers++;
    } else {
      throw new Error(`Inside anything-but list, only strings or numbers are allowed, got ${describe(item)}`);
    }
  }
  if (strings === 0 && numbers === 0)
    throw new Error('Inside anything-but list, at least one value is required');
  if (strings > 0 && numbers > 0) {
    throw new Error(
      'Inside anything-but list, either all values are number or string, mixed type is not supported',
    );
  }
  const denied: ReadonlySet<Leaf> = new Set(list as Leaf[]);
  return (v) => !denied.has(v);
}

function anythingButOperator(expr: PlainObject): LeafTest {
  const keys = Object.keys(expr);
  const kind = keys[0];
  if (kind === undefined) throw new Error('Anything-but expression name not found');
  if (!(ANYTHING_BUT_KINDS as readonly string[]).includes(kind)) {
    throw new Error(
      `Unsupported anything-but pattern "${kind}" (use prefix, suffix, wildcard or equals-ignore-case)`,
    );
  }
  if (keys.length > 1)
    throw new Error(`Only one key allowed in anything-but expression, got ${describe(keys)}`);
  const operand = expr[kind];
  const values = Array.isArray(operand) ? operand : [operand];
  if (!Array.isArray(operand) && typeof operand !== 'string' && typeof operand !== 'number') {
    throw new Error(
      `Value of anything-but must be an array or single string/number value, got ${describe(operand)}`,
    );
  }
  const tests = values.map((value) => anythingButTest(kind as AnythingButKind, value));
  // Only strings can be denied by these forms, so every other leaf passes.
  return (v) => {
    if (!isString(v)) return true;
    for (const t of tests) if (t(v)) return false;
    return true;
  };
}

function anythingButTest(kind: AnythingButKind, value: unknown): (s: string) => boolean {
  if (typeof value !== 'string') {
    throw new Error(`anything-but "${kind}" values must be strings, got ${describe(value)}`);
  }
  switch (kind) {
    case 'prefix':
      if (value === '')
        throw new Error('Null prefix/suffix not allowed: anything-but "prefix" must not be empty');
      return (s) => s.startsWith(value);
    case 'suffix':
      if (value === '')
        throw new Error('Null prefix/suffix not allowed: anything-but "suffix" must not be empty');
      return (s) => s.endsWith(value);
    case 'wildcard':
      return wildcard(value);
    case 'equals-ignore-case':
      return equalsIgnoreCase(value);
  }
}
