/**
 * `wildcard` operands: `*` matches any run of characters (including none), `\*` is a literal asterisk and
 * `\\` a literal backslash. As in event-ruler, two consecutive `*` and a backslash before anything else are
 * errors, which `parseWildcard` reports by throwing an Error with the position.
 */
export function parseWildcard(pattern: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') {
      if (pattern[i + 1] === '*') throw new Error(`Consecutive wildcard characters at position ${i}`);
      parts.push(current);
      current = '';
    } else if (c === '\\') {
      const next = pattern[i + 1];
      if (next !== '*' && next !== '\\') throw new Error(`Invalid escape character at position ${i}`);
      current += next;
      i++;
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts;
}

/**
 * Compiles the literal parts between wildcards (as returned by parseWildcard) to a test.
 * With only `*` as a metacharacter, anchoring the first and last parts and finding the middle ones
 * left-most in order is exact, and never backtracks.
 */
export function wildcardTest(parts: readonly string[]): (value: string) => boolean {
  const first = parts[0]!;
  if (parts.length === 1) return (value) => value === first;
  const last = parts[parts.length - 1]!;
  const middle = parts.slice(1, -1);
  const minLength = parts.reduce((n, p) => n + p.length, 0);
  return (value) => {
    if (value.length < minLength || !value.startsWith(first)) return false;
    let from = first.length;
    for (const part of middle) {
      const at = value.indexOf(part, from);
      if (at < 0) return false;
      from = at + part.length;
    }
    return value.length - last.length >= from && value.endsWith(last);
  };
}
