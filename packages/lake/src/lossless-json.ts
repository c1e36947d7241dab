// DuckDB's serialized SQL holds 64-bit integers (constants, "no location" markers) that a JS number
// would round. Integers too long to be exact travel as tagged strings and come back verbatim.

/** Written into the JSON text as an escape, so it parses to a NUL no SQL text holds. */
const TAG = '\\u0000int:';

/** JSON.parse, keeping integers longer than 15 digits exact (as tagged strings). */
export function parseLossless(text: string): unknown {
  let out = '';
  let i = 0;
  let start = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"') {
      // Skip the string, escapes included.
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
      continue;
    }
    if (ch === '-' || (ch >= '0' && ch <= '9')) {
      let j = i + 1;
      while (j < text.length && /[0-9.eE+-]/.test(text[j]!)) j++;
      const token = text.slice(i, j);
      if (/^-?\d{16,}$/.test(token)) {
        out += `${text.slice(start, i)}"${TAG}${token}"`;
        start = j;
      }
      i = j;
      continue;
    }
    i++;
  }
  return JSON.parse(out + text.slice(start));
}

/** JSON.stringify, writing tagged integers back as numbers. */
export function stringifyLossless(value: unknown): string {
  return JSON.stringify(value).replace(/"\\u0000int:(-?\d+)"/g, '$1');
}
