// A pattern leaf (`"field": [ ... ]`) compiled to one Field: the OR of its elements as a single test.
import { type IpRange, inRange, parseIp } from './ip.js';
import { type Element, parseElement } from './operators.js';
import type { Field, Leaf, LeafTest } from './types.js';

const ANY_LEAF: LeafTest = () => true;

export function compileLeaf(values: unknown[], path: readonly string[]): Field {
  if (values.length === 0) throw new Error('Empty arrays are not allowed');
  const elements: Element[] = values.map((value) => parseElement(value));
  const exact = new Set<Leaf>();
  const ips: IpRange[] = [];
  const tests: LeafTest[] = [];
  let existsTrue = false;
  let absent = false;
  for (const element of elements) {
    if (element.kind === 'value') exact.add(element.value);
    else if (element.kind === 'ip') ips.push(element.range);
    else if (element.kind === 'test') tests.push(element.test);
    else if (element.exists) existsTrue = true;
    else absent = true;
  }
  if (exact.size > 0) tests.unshift(exactTest(exact));
  if (ips.length > 0) tests.push(ipTest(ips));
  // Only plain strings (no operator, IP literal or exists) let RuleIndex index the field by value.
  const onlyExact = exact.size > 0 && tests.length === 1 && ips.length === 0 && !existsTrue && !absent;
  return {
    path,
    name: path.join('.'),
    ownOnly: path.map((segment) => segment in Object.prototype),
    test: existsTrue ? ANY_LEAF : anyOf(tests),
    absent,
    exactStrings:
      onlyExact && [...exact].every((v) => typeof v === 'string') ? ([...exact] as string[]) : null,
  };
}

function exactTest(values: ReadonlySet<Leaf>): LeafTest {
  if (values.size === 1) {
    const [only] = values;
    return (v) => v === only;
  }
  return (v) => values.has(v);
}

function ipTest(ranges: readonly IpRange[]): LeafTest {
  return (v) => {
    if (typeof v !== 'string') return false;
    const ip = parseIp(v);
    return ip !== null && ranges.some((range) => inRange(ip, range));
  };
}

function anyOf(tests: readonly LeafTest[]): LeafTest | null {
  if (tests.length === 0) return null;
  if (tests.length === 1) return tests[0]!;
  return (v) => {
    for (const t of tests) if (t(v)) return true;
    return false;
  };
}
