import { describe, expect, it } from '@jest/globals';
import { entrySize } from '@murmur/embedded-bus';
import { loadExamples } from '@murmur/events';
import { comprehendUnits, eventBridgeChunks, expressGbSeconds, lambdaGbSeconds } from '../src/index.js';

describe('comprehendUnits', () => {
  it('charges the 3-unit minimum up to 300 characters, then one unit per started 100', () => {
    expect(comprehendUnits('')).toBe(3);
    expect(comprehendUnits('a')).toBe(3);
    expect(comprehendUnits('a'.repeat(300))).toBe(3);
    expect(comprehendUnits('a'.repeat(301))).toBe(4);
    expect(comprehendUnits('a'.repeat(1000))).toBe(10);
    expect(comprehendUnits('a'.repeat(1001))).toBe(11);
  });

  it('counts characters, not UTF-16 code units: 301 emoji are 4 units, not 7', () => {
    expect(comprehendUnits('😡'.repeat(150))).toBe(3);
    expect(comprehendUnits('😡'.repeat(301))).toBe(4);
  });
});

describe('expressGbSeconds', () => {
  it('rounds duration up to 100 ms and memory up to 64 MB chunks', () => {
    expect(expressGbSeconds(1, 64)).toBeCloseTo(0.0625, 12);
    expect(expressGbSeconds(0.01, 64)).toBeCloseTo(0.1 * 0.0625, 12);
    expect(expressGbSeconds(0.25, 64)).toBeCloseTo(0.3 * 0.0625, 12);
    expect(expressGbSeconds(1, 65)).toBeCloseTo(0.125, 12);
  });
});

describe('lambdaGbSeconds', () => {
  it('is billed per millisecond at the configured memory', () => {
    expect(lambdaGbSeconds(0.05, 256)).toBeCloseTo(0.0125, 12);
    expect(lambdaGbSeconds(0.0501, 1024)).toBeCloseTo(0.051, 12);
    // 0.07 * 1000 is 70.00000000000001 in floating point: still 70 ms, not 71.
    expect(lambdaGbSeconds(0.07, 1024)).toBeCloseTo(0.07, 12);
    expect(expressGbSeconds(0.7, 64)).toBeCloseTo(0.7 * 0.0625, 12);
  });
});

describe('eventBridgeChunks', () => {
  it('sizes every example entry as the embedded bus does, one chunk each', () => {
    for (const { envelope } of loadExamples().filter((e) => e.valid)) {
      const bytes = entrySize({
        source: envelope.source,
        detailType: envelope['detail-type'],
        detailJson: JSON.stringify(envelope.detail),
        resources: envelope.resources,
        hasTime: true,
      });
      expect(eventBridgeChunks(envelope)).toBe(Math.ceil(bytes / 65_536));
      expect(eventBridgeChunks(envelope)).toBe(1);
    }
  });

  it('bills a 100 KB entry as two events', () => {
    const entry = { source: 'murmur.analysis', 'detail-type': 'X', detail: { text: 'x'.repeat(100_000) } };
    expect(eventBridgeChunks(entry)).toBe(2);
  });
});
