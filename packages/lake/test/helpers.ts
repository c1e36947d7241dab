import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LakeConfig, LakeSchema } from '../src/index.js';

/** A small lake schema: every record, and one detail-type with a typed detail. */
export const TEST_SCHEMA: LakeSchema = {
  database: 'test-lake',
  layout: {
    prefix: 'events/',
    partitionKeys: [
      { name: 'event_type', field: 'detail-type' },
      { name: 'event_date', field: 'time', transform: 'date' },
    ],
  },
  tables: [
    {
      name: 'all-table',
      partitionFilter: {},
      columns: [
        { name: 'id', duckdbType: 'VARCHAR' },
        { name: 'detail-type', duckdbType: 'VARCHAR' },
        { name: 'time', duckdbType: 'TIMESTAMP' },
        { name: 'detail', duckdbType: 'JSON' },
      ],
      partitionKeys: ['event_type', 'event_date'],
    },
    {
      name: 'notes-table',
      partitionFilter: { event_type: 'NOTE' },
      columns: [
        { name: 'id', duckdbType: 'VARCHAR' },
        { name: 'time', duckdbType: 'TIMESTAMP' },
        { name: 'detail', duckdbType: 'STRUCT("text" VARCHAR, "tags" VARCHAR[], "n" BIGINT)' },
      ],
      partitionKeys: ['event_date'],
    },
  ],
};

export function tempLake(): LakeConfig & { cleanup(): void } {
  const root = mkdtempSync(join(tmpdir(), 'murmur-lake-test-'));
  return {
    root,
    schema: TEST_SCHEMA,
    rotateAfterMs: 60_000,
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

let seq = 0;
export function note(
  text: string,
  tags: string[],
  time = '2026-03-14T09:00:00Z',
  extra: Record<string, unknown> = {},
) {
  const event = {
    id: `n-${++seq}`,
    'detail-type': 'NOTE',
    time,
    detail: { text, tags, n: tags.length, ...extra },
  };
  return { event, json: JSON.stringify(event) };
}

export function other(type: string, detail: Record<string, unknown>, time = '2026-03-14T10:00:00Z') {
  const event = { id: `o-${++seq}`, 'detail-type': type, time, detail };
  return { event, json: JSON.stringify(event) };
}
