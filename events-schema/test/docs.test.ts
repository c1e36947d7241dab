import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { fieldRows, OUTPUT_PATHS, renderEventCatalog, repoRoot } from '../src/docs.js';
import { catalog } from '../src/index.js';

const STALE = 'is stale: run pnpm docs:events';

describe('generated docs and schemas', () => {
  const rendered = renderEventCatalog();
  const root = repoRoot();

  it('docs/events.md is up to date', () => {
    const path = join(root, OUTPUT_PATHS.markdown);
    const committed = existsSync(path) ? readFileSync(path, 'utf8') : '';
    if (committed !== rendered.markdown) throw new Error(`${OUTPUT_PATHS.markdown} ${STALE}`);
  });

  it('events-schema/schemas holds exactly the rendered JSON Schemas', () => {
    const dir = join(root, OUTPUT_PATHS.schemasDir);
    const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.schema.json')) : [];
    if (files.sort().join() !== [...rendered.schemas.keys()].sort().join()) {
      throw new Error(
        `${OUTPUT_PATHS.schemasDir} holds files not in the catalog, or lacks some: run pnpm docs:events`,
      );
    }
    for (const [file, content] of rendered.schemas) {
      if (readFileSync(join(dir, file), 'utf8') !== content)
        throw new Error(`${OUTPUT_PATHS.schemasDir}/${file} ${STALE}`);
    }
  });

  it('documents every detail-type with its source, fields and an example', () => {
    for (const entry of catalog) {
      const section = rendered.markdown.split(`\n## ${entry.detailType}\n`)[1]?.split('\n## ')[0] ?? '';
      expect(section).toContain(`Source: \`${entry.source}\``);
      expect(section).toMatch(/\| `detail\.correlationId` +\| string +\| yes +\|/);
      expect(section).toContain('```json');
    }
  });

  it('writes tables in ASCII, so padding by length matches what biome formats', () => {
    const rows = rendered.markdown.split('\n').filter((line) => line.startsWith('|'));
    expect(rows.length).toBeGreaterThan(catalog.length * 4);
    expect(rows.filter((line) => !/^[\x20-\x7e]*$/.test(line))).toEqual([]);
  });

  it('renders nested, array, nullable and map fields as paths', () => {
    const rows = fieldRows(
      {
        type: 'object',
        properties: {
          a: {
            type: 'array',
            items: { type: 'object', properties: { b: { type: 'string' } }, additionalProperties: false },
          },
          n: { anyOf: [{ type: 'string' }, { type: 'null' }] },
          m: {
            type: 'object',
            additionalProperties: { type: 'object', properties: { c: { type: 'number' } } },
          },
        },
        required: ['a'],
        additionalProperties: false,
      },
      'detail',
    );
    expect(rows.map((r) => [r.path, r.type, r.required])).toEqual([
      ['detail.a', 'object[]', true],
      ['detail.a[].b', 'string', false],
      ['detail.n', 'string or null', false],
      ['detail.m', 'map of object (open)', false],
      ['detail.m.<key>.c', 'number', false],
    ]);
  });
});
