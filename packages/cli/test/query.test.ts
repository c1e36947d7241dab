import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { analyticsService } from '@murmur/analytics';
import { consoleLogger, EmbeddedRuntime, resolveHome } from '@murmur/embedded-runtime';
import { loadExamples } from '@murmur/events';
import { plumbingService } from '@murmur/plumbing';
import { Command } from 'commander';
import { registerLake } from '../src/commands/lake.js';
import { registerQuery } from '../src/commands/query.js';
import type { CliIO } from '../src/index.js';
import { cliHome } from './helpers.js';

/** `murmur query` and `murmur lake`, registered on a program of their own (the lead wires program.ts). */
async function run(env: Record<string, string>, cwd: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env,
    cwd,
    interrupted: new Promise(() => {}),
  };
  const program = new Command('murmur')
    .exitOverride()
    .configureOutput({ writeOut: () => {}, writeErr: () => {} });
  registerQuery(program, io);
  registerLake(program, io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return { code: 0, out, err };
  } catch (error) {
    const e = error as { exitCode?: number; message: string };
    err.push(e.message);
    return { code: e.exitCode ?? 1, out, err };
  }
}

describe('murmur query', () => {
  const cli = cliHome();
  const murmur = (...argv: string[]) => run(cli.env, cli.root, ...argv);
  afterAll(() => cli.cleanup());

  it('says the lake is empty, with the columns, rather than failing', async () => {
    const result = await murmur('query', 'SELECT time, "detail-type" FROM "events-table"');
    expect(result.code).toBe(0);
    expect(result.out).toEqual(['time  detail-type', '(0 row(s))']);
    expect(result.err.join('\n')).toMatch(/the lake at .*lake holds no events yet: run murmur start/);
  });

  describe('over a lake the runtime wrote', () => {
    beforeAll(async () => {
      const runtime = await EmbeddedRuntime.start({
        home: resolveHome(cli.env),
        services: [plumbingService(), analyticsService()],
        log: consoleLogger({ level: 'error' }),
      });
      for (const name of ['valid-mention-with-photo', 'valid-negative-text-only']) {
        const envelope = loadExamples().find(
          (e) => e.name === name && e.detailType === 'MESSAGE_ANALYSED',
        )!.envelope;
        await runtime.bus.publish({
          source: 'murmur.analysis',
          detailType: 'MESSAGE_ANALYSED',
          detail: envelope.detail as never,
        });
      }
      await runtime.dispatcher.idle();
      await runtime.stop();
    });

    const sql = `SELECT detail.author.screenname AS author, detail.analysis.textsentiment AS sentiment, detail.text
      FROM "messages-data-lake"."analysed-messages-table" ORDER BY author`;

    it('prints a table, CSV with quoting, or one JSON object per row', async () => {
      const table = await murmur('query', sql);
      expect(table.code).toBe(0);
      const lines = table.out.join('\n').split('\n');
      expect(lines[0]).toMatch(/^author\s+sentiment\s+text$/);
      expect(lines[1]).toMatch(/^ada_l\s+POSITIVE\s+@MurmurBot who is in this photo\?/);
      expect(lines.at(-1)).toBe('(2 row(s))');

      const csv = await murmur('query', '--format', 'csv', "SELECT 'a,b' AS x, 'say \"hi\"' AS y, NULL AS z");
      expect(csv.out).toEqual(['x,y,z', '"a,b","say ""hi""",']);

      const json = await murmur('query', '--format', 'json', sql);
      expect(json.out.map((l) => JSON.parse(l))).toEqual([
        expect.objectContaining({ author: 'ada_l', sentiment: 'POSITIVE' }),
        expect.objectContaining({ author: 'g', sentiment: 'NEGATIVE' }),
      ]);
      const repeated = await murmur('query', '--format', 'json', 'SELECT 1 AS n, 2 AS n');
      expect(repeated.out).toEqual(['{"n":1,"n_2":2}']);
    });

    it('runs named queries, lists them, and reads SQL from a file', async () => {
      const named = await murmur('query', '--named', 'negative-by-author', '--format', 'csv');
      expect(named.out[0]).toBe('author,negative_messages,latest,latest_text');
      expect(named.out[1]).toMatch(/^g,1,/);
      const list = await murmur('query', '--list');
      expect(list.out.join('\n')).toMatch(/recognised-people\s+Every recognised/);
      expect(list.out.join('\n')).toMatch(/analysed-messages-table\s+event_date/);
      writeFileSync(join(cli.root, 'q.sql'), 'SELECT count(*) AS n FROM "events-table"');
      expect((await murmur('query', '--format', 'csv', '@q.sql')).out).toEqual(['n', '2']);
    });

    it('refuses bad input with a clear message and a non-zero exit', async () => {
      const syntax = await murmur('query', 'SELECT * FORM "events-table"');
      expect(syntax.code).toBe(2);
      expect(syntax.err.join('\n')).toMatch(
        /SQL does not parse: syntax error at or near .* at line 1, column \d+/,
      );
      const unknown = await murmur('query', 'SELECT nope FROM "events-table"');
      expect(unknown.code).toBe(1);
      expect(unknown.err.join('\n')).toMatch(/query failed: .*"nope"/);
      expect((await murmur('query', '--named', 'nothing')).err.join('\n')).toMatch(
        /no named query "nothing"; there are: recognised-people, /,
      );
      expect((await murmur('query')).err.join('\n')).toMatch(/give the SQL to run/);
      expect((await murmur('query', '--format', 'xml', 'SELECT 1')).code).not.toBe(0);
    });

    it('compacts on demand; the answers stay the same', async () => {
      const before = await murmur('query', '--format', 'json', sql);
      const status = await murmur('lake', 'status');
      expect(status.out.join('\n')).toMatch(/raw\s+1 file\(s\) not compacted/);
      // The runtime that wrote the file has stopped: its file is sealed.
      const compact = await murmur('lake', 'compact');
      expect(compact.out).toEqual([
        'compacted 1 raw file(s), 2 record(s), into a new segment; 1 segment(s) now',
      ]);
      expect((await murmur('query', '--format', 'json', sql)).out).toEqual(before.out);
      expect((await murmur('lake', 'status')).out.join('\n')).toMatch(/raw\s+0 file\(s\) not compacted/);
    });
  });
});
