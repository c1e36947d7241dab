// JSON Schema export for the EventBridge schema registry (type JSONSchemaDraft4).
import { z } from 'zod';
import type { CatalogEntry } from './catalog.js';
import { EventEnvelopeSchema } from './envelope.js';

/** zod 4 supports draft-04, which is what the registry's JSONSchemaDraft4 type reads. */
export const JSON_SCHEMA_TARGET = 'draft-04';
const DRAFT4 = 'http://json-schema.org/draft-04/schema#';

function toJsonSchema(schema: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema, { target: JSON_SCHEMA_TARGET }) as Record<string, unknown>;
}

/** The detail of one catalog entry. */
export function jsonSchemaFor(entry: CatalogEntry): Record<string, unknown> {
  const { $schema: _, ...schema } = toJsonSchema(entry.schema);
  return {
    $schema: DRAFT4,
    title: `${entry.detailType} detail`,
    description: entry.description,
    ...schema,
  };
}

/** The whole EventBridge event: envelope with `source` and `detail-type` fixed, and this detail. */
export function envelopeJsonSchemaFor(entry: CatalogEntry): Record<string, unknown> {
  const envelope = EventEnvelopeSchema.extend({
    'detail-type': z.literal(entry.detailType),
    source: z.literal(entry.source),
    detail: entry.schema,
  });
  const { $schema: _, ...schema } = toJsonSchema(envelope);
  return {
    $schema: DRAFT4,
    title: entry.detailType,
    description: entry.description,
    ...schema,
  };
}
