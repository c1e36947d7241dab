import { describe, expect, it } from '@jest/globals';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import type { z } from 'zod';
import {
  catalog,
  envelopeJsonSchemaFor,
  findCatalogEntry,
  jsonSchemaFor,
  loadExamples,
} from '../src/index.js';

// The EventBridge schema registry stores JSONSchemaDraft4: check examples with a draft-04 validator.
// ajv ships CommonJS with `exports.default`: take the class whichever way the loader hands it over.
type AjvClass = typeof ajvDraft04.default;
const Ajv: AjvClass = (ajvDraft04 as { default?: AjvClass }).default ?? (ajvDraft04 as unknown as AjvClass);
const ajv = new Ajv({ allErrors: true, strict: false });
// Formats (date-time, uri, ...) are checked too, not skipped with a warning.
type AddFormats = typeof ajvFormats.default;
const addFormats: AddFormats =
  (ajvFormats as { default?: AddFormats }).default ?? (ajvFormats as unknown as AddFormats);
addFormats(ajv as never);
function checkDraft4(schema: Record<string, unknown>, value: unknown): string[] {
  const validate = ajv.compile(schema);
  if (validate(value)) return [];
  return (validate.errors ?? []).map(
    (e: { instancePath: string; message?: string }) => `${e.instancePath || '/'}: ${e.message}`,
  );
}

type Schema = Record<string, unknown>;

describe('JSON Schema export', () => {
  it.each(catalog.map((e) => [e.detailType, e] as const))('%s detail exports as draft-04', (_, entry) => {
    const schema = jsonSchemaFor(entry);

    expect(schema.$schema).toBe('http://json-schema.org/draft-04/schema#');
    expect(schema.type).toBe('object');
    expect(schema.required).toEqual(expect.arrayContaining(['schemaVersion', 'correlationId']));
    expect((schema.properties as Schema).schemaVersion).toMatchObject({ enum: [1] });
    // Every field of the zod object is in the JSON Schema, and nothing else.
    const shape = Object.keys((entry.schema as z.ZodObject).shape);
    expect(Object.keys(schema.properties as Schema).sort()).toEqual(shape.sort());
  });

  it.each(catalog.map((e) => [e.detailType, e] as const))(
    '%s envelope fixes source and detail-type',
    (_, entry) => {
      const schema = envelopeJsonSchemaFor(entry);
      const properties = schema.properties as Record<string, Schema>;

      expect(schema.type).toBe('object');
      expect(schema.required).toEqual(
        expect.arrayContaining(['detail-type', 'source', 'detail', 'time', 'id']),
      );
      expect(properties['detail-type']).toMatchObject({ enum: [entry.detailType] });
      expect(properties.source).toMatchObject({ enum: [entry.source] });
      expect(properties.detail).toMatchObject({ type: 'object' });
      expect(properties.detail).not.toHaveProperty('$schema');
    },
  );

  it.each(loadExamples().map((e) => [`${e.detailType}/${e.name}`, e] as const))(
    '%s: the JSON Schema agrees with zod',
    (_, example) => {
      const entry = findCatalogEntry(example.envelope.source, example.envelope['detail-type'])!;
      const errors = checkDraft4(envelopeJsonSchemaFor(entry), example.envelope);
      if (example.valid) {
        expect(errors).toEqual([]);
        return;
      }
      // Cross-field rules live in zod only; every other rule must also be in the JSON Schema.
      const parsed = entry.schema.safeParse(example.envelope.detail);
      const crossField = !parsed.success && parsed.error.issues.every((i) => i.code === 'custom');
      if (crossField) expect(errors).toEqual([]);
      else expect(errors.length).toBeGreaterThan(0);
    },
  );

  it('rejects the wrong source and detail-type in the envelope', () => {
    const example = loadExamples().find((e) => e.valid && e.detailType === 'TWEET_SENT')!;
    const entry = findCatalogEntry(example.envelope.source, 'TWEET_SENT')!;
    const schema = envelopeJsonSchemaFor(entry);
    expect(checkDraft4(schema, { ...example.envelope, source: 'murmur.ingress' })).toEqual([
      expect.stringContaining('/source: must be equal to one of the allowed values'),
    ]);
    expect(checkDraft4(schema, { ...example.envelope, 'detail-type': 'TWEET_FAILED' })).toEqual([
      expect.stringContaining('/detail-type: must be equal to one of the allowed values'),
    ]);
  });
});
