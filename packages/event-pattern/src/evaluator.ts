// Matches sub-rules against an event the way event-ruler's array-consistent finder does:
// every field needs a leaf at its path that passes its test, and all the leaves chosen for one sub-rule
// must agree on the element they take from any array they share. So
//   {"d": {"a": ["x"], "b": ["y"]}}  matches  {"d": [{"a": "x", "b": "y"}]}
// but not  {"d": [{"a": "x"}, {"b": "y"}]}.
// `{"exists": false}` holds when no leaf at its path is consistent with the choices made for the fields
// before it (in name order, see compiler.ts).
//
// Hot-path notes: no allocation per event. The array choices live in a module-level stack, which is safe
// because matching is synchronous and never calls out to user code.
import type { Field, Leaf, SubRule } from './types.js';

const chosenArrays: unknown[] = [];
const chosenIndexes: number[] = [];
let depth = 0;
let root: unknown = null;

export function matchesSubRule(fields: SubRule, event: object): boolean {
  root = event;
  depth = 0;
  const matched = step(fields, 0);
  root = null;
  return matched;
}

function step(fields: SubRule, i: number): boolean {
  if (i === fields.length) return true;
  const field = fields[i]!;
  if (field.test !== null && walk(fields, i, field, root, 0, false)) return true;
  return field.absent && !walk(fields, i, field, root, 0, true) && step(fields, i + 1);
}

/**
 * Looks for leaves of `field` under `node` (at path segment `seg`). With probe=false, a leaf that passes
 * the test continues with the next field and the result is whether the whole sub-rule matched; with
 * probe=true the result is whether any consistent leaf exists at all.
 */
function walk(fields: SubRule, i: number, field: Field, node: unknown, seg: number, probe: boolean): boolean {
  if (Array.isArray(node)) return walkArray(fields, i, field, node, seg, probe);
  if (seg === field.path.length) {
    if (!isLeaf(node)) return false;
    return probe || (field.test!(node) && step(fields, i + 1));
  }
  if (node === null || typeof node !== 'object') return false;
  const key = field.path[seg]!;
  if (field.ownOnly[seg] && !Object.hasOwn(node, key)) return false;
  const child = (node as Record<string, unknown>)[key];
  return child !== undefined && walk(fields, i, field, child, seg + 1, probe);
}

function walkArray(
  fields: SubRule,
  i: number,
  field: Field,
  node: unknown[],
  seg: number,
  probe: boolean,
): boolean {
  for (let d = 0; d < depth; d++) {
    if (chosenArrays[d] === node) {
      const index = chosenIndexes[d]!;
      return index < node.length && walk(fields, i, field, node[index], seg, probe);
    }
  }
  const mark = depth;
  for (let k = 0; k < node.length; k++) {
    chosenArrays[mark] = node;
    chosenIndexes[mark] = k;
    depth = mark + 1;
    if (walk(fields, i, field, node[k], seg, probe)) {
      depth = mark;
      return true;
    }
  }
  depth = mark;
  return false;
}

function isLeaf(value: unknown): value is Leaf {
  const type = typeof value;
  return value === null || type === 'string' || type === 'number' || type === 'boolean';
}
