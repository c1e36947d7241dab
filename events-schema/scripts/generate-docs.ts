// `pnpm docs:events`: writes docs/events.md and events-schema/schemas/*.schema.json from the catalog.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { OUTPUT_PATHS, renderEventCatalog, repoRoot } from '../src/docs.js';

const root = repoRoot();
const { markdown, schemas } = renderEventCatalog();

const markdownPath = join(root, OUTPUT_PATHS.markdown);
mkdirSync(dirname(markdownPath), { recursive: true });
writeFileSync(markdownPath, markdown);

const schemasDir = join(root, OUTPUT_PATHS.schemasDir);
mkdirSync(schemasDir, { recursive: true });
// A detail-type removed from the catalog must not leave its schema behind.
for (const file of readdirSync(schemasDir)) {
  if (file.endsWith('.schema.json') && !schemas.has(file)) rmSync(join(schemasDir, file));
}
for (const [file, content] of schemas) writeFileSync(join(schemasDir, file), content);

console.log(`wrote ${OUTPUT_PATHS.markdown} and ${schemas.size} schemas in ${OUTPUT_PATHS.schemasDir}/`);
