// The worked example of docs/cost.md, computed by the model itself: if a price, an assumption or
// the reference design's calls change, this fails until the page is brought up to date.
import { describe, expect, it } from '@jest/globals';
import { type CostReport, priceRun } from '../src/index.js';
import { analysed, envelopeOf, photo } from './fixtures.js';

const TEXT = 'Hi @MurmurBot, my order never arrived and nobody answers. Can you help?';
const LAMBDAS = { 'lambda:PrepareMessage': 1, 'lambda:AssembleAnalysis': 1 };
const SENTIMENT = { 'comprehend:DetectSentiment': 1 };
const ALL_TEXT = { ...SENTIMENT, 'comprehend:DetectEntities': 1, 'comprehend:DetectKeyPhrases': 1 };
const LABELS = { 'rekognition:DetectLabels': 1 };
const LABELS_MODERATION = { ...LABELS, 'rekognition:DetectModerationLabels': 1 };
const PERSON = { 'rekognition:RecognizeCelebrities': 1, 'rekognition:DetectFaces': 1 };

/**
 * The reference design's mix: half the messages text only, half with one photo. One of each is
 * the mix; per-message figures are their average. English text of 71 characters, X's `lang` set.
 */
function referenceMix(
  textCalls: Record<string, number>,
  photoCalls: Record<string, number>,
  labels: string[],
): CostReport {
  const textOnly = analysed({ text: TEXT, aiCalls: { ...LAMBDAS, ...textCalls } });
  const withPhoto = analysed({
    text: TEXT,
    images: [photo(1, labels)],
    aiCalls: { ...LAMBDAS, ...textCalls, 'lambda:DownloadMedia': 1, ...photoCalls },
  });
  return priceRun([
    envelopeOf('MESSAGE_ANALYSED', textOnly, 'mix-text'),
    envelopeOf('MESSAGE_ANALYSED', withPhoto, 'mix-photo'),
  ]);
}

const perMillion = (r: CostReport) => [
  Number(r.murmur.perMillionMessages.aiAndWorkflowUsd.toFixed(2)),
  Number(r.reference.perMillionMessages.aiAndWorkflowUsd.toFixed(2)),
  Number((r.ratio.aiAndWorkflow! * 100).toFixed(1)),
];

const linePerMillion = (r: CostReport, side: 'murmur' | 'reference', prefix: string) =>
  Number(
    r[side].lines
      .filter((l) => l.line.startsWith(prefix))
      .reduce((usd, l) => usd + (l.usd / r.messages.total) * 1e6, 0)
      .toFixed(2),
  );

describe('docs/cost.md worked example: the reference mix (half the messages with one photo)', () => {
  it('prices the reference design at $2,338.64 per million messages, line by line', () => {
    const r = referenceMix(ALL_TEXT, { ...LABELS_MODERATION, ...PERSON }, ['Person']);
    expect(linePerMillion(r, 'reference', 'comprehend:')).toBe(600);
    expect(linePerMillion(r, 'reference', 'rekognition:')).toBe(1500);
    expect(linePerMillion(r, 'reference', 'stepfunctions:')).toBe(237.5);
    expect(linePerMillion(r, 'reference', 'lambda:')).toBe(1.14);
    expect(perMillion(r)[1]).toBe(2338.64);
  });

  it("prices Murmur's call plan line by line for a photo with a person", () => {
    const r = referenceMix(ALL_TEXT, { ...LABELS_MODERATION, ...PERSON }, ['Person']);
    expect(linePerMillion(r, 'murmur', 'comprehend:')).toBe(900);
    expect(linePerMillion(r, 'murmur', 'rekognition:')).toBe(2000);
    expect(linePerMillion(r, 'murmur', 'stepfunctions:')).toBe(3.6);
    expect(linePerMillion(r, 'murmur', 'lambda:')).toBe(4.17);
  });

  it('misses the 40% goal with the calls Murmur makes today, whatever the photos show', () => {
    expect(perMillion(referenceMix(ALL_TEXT, LABELS_MODERATION, ['Beach']))).toEqual([
      1907.77, 2338.64, 81.6,
    ]);
    expect(perMillion(referenceMix(ALL_TEXT, { ...LABELS_MODERATION, ...PERSON }, ['Person']))).toEqual([
      2907.77, 2338.64, 124.3,
    ]);
    expect(
      perMillion(
        referenceMix(ALL_TEXT, { ...LABELS_MODERATION, ...PERSON, 'rekognition:DetectText': 1 }, [
          'Person',
          'Text',
        ]),
      ),
    ).toEqual([3407.77, 2338.64, 145.7]);
    // Toxicity (where the region has it) or a missing X `lang` each add one Comprehend call.
    const toxicity = { ...ALL_TEXT, 'comprehend:DetectToxicContent': 1 };
    expect(perMillion(referenceMix(toxicity, { ...LABELS_MODERATION, ...PERSON }, ['Person']))).toEqual([
      3207.77, 2338.64, 137.2,
    ]);
  });

  it('would meet it only with sentiment alone on text and DetectLabels alone on photos', () => {
    expect(perMillion(referenceMix(SENTIMENT, LABELS, ['Beach']))).toEqual([807.77, 2338.64, 34.5]);
    expect(perMillion(referenceMix(SENTIMENT, LABELS_MODERATION, ['Beach']))).toEqual([
      1307.77, 2338.64, 55.9,
    ]);
    expect(
      perMillion(referenceMix({ ...SENTIMENT, 'comprehend:DetectEntities': 1 }, LABELS, ['Beach'])),
    ).toEqual([1107.77, 2338.64, 47.4]);
  });
});
