/** A JSON leaf of an event: the only values event patterns compare. Objects and arrays are walked, never compared. */
export type Leaf = string | number | boolean | null;

/** Tests one leaf value of the event. */
export type LeafTest = (value: Leaf) => boolean;

/**
 * One field of a sub-rule: the event path it reads and what it accepts there.
 * A pattern leaf such as `"state": ["a", {"prefix": "b"}, {"exists": false}]` becomes one Field.
 */
export interface Field {
  /** Event path, one segment per nested object key. */
  readonly path: readonly string[];
  /** Same path joined with dots: the order event-ruler evaluates fields in, and the name errors use. */
  readonly name: string;
  /**
   * For each path segment, whether it names a property of Object.prototype (`constructor`, `__proto__`...),
   * so the walker must check own properties there. Computed once so the hot path stays a plain lookup.
   */
  readonly ownOnly: readonly boolean[];
  /** Accepts a leaf found at `path`; null when the field only says `{"exists": false}`. */
  readonly test: LeafTest | null;
  /** True when `{"exists": false}` is among the values: the field may be absent. */
  readonly absent: boolean;
  /** The field only lists exact strings (no operator, no IP literal): what RuleIndex can index on. */
  readonly exactStrings: readonly string[] | null;
}

/** A conjunction of fields. A pattern is the disjunction of its sub-rules (one per `$or` branch combination). */
export type SubRule = readonly Field[];
