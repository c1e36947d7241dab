// Validates an event pattern and flattens it into sub-rules, as event-ruler's JsonRuleCompiler does:
// nested objects become dotted field paths, and each `$or` multiplies the sub-rules by its branches.
import { InvalidEventPatternError, invalid } from './errors.js';
import { describe, isPlainObject, type PlainObject } from './json.js';
import { compileLeaf } from './leaf.js';
import type { Field, SubRule } from './types.js';

/** EventBridge's default quota for the size of an event pattern (raisable to 4096). */
export const DEFAULT_MAX_PATTERN_LENGTH = 2048;

/**
 * A guard of ours, not an AWS limit: nested `$or`s multiply, and a 2 KB pattern could otherwise expand
 * to millions of sub-rules.
 */
export const MAX_SUB_RULES = 1000;

/** Keys event-ruler reserves: inside a `$or` branch they cannot be field names. */
const RESERVED_IN_OR: ReadonlySet<string> = new Set([
  'exactly',
  'equals-ignore-case',
  'prefix',
  'suffix',
  'anything-but',
  'exists',
  'wildcard',
  'numeric',
  'cidr',
  '=',
  '<',
  '<=',
  '>',
  '>=',
  'regex',
  'not-wildcard',
  'not-equals-ignore-case',
  'date-after',
  'date-on-or-after',
  'date-before',
  'date-on-or-before',
  'in-date-range',
  'ip-address-in-range',
  'ip-address-not-in-range',
]);

export interface CompileOptions {
  /** Longest pattern accepted, in characters of its JSON text. Default: EventBridge's default quota, 2048. */
  readonly maxLength?: number;
}

/** Parses (when given JSON text) and checks a pattern, returning the JSON object it describes. */
export function readPattern(pattern: unknown, options: CompileOptions = {}): PlainObject {
  const maxLength = options.maxLength ?? DEFAULT_MAX_PATTERN_LENGTH;
  let text: string;
  let parsed: unknown;
  if (typeof pattern === 'string') {
    text = pattern;
    try {
      parsed = JSON.parse(pattern);
    } catch (error) {
      invalid(`Pattern is not valid JSON: ${(error as Error).message}`, '');
    }
  } else {
    parsed = pattern;
    try {
      text = JSON.stringify(pattern) ?? '';
    } catch (error) {
      invalid(`Pattern cannot be serialised to JSON: ${(error as Error).message}`, '');
    }
  }
  if (!isPlainObject(parsed)) invalid(`Filter is not an object: got ${describe(parsed)}`, '');
  if (text.length > maxLength) {
    invalid(`Event pattern is ${text.length} characters long; the maximum is ${maxLength}`, '');
  }
  return parsed;
}

/** Compiles a checked pattern object to its sub-rules (the pattern matches when any of them does). */
export function compileSubRules(pattern: PlainObject): SubRule[] {
  return compileObject(pattern, [], '', false).map(orderFields);
}

function compileObject(obj: PlainObject, path: readonly string[], display: string, inOr: boolean): Field[][] {
  const keys = Object.keys(obj);
  if (keys.length === 0) invalid('Empty objects are not allowed', display);
  let rules: Field[][] = [[]];
  for (const key of keys) {
    const value = obj[key];
    const where = display === '' ? key : `${display}.${key}`;
    if (key === '$or') {
      rules = product(rules, compileOr(value, path, where), where);
      continue;
    }
    if (inOr && RESERVED_IN_OR.has(key)) {
      invalid(`"${key}" is a reserved keyword and cannot be used as a field name inside "$or"`, where);
    }
    const fieldPath = [...path, key];
    if (Array.isArray(value)) {
      const field = compileField(value, fieldPath, where);
      rules = rules.map((rule) => [...rule, field]);
    } else if (isPlainObject(value)) {
      rules = product(rules, compileObject(value, fieldPath, where, inOr), where);
    } else {
      invalid(`"${key}" must be an object or an array, got ${describe(value)}`, where);
    }
  }
  return rules;
}

function compileOr(value: unknown, path: readonly string[], where: string): Field[][] {
  if (!Array.isArray(value)) invalid(`"$or" must be an array of objects, got ${describe(value)}`, where);
  if (value.length < 2) invalid(`There must be at least 2 objects in "$or", got ${value.length}`, where);
  const branches: Field[][] = [];
  value.forEach((branch, i) => {
    const at = `${where}[${i}]`;
    if (!isPlainObject(branch))
      invalid(`Only JSON objects are allowed in "$or", got ${describe(branch)}`, at);
    branches.push(...compileObject(branch, path, at, true));
  });
  return branches;
}

function compileField(values: unknown[], path: readonly string[], where: string): Field {
  try {
    return compileLeaf(values, path);
  } catch (error) {
    if (error instanceof InvalidEventPatternError) throw error;
    return invalid((error as Error).message, where);
  }
}

/** Every combination of one sub-rule from each side: AND distributed over the ORs. */
function product(left: Field[][], right: Field[][], where: string): Field[][] {
  if (left.length * right.length > MAX_SUB_RULES) {
    invalid(`Pattern expands to more than ${MAX_SUB_RULES} "$or" combinations`, where);
  }
  const out: Field[][] = [];
  for (const l of left) for (const r of right) out.push([...l, ...r]);
  return out;
}

/**
 * event-ruler walks a sub-rule's fields in name order, and whether `{"exists": false}` holds inside an
 * array of objects depends on which fields were matched before it; so sub-rules with an absence check keep
 * that order. Without one the order cannot change the answer, and cheap selective top-level string
 * fields (source, detail-type) go first so most non-matching events are rejected after one lookup.
 */
function orderFields(fields: Field[]): SubRule {
  const byName = [...fields].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (byName.some((f) => f.absent)) return byName;
  const cost = (f: Field) => (f.path.length === 1 ? 0 : 2) + (f.exactStrings !== null ? 0 : 1);
  return byName.sort((a, b) => cost(a) - cost(b));
}
