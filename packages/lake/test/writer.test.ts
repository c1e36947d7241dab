import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import {
  firehoseJqQuery,
  firehosePrefix,
  isSealed,
  LakeWriter,
  listRawFiles,
  PartitionError,
  recordPrefix,
} from '../src/index.js';
import { note, other, TEST_SCHEMA, tempLake } from './helpers.js';

const layout = TEST_SCHEMA.layout;

describe('layout', () => {
  it('puts a record under its hive partitions, and renders the same keys for Firehose', () => {
    expect(
      recordPrefix(layout, { 'detail-type': 'MESSAGE_ANALYSED', time: '2026-03-14T23:59:59.999Z' }),
    ).toBe('events/event_type=MESSAGE_ANALYSED/event_date=2026-03-14/');
    expect(firehosePrefix(layout)).toBe(
      'events/event_type=!{partitionKeyFromQuery:event_type}/event_date=!{partitionKeyFromQuery:event_date}/',
    );
    expect(firehoseJqQuery(layout)).toBe('{event_type: ."detail-type", event_date: .time[0:10]}');
  });

  it('refuses records it cannot partition, saying why', () => {
    expect(() => recordPrefix(layout, { time: '2026-03-14T00:00:00Z' })).toThrow(
      new PartitionError('record has no string "detail-type" for partition event_type'),
    );
    expect(() => recordPrefix(layout, { 'detail-type': 'X', time: 'yesterday' })).toThrow(
      /not an ISO-8601 time/,
    );
    expect(() => recordPrefix(layout, { 'detail-type': '../../etc', time: '2026-03-14T00:00:00Z' })).toThrow(
      /not a safe path segment/,
    );
  });
});

describe('LakeWriter', () => {
  const lake = tempLake();
  afterEach(() => lake.cleanup());

  it('group-commits the records of one turn: one write per partition, one line per record', async () => {
    // Prepare
    const writer = new LakeWriter({ root: lake.root, layout });
    const records = [
      note('a', []),
      note('b', ['x']),
      other('OTHER', { k: 1 }),
      note('c', [], '2026-03-15T00:00:00Z'),
    ];

    // Act: every append handed over before any write happens.
    await Promise.all(records.map((r) => writer.append(r.event, r.json)));
    writer.close();

    // Assess
    const files = listRawFiles(lake.root, 'events/');
    expect(files.map((f) => f.key.replace(/part-.*$/, ''))).toEqual([
      'events/event_type=NOTE/event_date=2026-03-14/',
      'events/event_type=NOTE/event_date=2026-03-15/',
      'events/event_type=OTHER/event_date=2026-03-14/',
    ]);
    expect(writer.stats).toMatchObject({ records: 4, writes: 3 });
    const lines = readFileSync(files[0]!.path, 'utf8').split('\n');
    expect(lines).toEqual([records[0]!.json, records[1]!.json, '']);
  });

  it('starts a new file after the buffer interval and past the size limit; names never collide', async () => {
    let now = Date.parse('2026-03-14T09:00:00Z');
    const r = note('x'.repeat(50), []);
    const twoLines = 2 * (r.json.length + 1);
    const writer = new LakeWriter({
      root: lake.root,
      layout,
      rotateAfterMs: 60_000,
      rotateBytes: twoLines,
      now: () => now,
    });
    const twin = new LakeWriter({ root: lake.root, layout, now: () => now });
    await writer.append(r.event, r.json);
    await twin.append(r.event, r.json);
    now += 59_000;
    await writer.append(r.event, r.json); // same file: young and small enough
    now += 2_000;
    await writer.append(r.event, r.json); // past 60 s: a new file
    await writer.append(r.event, r.json);
    await writer.append(r.event, r.json); // past two lines' size: a new file
    writer.close();
    twin.close();

    const dir = join(lake.root, 'events/event_type=NOTE/event_date=2026-03-14');
    const names = readdirSync(dir);
    expect(names).toHaveLength(4);
    expect(new Set(names).size).toBe(4);
    const sizes = listRawFiles(lake.root, 'events/').map(
      (f) => readFileSync(f.path, 'utf8').split('\n').length - 1,
    );
    expect(sizes.sort()).toEqual([1, 1, 2, 2]);
  });

  it('rejects a record without partition values, and writes the others', async () => {
    const writer = new LakeWriter({ root: lake.root, layout });
    const good = note('ok', []);
    const results = await Promise.allSettled([
      writer.append({ id: 'bad', time: '2026-03-14T00:00:00Z' }, '{"id":"bad"}'),
      writer.append(good.event, good.json),
    ]);
    writer.close();
    expect(results[0]).toMatchObject({ status: 'rejected', reason: expect.any(PartitionError) });
    expect(results[1]).toEqual({ status: 'fulfilled', value: undefined });
    expect(listRawFiles(lake.root, 'events/')).toHaveLength(1);
  });

  it('keeps a record on one line whatever whitespace its JSON had; refuses appends once closed', async () => {
    const writer = new LakeWriter({ root: lake.root, layout });
    const r = note('multi', ['line']);
    await writer.append(r.event, JSON.stringify(r.event, null, 2));
    writer.close();
    const [file] = listRawFiles(lake.root, 'events/');
    expect(readFileSync(file!.path, 'utf8')).toBe(`${r.json}\n`);
    await expect(writer.append(r.event, r.json)).rejects.toThrow('the lake writer is closed');
  });

  it('calls a file sealed once its writer is gone or it is past its age', () => {
    const file = {
      path: '/x',
      key: 'x',
      partitions: {},
      openedAtMs: 1_000_000,
      pid: 4242,
      size: 1,
    };
    expect(isSealed(file, { rotateAfterMs: 60_000, now: 1_030_000, isAlive: () => true })).toBe(false);
    expect(isSealed(file, { rotateAfterMs: 60_000, now: 1_030_000, isAlive: () => false })).toBe(true);
    expect(isSealed(file, { rotateAfterMs: 60_000, now: 1_071_000, isAlive: () => true })).toBe(true);
  });
});
