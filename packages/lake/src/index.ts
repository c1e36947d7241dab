// @murmur/lake: the local data lake. Records land as NDJSON with the S3 layout (the writer), are
// compacted into DuckDB segments, and answer Athena-style SQL (the engine). DuckDB loads only
// when a query or a compaction runs.
export * from './compactor.js';
export * from './engine.js';
export * from './layout.js';
export * from './presto-functions.js';
export * from './raw-files.js';
export * from './schema.js';
export * from './segment-catalog.js';
export * from './snapshot.js';
export * from './writer.js';
