// Finds the rules whose pattern matches an event without evaluating every pattern.
// Most rules name exact values for a top-level field (`source`, `detail-type`): such a rule is filed under
// each of those values, and an event only evaluates the rules filed under the values it carries, plus the
// rules that cannot be filed (no such field, operators, IP-like strings, or a field some `$or` branch
// leaves free). A rule is filed under one field only, and only when every sub-rule requires that field to
// be one of the exact strings, so filing never hides a match.
import { type CompiledPattern, subRulesOf } from './pattern.js';

interface Entry<Id> {
  readonly id: Id;
  readonly pattern: CompiledPattern;
  readonly seq: number;
  readonly key: IndexKey | null;
  /** The match() call that last evaluated this entry, so one reached through two values runs once. */
  seen: number;
}

interface IndexKey {
  readonly field: string;
  readonly values: readonly string[];
}

interface FieldIndex<Id> {
  readonly field: string;
  readonly buckets: Map<string, Entry<Id>[]>;
}

export interface RuleIndexStats {
  /** Events passed to match(). */
  readonly events: number;
  /** Patterns evaluated by match(): divide by events for the average per event. */
  readonly evaluations: number;
}

/** Fields tried first: on a bus these are the most selective and are always present. */
const PREFERRED_FIELDS = ['detail-type', 'source'];

export class RuleIndex<Id = string> {
  private readonly entries = new Map<Id, Entry<Id>>();
  private readonly unindexed: Entry<Id>[] = [];
  private readonly indexes: FieldIndex<Id>[] = [];
  private seq = 0;
  private epoch = 0;
  private events = 0;
  private evaluations = 0;

  /** Adds a rule, replacing any rule with the same id. */
  add(id: Id, pattern: CompiledPattern): void {
    this.remove(id);
    const entry: Entry<Id> = { id, pattern, seq: this.seq++, key: indexKey(pattern), seen: 0 };
    this.entries.set(id, entry);
    if (entry.key === null) {
      this.unindexed.push(entry);
      return;
    }
    const index = this.fieldIndex(entry.key.field);
    for (const value of entry.key.values) {
      const bucket = index.buckets.get(value);
      if (bucket) bucket.push(entry);
      else index.buckets.set(value, [entry]);
    }
  }

  remove(id: Id): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    if (entry.key === null) {
      this.unindexed.splice(this.unindexed.indexOf(entry), 1);
      return;
    }
    const at = this.indexes.findIndex((i) => i.field === entry.key!.field);
    const index = this.indexes[at]!;
    for (const value of entry.key.values) {
      const rest = index.buckets.get(value)!.filter((e) => e !== entry);
      if (rest.length > 0) index.buckets.set(value, rest);
      else index.buckets.delete(value);
    }
    if (index.buckets.size === 0) this.indexes.splice(at, 1);
  }

  /** Ids of every rule whose pattern matches the event, once each, in the order the rules were added. */
  match(event: unknown): Id[] {
    this.events++;
    if (event === null || typeof event !== 'object' || Array.isArray(event)) return [];
    const epoch = ++this.epoch;
    const matched: Entry<Id>[] = [];
    for (const entry of this.unindexed) this.evaluate(entry, event, epoch, matched);
    for (const index of this.indexes) {
      if (Object.hasOwn(event, index.field)) {
        this.visit((event as Record<string, unknown>)[index.field], index, event, epoch, matched);
      }
    }
    if (matched.length > 1) matched.sort((a, b) => a.seq - b.seq);
    return matched.map((entry) => entry.id);
  }

  get size(): number {
    return this.entries.size;
  }

  get stats(): RuleIndexStats {
    return { events: this.events, evaluations: this.evaluations };
  }

  /** Evaluates the rules filed under a value of the event; arrays (of arrays) contribute each string. */
  private visit(
    value: unknown,
    index: FieldIndex<Id>,
    event: object,
    epoch: number,
    matched: Entry<Id>[],
  ): void {
    if (typeof value === 'string') {
      const bucket = index.buckets.get(value);
      if (bucket) for (const entry of bucket) this.evaluate(entry, event, epoch, matched);
    } else if (Array.isArray(value)) {
      for (const element of value) this.visit(element, index, event, epoch, matched);
    }
  }

  private evaluate(entry: Entry<Id>, event: object, epoch: number, matched: Entry<Id>[]): void {
    if (entry.seen === epoch) return;
    entry.seen = epoch;
    this.evaluations++;
    if (entry.pattern.matches(event)) matched.push(entry);
  }

  private fieldIndex(field: string): FieldIndex<Id> {
    let index = this.indexes.find((i) => i.field === field);
    if (!index) {
      index = { field, buckets: new Map() };
      this.indexes.push(index);
    }
    return index;
  }
}

/**
 * The top-level field every sub-rule pins to exact strings, with the union of those strings;
 * null when there is none (the rule is then evaluated for every event).
 */
function indexKey(pattern: CompiledPattern): IndexKey | null {
  const subRules = subRulesOf(pattern);
  if (subRules === null || subRules.length === 0) return null;
  let candidates: Map<string, Set<string>> | null = null;
  for (const subRule of subRules) {
    const pinned = new Map<string, Set<string>>();
    for (const field of subRule) {
      if (field.path.length !== 1 || field.exactStrings === null) continue;
      const values = pinned.get(field.name) ?? new Set<string>();
      for (const value of field.exactStrings) values.add(value);
      pinned.set(field.name, values);
    }
    if (candidates === null) {
      candidates = pinned;
      continue;
    }
    for (const [name, values] of candidates) {
      const more = pinned.get(name);
      if (more === undefined) candidates.delete(name);
      else for (const value of more) values.add(value);
    }
  }
  if (candidates === null || candidates.size === 0) return null;
  const ranked = [...candidates.entries()].sort(([a, av], [b, bv]) => rank(a) - rank(b) || av.size - bv.size);
  const [field, values] = ranked[0]!;
  return { field, values: [...values] };
}

function rank(field: string): number {
  const at = PREFERRED_FIELDS.indexOf(field);
  return at === -1 ? PREFERRED_FIELDS.length : at;
}
