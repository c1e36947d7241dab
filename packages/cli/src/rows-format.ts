// Rows as `murmur query` prints them, from the local lake or from Athena: an aligned table, CSV
// (RFC 4180) or one JSON object a line.
import { renderTable } from './table.js';

export const ROW_FORMATS = ['table', 'csv', 'json'] as const;
export type RowFormat = (typeof ROW_FORMATS)[number];

/** A value as text: strings as they are, structures (DuckDB's structs and lists) as JSON. */
function textOf(value: unknown): string {
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  // One row a line: a line break inside a value would break the columns.
  return textOf(value).replace(/\r?\n/g, '\\n');
}

function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = textOf(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The lines to print, header first for `table` and `csv`. */
export function formatRows(
  keys: readonly string[],
  rows: readonly Record<string, unknown>[],
  format: RowFormat,
): string[] {
  switch (format) {
    case 'json':
      return rows.map((row) => JSON.stringify(Object.fromEntries(keys.map((k) => [k, row[k] ?? null]))));
    case 'csv':
      return [
        keys.map(csvField).join(','),
        ...rows.map((row) => keys.map((k) => csvField(row[k])).join(',')),
      ];
    case 'table':
      return renderTable(
        [...keys],
        rows.map((row) => keys.map((k) => cellText(row[k]))),
      ).split('\n');
  }
}

/** Column names as keys: a repeated name gets `_2`, `_3`... rather than losing a value. */
export function uniqueKeys(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((name) => {
    let key = name;
    for (let i = 2; used.has(key); i++) key = `${name}_${i}`;
    used.add(key);
    return key;
  });
}

/** 1536 -> "1.5 KB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}
