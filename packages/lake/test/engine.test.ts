import { appendFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  compactedDir,
  compactLake,
  LakeQueryEngine,
  LakeWriter,
  listRawFiles,
  readSegmentCatalog,
  SqlQueryError,
  SqlSyntaxError,
} from '../src/index.js';
import { note, other, TEST_SCHEMA, tempLake } from './helpers.js';

const gone = () => false;

async function write(
  root: string,
  records: { event: Record<string, unknown>; json: string }[],
): Promise<void> {
  const writer = new LakeWriter({ root, layout: TEST_SCHEMA.layout });
  await Promise.all(records.map((r) => writer.append(r.event, r.json)));
  writer.close();
}

/** A raw file as a crashed writer (a process that is gone) left it. */
function crashedFile(root: string, lines: string[], partial: string, pid = 999_999): string {
  const dir = join(root, 'events/event_type=NOTE/event_date=2026-03-14');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `part-${String(Date.now()).padStart(13, '0')}-${pid}-0badc0de.ndjson`);
  writeFileSync(path, `${lines.join('\n')}\n${partial}`);
  return path;
}

describe('LakeQueryEngine', () => {
  const lake = tempLake();
  let engine: LakeQueryEngine;
  beforeAll(async () => {
    engine = await LakeQueryEngine.open(lake);
  });
  afterAll(() => {
    engine.close();
    lake.cleanup();
  });

  it('answers on an empty lake with no rows, the table columns, and says the lake is empty', async () => {
    const result = await engine.query('SELECT * FROM "notes-table"');
    expect(result.rows).toEqual([]);
    expect(result.columns.map((c) => c.name)).toEqual(['id', 'time', 'detail', 'event_date']);
    expect(result.lakeEmpty).toBe(true);
  });

  it('reports SQL that does not parse with its line and column', async () => {
    const error = await engine.query('SELECT id,\n  count(*\nFROM "notes-table"').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SqlSyntaxError);
    expect((error as SqlSyntaxError).message).toMatch(
      /^SQL does not parse: syntax error at or near "FROM" at line 3, column 1\n/,
    );
    expect((error as SqlSyntaxError).line).toBe(3);
    await expect(engine.query('SELECT 1; SELECT 2')).rejects.toThrow(
      new SqlQueryError('one statement at a time, please (got 2)'),
    );
    await expect(engine.query('SELECT nope FROM "notes-table"')).rejects.toThrow(
      /Referenced column "nope" not found/,
    );
  });

  it('reads raw records by table, partition columns from the path, with or without the database', async () => {
    await write(lake.root, [
      note('first', ['a', 'b']),
      note('second', []),
      other('OTHER', { k: 1, deep: { x: 'y' } }),
    ]);
    const notes = await engine.query(
      'SELECT detail.text, detail.n, event_date FROM "test-lake"."notes-table" ORDER BY detail.text',
    );
    expect(notes.rows).toEqual([
      ['first', 2, '2026-03-14'],
      ['second', 0, '2026-03-14'],
    ]);
    const all = await engine.query(
      `SELECT "detail-type", event_type, json_extract_scalar(detail, '$.deep.x') AS x FROM "all-table" ORDER BY 1`,
    );
    expect(all.rows).toEqual([
      ['NOTE', 'NOTE', null],
      ['NOTE', 'NOTE', null],
      ['OTHER', 'OTHER', 'y'],
    ]);
    expect(all.lakeEmpty).toBe(false);
  });

  it('runs CROSS JOIN UNNEST as Athena does: rows per element, empty lists dropped, aliases reused', async () => {
    const sql = `SELECT t.tag, detail.text FROM "notes-table" CROSS JOIN UNNEST(detail.tags) AS t(tag)
      CROSS JOIN UNNEST(ARRAY[1]) AS t(one) ORDER BY tag`;
    expect((await engine.query(sql)).rows).toEqual([
      ['a', 'first'],
      ['b', 'first'],
    ]);
    const zipped = await engine.query(
      `SELECT x, y FROM "notes-table", UNNEST(detail.tags, ARRAY['p']) AS u(x, y) ORDER BY x NULLS LAST`,
    );
    // Several lists zip, padded with NULL to the longest (Trino's UNNEST(a, b)).
    expect(zipped.rows).toEqual([
      ['a', 'p'],
      ['b', null],
      [null, 'p'],
    ]);
  });

  it('provides the Presto functions Athena users write', async () => {
    const result = await engine.query(`SELECT
      date_parse('2026-03-14 09:05:07', '%Y-%m-%d %H:%i:%s') AS parsed,
      date_format(TIMESTAMP '2026-03-14 09:05:07', '%Y/%m/%d %H:%i') AS formatted,
      from_iso8601_timestamp('2026-03-14T10:26:55+01:00') = TIMESTAMP '2026-03-14 09:26:55' AS iso,
      cardinality(ARRAY['a', 'b']) AS n,
      json_extract_scalar('{"detail-type": "X", "a": {"b": [1, {"c": "d"}]}}', '$["detail-type"]') AS dt,
      json_extract_scalar('{"a": {"b": [1, {"c": "d"}]}}', '$.a.b[1].c') AS c,
      json_extract_scalar('{"a": {"b": 1}}', '$.a') AS object_is_null,
      json_extract('{"a": {"b": 1}}', '$["a"]') AS extracted,
      date_add('hour', 2, TIMESTAMP '2026-03-14 09:00:00') AS later,
      regexp_like('a red car', 'c.r') AS matched,
      array_join(transform(ARRAY[1, 2], x -> x * 10), '-') AS joined,
      element_at(ARRAY[1, 2, 3], -1) AS last,
      1900000000000000123 AS big`);
    expect(Object.fromEntries(result.columns.map((c, i) => [c.name, result.rows[0]![i]]))).toEqual({
      parsed: '2026-03-14 09:05:07',
      formatted: '2026/03/14 09:05',
      iso: true,
      n: 2,
      dt: 'X',
      c: 'd',
      object_is_null: null,
      extracted: { b: 1 },
      later: '2026-03-14 11:00:00',
      matched: true,
      joined: '10-20',
      last: 3,
      big: '1900000000000000123',
    });
    const approx = await engine.query('SELECT approx_distinct(x) AS d FROM UNNEST(ARRAY[1, 1, 2]) AS t(x)');
    expect(approx.rows).toEqual([[2]]);
    const big = await engine.query(
      "SELECT CAST(1900000000000000123 AS VARCHAR) = '1900000000000000123' AS exact",
    );
    expect(big.rows).toEqual([[true]]);
  });

  it('runs statements other than SELECT as DuckDB does', async () => {
    const result = await engine.query('DESCRIBE "notes-table"');
    expect(result.rows.map((r) => r[0])).toEqual(['id', 'time', 'detail', 'event_date']);
  });

  it('skips a truncated last line left by a crash, with a warning, never a failed query', async () => {
    const complete = note('before the crash', ['x']);
    const path = crashedFile(lake.root, [complete.json], '{"id":"n-cut","detail-type":"NO');
    const result = await engine.query(
      `SELECT detail.text FROM "notes-table" WHERE id = '${complete.event.id}'`,
    );
    expect(result.rows).toEqual([['before the crash']]);
    const key = path.slice(lake.root.length + 1);
    expect(result.warnings).toEqual([
      `skipped a truncated last line in ${key} (its writer stopped mid-write)`,
    ]);
    const count = await engine.query(`SELECT count(*) FROM "all-table" WHERE id = 'n-cut'`);
    expect(count.rows).toEqual([[0]]);
  });

  it('keeps answering while records are written, each answer a consistent count', async () => {
    const writer = new LakeWriter({ root: lake.root, layout: TEST_SCHEMA.layout });
    const before = Number((await engine.query('SELECT count(*) FROM "all-table"')).rows[0]![0]);
    let writing = true;
    let written = 0;
    const writes = (async () => {
      while (writing) {
        const batch = Array.from({ length: 50 }, () => note('live', ['t']));
        await Promise.all(batch.map((r) => writer.append(r.event, r.json)));
        written += batch.length;
        await new Promise((r) => setImmediate(r));
      }
    })();
    const counts: number[] = [];
    for (let i = 0; i < 8; i++) {
      const result = await engine.query('SELECT count(*) FROM "all-table"');
      // A write in flight in a live writer's file is no crash: no warning about it.
      expect(result.warnings.filter((w) => w.includes(`-${process.pid}-`))).toEqual([]);
      counts.push(Number(result.rows[0]![0]));
    }
    writing = false;
    await writes;
    writer.close();
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(counts[0]).toBeGreaterThanOrEqual(before);
    const after = Number((await engine.query('SELECT count(*) FROM "all-table"')).rows[0]![0]);
    expect(after).toBe(before + written);
  });
});

describe('compactLake', () => {
  const lake = tempLake();
  afterAll(() => lake.cleanup());

  it('compacts only sealed raw files; queries answer the same before and after; raw files stay', async () => {
    // Prepare: one file of a writer that is gone, one of a live writer (this process, just opened).
    crashedFile(lake.root, [note('sealed', ['s']).json], '');
    const live = new LakeWriter({ root: lake.root, layout: TEST_SCHEMA.layout });
    const record = note('live', ['l']);
    await live.append(record.event, record.json);
    const engine = await LakeQueryEngine.open(lake);
    const sql =
      'SELECT detail.text, tag FROM "notes-table" CROSS JOIN UNNEST(detail.tags) AS t(tag) ORDER BY 1';
    const before = await engine.query(sql);

    // Act
    const report = await compactLake(lake);

    // Assess
    expect(report).toMatchObject({ files: 1, records: 1, segments: 1, merged: 0, warnings: [] });
    expect(readSegmentCatalog(lake.root).segments[0]!.sources).toEqual([
      expect.stringMatching(
        /^events\/event_type=NOTE\/event_date=2026-03-14\/part-\d+-999999-0badc0de\.ndjson$/,
      ),
    ]);
    expect(listRawFiles(lake.root, 'events/')).toHaveLength(2);
    expect((await engine.query(sql)).rows).toEqual(before.rows);
    expect(before.rows).toEqual([
      ['live', 'l'],
      ['sealed', 's'],
    ]);
    // Once its writer closes it, this process's own file is sealed too.
    live.close();
    expect(await compactLake(lake)).toMatchObject({ files: 1, records: 1, segments: 2 });
    expect((await engine.query(sql)).rows).toEqual(before.rows);
    engine.close();
  });

  it('merges the smallest segments past the limit; a reader holding the old set takes a new snapshot', async () => {
    const engine = await LakeQueryEngine.open(lake);
    const count = async () => Number((await engine.query('SELECT count(*) FROM "all-table"')).rows[0]![0]);
    for (let i = 0; i < 3; i++) {
      crashedFile(lake.root, [note(`more ${i}`, []).json], '', 900_000 + i);
      await compactLake(lake, { isAlive: gone, maxSegments: 10 });
    }
    const total = await count();
    const report = await compactLake(lake, { isAlive: gone, maxSegments: 2 });
    expect(report).toMatchObject({ merged: 4, segments: 2 });
    expect(readdirSync(compactedDir(lake.root)).filter((f) => f.endsWith('.duckdb'))).toHaveLength(2);
    expect(await count()).toBe(total);
    engine.close();
  });

  it('rebuilds segments made for other table shapes, reading their raw files meanwhile', async () => {
    const engine = await LakeQueryEngine.open(lake);
    const before = (await engine.query('SELECT count(*) FROM "all-table"')).rows;
    const widened = {
      ...lake,
      schema: {
        ...TEST_SCHEMA,
        tables: TEST_SCHEMA.tables.map((t) =>
          t.name === 'notes-table'
            ? { ...t, columns: [...t.columns, { name: 'detail-type', duckdbType: 'VARCHAR' }] }
            : t,
        ),
      },
    };
    const widenedEngine = await LakeQueryEngine.open(widened);
    // Stale segments are skipped: the rows come from the raw files, none lost or doubled.
    expect((await widenedEngine.query('SELECT count(*) FROM "all-table"')).rows).toEqual(before);
    const report = await compactLake(widened, { isAlive: gone });
    expect(report.dropped).toBeGreaterThan(0);
    expect(report.segments).toBe(1);
    expect((await widenedEngine.query('SELECT count(*) FROM "all-table"')).rows).toEqual(before);
    expect((await widenedEngine.query(`SELECT DISTINCT "detail-type" FROM "notes-table"`)).rows).toEqual([
      ['NOTE'],
    ]);
    widenedEngine.close();
    engine.close();
  });

  it('warns about a truncated last line it skips, and leaves a compaction held by a live process alone', async () => {
    crashedFile(lake.root, [note('whole', []).json], '{"id":"cut');
    const report = await compactLake(lake, { isAlive: gone });
    expect(report.warnings).toEqual([
      expect.stringMatching(/^skipped a truncated last line in events\/event_type=NOTE\//),
    ]);

    const lock = join(compactedDir(lake.root), '.lock');
    writeFileSync(lock, '1');
    const skipped = await compactLake(lake, { isAlive: (pid) => pid === 1 });
    expect(skipped.skipped).toBe('another compaction is running (pid 1)');
    // A lock whose process is gone (a crash mid-compaction) is taken over.
    appendFileSync(lock, '');
    const taken = await compactLake(lake, { isAlive: gone });
    expect(taken.skipped).toBeUndefined();
  });
});
