// Rows as `murmur query` prints them: an aligned table, CSV (RFC 4180) or one JSON object a line.
import { renderTable } from '../table.js';
import type { AthenaValue } from './athena.js';

export const ROW_FORMATS = ['table', 'csv', 'json'] as const;
export type RowFormat = (typeof ROW_FORMATS)[number];

function cellText(value: AthenaValue | undefined): string {
  if (value === null || value === undefined) return 'NULL';
  // One row a line: a line break inside a value would break the columns.
  return String(value).replace(/\r?\n/g, '\\n');
}

function csvField(value: AthenaValue | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The lines to print, header first for `table` and `csv`. */
export function formatRows(
  keys: readonly string[],
  rows: readonly Record<string, AthenaValue>[],
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
