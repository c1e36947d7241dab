// Example events, one folder per detail-type: valid-*.json pass the catalog, invalid-*.json do not
// and say (in `_expectError`) which field the error must name. Tests in every package use them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DETAIL_TYPES, type DetailType } from './catalog.js';
import type { EventEnvelope } from './envelope.js';

export interface ExampleEvent {
  detailType: DetailType;
  /** File name without `.json`, e.g. `valid-mention-with-photos`. */
  name: string;
  valid: boolean;
  envelope: EventEnvelope;
  /** Invalid examples: the field path the error must name, e.g. `detail.author.id`. */
  expectError?: string;
}

/** Resolved on call, not at import: bundles that never load examples need no `import.meta.url`. */
export function examplesDir(): string {
  return fileURLToPath(new URL('../examples', import.meta.url));
}

/** The file as written (biome-formatted JSON), for the docs page. */
export function readExampleText(detailType: DetailType, name: string): string {
  return readFileSync(join(examplesDir(), detailType, `${name}.json`), 'utf8').trimEnd();
}

let cache: ExampleEvent[] | undefined;

/** Every example, sorted by detail-type then name. Envelopes are as written, not validated. */
export function loadExamples(): ExampleEvent[] {
  cache ??= readExamples(examplesDir());
  return cache.map((e) => structuredClone(e));
}

function readExamples(dir: string): ExampleEvent[] {
  const known = new Set<string>(DETAIL_TYPES);
  const out: ExampleEvent[] = [];
  for (const folder of readdirSync(dir).sort()) {
    if (!known.has(folder)) throw new Error(`examples/${folder}: not a detail-type in the catalog`);
    for (const file of readdirSync(join(dir, folder)).sort()) {
      if (!file.endsWith('.json')) continue;
      const name = file.slice(0, -'.json'.length);
      const valid = name.startsWith('valid-');
      if (!valid && !name.startsWith('invalid-')) {
        throw new Error(`examples/${folder}/${file}: name must start with valid- or invalid-`);
      }
      const { _expectError, ...envelope } = JSON.parse(readFileSync(join(dir, folder, file), 'utf8'));
      if (!valid && typeof _expectError !== 'string') {
        throw new Error(
          `examples/${folder}/${file}: an invalid example needs "_expectError" (the field path)`,
        );
      }
      out.push({
        detailType: folder as DetailType,
        name,
        valid,
        envelope: envelope as EventEnvelope,
        ...(valid ? {} : { expectError: _expectError as string }),
      });
    }
  }
  return out;
}
