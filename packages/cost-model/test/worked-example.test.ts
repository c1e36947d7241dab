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

  it('prices the full plan without toxicity line by line, for a photo with a person', () => {
    const r = referenceMix(ALL_TEXT, { ...LABELS_MODERATION, ...PERSON }, ['Person']);
    expect(linePerMillion(r, 'murmur', 'comprehend:')).toBe(900);
    expect(linePerMillion(r, 'murmur', 'rekognition:')).toBe(2000);
    expect(linePerMillion(r, 'murmur', 'stepfunctions:')).toBe(3.6);
    expect(linePerMillion(r, 'murmur', 'lambda:')).toBe(4.17);
  });

  // Each plan (services/analysis call-plan.ts, MURMUR_ANALYSIS_CALLS) on the three kinds of photo.
  const PLANS = {
    lean: { text: SENTIMENT, photo: LABELS, person: { 'rekognition:RecognizeCelebrities': 1 } },
    standard: {
      text: { ...SENTIMENT, 'comprehend:DetectEntities': 1 },
      photo: LABELS,
      person: { 'rekognition:RecognizeCelebrities': 1 },
    },
    full: {
      text: { ...ALL_TEXT, 'comprehend:DetectToxicContent': 1 },
      photo: LABELS_MODERATION,
      person: PERSON,
    },
  } as const;
  const PHOTOS = {
    beach: [[], ['Beach']],
    person: [['person'], ['Person']],
    'person and words': [
      ['person', 'text'],
      ['Person', 'Text'],
    ],
  } as const;

  function planOn(plan: keyof typeof PLANS, kind: keyof typeof PHOTOS) {
    const { text, photo: always, person } = PLANS[plan];
    const [parts, labels] = PHOTOS[kind];
    const photoCalls = {
      ...always,
      ...((parts as readonly string[]).includes('person') ? person : {}),
      ...((parts as readonly string[]).includes('text') ? { 'rekognition:DetectText': 1 } : {}),
    };
    return perMillion(referenceMix(text, photoCalls, [...labels]));
  }

  it.each([
    ['lean', 'beach', 807.77, 34.5],
    ['lean', 'person', 1307.77, 55.9],
    ['lean', 'person and words', 1807.77, 77.3],
    ['standard', 'beach', 1107.77, 47.4],
    ['standard', 'person', 1607.77, 68.7],
    ['standard', 'person and words', 2107.77, 90.1],
    ['full', 'beach', 2207.77, 94.4],
    ['full', 'person', 3207.77, 137.2],
    ['full', 'person and words', 3707.77, 158.5],
  ] as const)('the %s plan, photos with a %s: $%d per million, %d%%', (plan, kind, usd, ratio) => {
    expect(planOn(plan, kind)).toEqual([usd, 2338.64, ratio]);
  });

  it('meets the 40% goal only with the lean plan, on photos with neither a person nor words', () => {
    const met = (Object.keys(PLANS) as (keyof typeof PLANS)[]).flatMap((plan) =>
      (Object.keys(PHOTOS) as (keyof typeof PHOTOS)[])
        .filter((kind) => planOn(plan, kind)[2]! <= 40)
        .map((kind) => `${plan}/${kind}`),
    );
    expect(met).toEqual(['lean/beach']);
  });
});
