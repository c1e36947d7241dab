import { describe, expect, it } from '@jest/globals';
import { PROBE_MIN_CONFIDENCE, probeText } from '../src/text-probe.js';

const word = (text: string, confidence: number) => ({
  text,
  confidence,
  box: { Left: 0, Top: 0, Width: 0.1, Height: 0.1 },
});

describe('probeText', () => {
  it('counts sure words of two or more letters or digits', () => {
    const probe = probeText([{ words: [word('CITY', 96), word('42', 90)] }, { words: [word('SHOW', 93)] }]);
    expect(probe).toEqual({ words: ['CITY', '42', 'SHOW'], confidence: 93 });
  });

  it('ignores what photo texture reads as: unsure or single-character "words"', () => {
    const noise = [
      { words: [word('LN', PROBE_MIN_CONFIDENCE - 1), word('\\', 90), word('a', 95), word('—', 99)] },
    ];
    expect(probeText(noise)).toEqual({ words: [], confidence: 0 });
  });
});
