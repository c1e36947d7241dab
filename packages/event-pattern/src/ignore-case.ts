// Case-insensitive comparisons the way event-ruler makes them: each character of the *pattern* may appear
// in the event as its lower-case or its upper-case form, nothing else. Characters whose case forms are
// single UTF-16 units (nearly all text) take a char loop with no allocation; the rest ("ß" -> "SS",
// "İ" -> "i̇", astral letters) take a small search over the alternatives.

type Alternatives = readonly (readonly string[])[];

interface Folded {
  /** Per pattern character, its accepted forms. */
  readonly alternatives: Alternatives;
  /** When every form is one UTF-16 unit: the lower and upper forms, unit-aligned with each other. */
  readonly lower: string | null;
  readonly upper: string | null;
}

function fold(pattern: string): Folded {
  const alternatives: string[][] = [];
  let simple = true;
  for (const ch of pattern) {
    const lower = ch.toLowerCase();
    const upper = ch.toUpperCase();
    if (lower.length !== 1 || upper.length !== 1) simple = false;
    alternatives.push(lower === upper ? [lower] : [lower, upper]);
  }
  if (!simple) return { alternatives, lower: null, upper: null };
  return {
    alternatives,
    lower: alternatives.map((a) => a[0]).join(''),
    upper: alternatives.map((a) => a[a.length - 1]).join(''),
  };
}

function unitsMatch(value: string, offset: number, lower: string, upper: string): boolean {
  for (let i = 0; i < lower.length; i++) {
    const c = value.charCodeAt(offset + i);
    if (c !== lower.charCodeAt(i) && c !== upper.charCodeAt(i)) return false;
  }
  return true;
}

/** Ends (exclusive) reachable by matching alternatives[k..] from pos; calls `done` until it returns true. */
function forward(
  value: string,
  pos: number,
  alts: Alternatives,
  k: number,
  done: (end: number) => boolean,
): boolean {
  if (k === alts.length) return done(pos);
  for (const form of alts[k]!) {
    if (value.startsWith(form, pos) && forward(value, pos + form.length, alts, k + 1, done)) return true;
  }
  return false;
}

function backward(value: string, end: number, alts: Alternatives, k: number): boolean {
  if (k < 0) return true;
  for (const form of alts[k]!) {
    const start = end - form.length;
    if (start >= 0 && value.startsWith(form, start) && backward(value, start, alts, k - 1)) return true;
  }
  return false;
}

export function equalsIgnoreCase(pattern: string): (value: string) => boolean {
  const { alternatives, lower, upper } = fold(pattern);
  if (lower !== null && upper !== null) {
    return (value) => value.length === lower.length && unitsMatch(value, 0, lower, upper);
  }
  return (value) => forward(value, 0, alternatives, 0, (end) => end === value.length);
}

export function prefixIgnoreCase(pattern: string): (value: string) => boolean {
  const { alternatives, lower, upper } = fold(pattern);
  if (lower !== null && upper !== null) {
    return (value) => value.length >= lower.length && unitsMatch(value, 0, lower, upper);
  }
  return (value) => forward(value, 0, alternatives, 0, () => true);
}

export function suffixIgnoreCase(pattern: string): (value: string) => boolean {
  const { alternatives, lower, upper } = fold(pattern);
  if (lower !== null && upper !== null) {
    return (value) =>
      value.length >= lower.length && unitsMatch(value, value.length - lower.length, lower, upper);
  }
  return (value) => backward(value, value.length, alternatives, alternatives.length - 1);
}
