// @murmur/analytics: the lake contract shared by both runtimes (layout, tables, named queries)
// and the service declaration. The AWS stack and the local engine read the same data.
export * from './column-types.js';
export * from './declaration.js';
export * from './layout.js';
export * from './named-queries.js';
export * from './tables.js';
