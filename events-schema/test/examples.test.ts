import { describe, expect, it } from '@jest/globals';
import { catalog, EventEnvelopeSchema, loadExamples, validateDetail } from '../src/index.js';

const examples = loadExamples();
const valid = examples.filter((e) => e.valid);
const invalid = examples.filter((e) => !e.valid);

describe('examples', () => {
  it('has at least one valid and one invalid example per detail-type', () => {
    for (const entry of catalog) {
      expect([entry.detailType, valid.some((e) => e.detailType === entry.detailType)]).toEqual([
        entry.detailType,
        true,
      ]);
      expect([entry.detailType, invalid.some((e) => e.detailType === entry.detailType)]).toEqual([
        entry.detailType,
        true,
      ]);
    }
  });

  it.each(valid.map((e) => [`${e.detailType}/${e.name}`, e] as const))(
    '%s is a valid event',
    (_, example) => {
      // Arrange
      const { envelope } = example;

      // Act
      const parsedEnvelope = EventEnvelopeSchema.safeParse(envelope);
      const checked = validateDetail(envelope.source, envelope['detail-type'], envelope.detail);

      // Assess
      expect(parsedEnvelope.success).toBe(true);
      expect(envelope['detail-type']).toBe(example.detailType);
      expect(checked).toEqual({ ok: true, detail: envelope.detail });
    },
  );

  it.each(invalid.map((e) => [`${e.detailType}/${e.name}`, e] as const))(
    '%s is rejected, naming the expected field',
    (_, example) => {
      const { envelope } = example;
      // Invalid examples are wrong in the detail only, under the right source and detail-type.
      expect(EventEnvelopeSchema.safeParse(envelope).success).toBe(true);
      expect(envelope['detail-type']).toBe(example.detailType);

      const checked = validateDetail(envelope.source, envelope['detail-type'], envelope.detail);

      expect(checked.ok).toBe(false);
      expect(example.expectError).toMatch(/^detail[.[]/);
      expect(!checked.ok && checked.error).toContain(example.expectError);
      expect(!checked.ok && checked.error).not.toMatch(/^unknown event/);
    },
  );

  it('hands out copies, so one test cannot change what the next one loads', () => {
    const first = loadExamples()[0]!;
    first.envelope.detail.correlationId = 'changed';
    expect(loadExamples()[0]!.envelope.detail.correlationId).not.toBe('changed');
  });
});
