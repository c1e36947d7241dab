// @murmur/events: the one event contract. Services share only this and packages/.
export * from './ai-shapes.js';
export * from './alerting.js';
export {
  type CatalogEntry,
  catalog,
  DETAIL_TYPES,
  type DetailOf,
  type DetailType,
  findCatalogEntry,
  type SourceOf,
} from './catalog.js';
export * from './common.js';
export * from './egress.js';
export { type EventEnvelope, EventEnvelopeSchema } from './envelope.js';
export { type ExampleEvent, loadExamples } from './examples.js';
export { envelopeJsonSchemaFor, JSON_SCHEMA_TARGET, jsonSchemaFor } from './json-schema.js';
export * from './messages.js';
export { SOURCES, type Source } from './sources.js';
export * from './twitter.js';
export { type DetailValidation, validateDetail } from './validation.js';
