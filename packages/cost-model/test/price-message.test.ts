import { describe, expect, it } from '@jest/globals';
import {
  ASSUMPTIONS,
  type LineItems,
  PRICE_TABLE,
  priceMessage,
  referenceDesignCost,
  referenceTransitions,
} from '../src/index.js';
import { analysed, analysedExample, photo, TEXT_CALLS } from './fixtures.js';

const P = PRICE_TABLE;
const lineOf = (bill: LineItems, line: string) => bill.lines.find((l) => l.line === line);
const linesOf = (bill: LineItems) => bill.lines.map((l) => [l.line, l.calls, l.units]);

/** One Express execution: the request plus its billed GB-seconds. */
const express = (seconds: number) =>
  P.expressRequest.usd + seconds * (ASSUMPTIONS.expressMemoryMb / 1024) * P.expressGbSecond.usd;
/** Invocations of an arm64 Lambda of `memoryMb`, each billed `seconds`. */
const lambda = (invocations: number, seconds: number, memoryMb = 256) =>
  invocations * (P.lambdaRequest.usd + seconds * (memoryMb / 1024) * P.lambdaGbSecondArm.usd);

describe('priceMessage', () => {
  it('prices the text-only example: five Comprehend calls at the 3-unit minimum, one Express run', () => {
    // Prepare: 78 characters, and a ledger of language, sentiment, entities, key phrases, toxicity.
    const detail = analysedExample('valid-negative-text-only');

    // Act
    const bill = priceMessage(detail);

    // Assess
    expect(linesOf(bill)).toEqual([
      ['comprehend:DetectDominantLanguage', 1, 3],
      ['comprehend:DetectEntities', 1, 3],
      ['comprehend:DetectKeyPhrases', 1, 3],
      ['comprehend:DetectSentiment', 1, 3],
      ['comprehend:DetectToxicContent', 1, 3],
      ['stepfunctions:Express', 1, 0.0625],
    ]);
    expect(bill.usd).toBeCloseTo(15 * P.comprehendUnit.usd + express(1), 12);
    expect(lineOf(bill, 'comprehend:DetectSentiment')!.scope).toBe('ai');
    expect(lineOf(bill, 'stepfunctions:Express')!.scope).toBe('workflow');
  });

  it('prices the photo example: nine AI calls, the Express run at the with-photos duration', () => {
    const bill = priceMessage(analysedExample('valid-mention-with-photo'));
    expect(bill.lines.filter((l) => l.line.startsWith('rekognition:')).map((l) => l.calls)).toEqual([
      1, 1, 1, 1, 1,
    ]);
    expect(lineOf(bill, 'stepfunctions:Express')!.units).toBeCloseTo(0.25, 12);
    expect(bill.usd).toBeCloseTo(4 * 3 * P.comprehendUnit.usd + 5 * P.rekognitionImage.usd + express(4), 12);
  });

  it('prices a text-only message as X gives it: no language detection, Lambdas at the assumed duration', () => {
    const bill = priceMessage(analysed({ text: 'Can you tell me a joke?', aiCalls: TEXT_CALLS }));
    expect(lineOf(bill, 'comprehend:DetectDominantLanguage')).toBeUndefined();
    expect(lineOf(bill, 'lambda:PrepareMessage')).toMatchObject({ calls: 1, scope: 'workflow' });
    expect(lineOf(bill, 'lambda:PrepareMessage')!.units).toBeCloseTo(0.05 * 0.25, 12);
    expect(bill.usd).toBeCloseTo(9 * P.comprehendUnit.usd + lambda(2, 0.05) + express(1), 12);
  });

  it('charges long text per started 100 characters: 450 characters are 5 units a call', () => {
    const bill = priceMessage(analysed({ text: 'x'.repeat(450), aiCalls: TEXT_CALLS }));
    expect(lineOf(bill, 'comprehend:DetectEntities')!.units).toBe(5);
    expect(lineOf(bill, 'comprehend:DetectSentiment')!.usd).toBeCloseTo(5 * P.comprehendUnit.usd, 12);
  });

  it('prices 4 photos by the calls their labels justified', () => {
    // Prepare: a person with a sign, a person, a dog, a beach: 4 labels and moderation calls,
    // one text detection, two celebrity and face calls.
    const images = [
      photo(1, ['Person', 'Sign']),
      photo(2, ['Person']),
      photo(3, ['Dog']),
      photo(4, ['Beach']),
    ];
    const aiCalls = {
      ...TEXT_CALLS,
      'lambda:DownloadMedia': 4,
      'rekognition:DetectLabels': 4,
      'rekognition:DetectModerationLabels': 4,
      'rekognition:DetectText': 1,
      'rekognition:RecognizeCelebrities': 2,
      'rekognition:DetectFaces': 2,
    };

    // Act
    const bill = priceMessage(analysed({ images, aiCalls }));

    // Assess
    const rekognition = bill.lines.filter((l) => l.line.startsWith('rekognition:'));
    expect(rekognition.reduce((n, l) => n + l.calls, 0)).toBe(13);
    expect(lineOf(bill, 'lambda:DownloadMedia')!.units).toBeCloseTo(4 * 1 * 0.5, 12);
    expect(bill.usd).toBeCloseTo(
      9 * P.comprehendUnit.usd +
        13 * P.rekognitionImage.usd +
        lambda(2, 0.05) +
        lambda(4, 1, 512) +
        express(4),
      12,
    );
  });

  it('prices an empty text as Murmur runs it: no Comprehend at all', () => {
    const aiCalls = { 'lambda:PrepareMessage': 1, 'lambda:AssembleAnalysis': 1 };
    const bill = priceMessage(analysed({ text: '', aiCalls }));
    expect(bill.lines.filter((l) => l.scope === 'ai')).toEqual([]);
    expect(bill.usd).toBeCloseTo(lambda(2, 0.05) + express(1), 12);
  });

  it('uses the with-photos duration when photos were attempted, even if every download failed', () => {
    const bill = priceMessage(
      analysed({
        aiCalls: { ...TEXT_CALLS, 'lambda:DownloadMedia': 1 },
        errors: [{ part: 'download', error: 'MediaNotFound', mediaKey: '3_1' }],
      }),
    );
    expect(lineOf(bill, 'stepfunctions:Express')!.units).toBeCloseTo(4 * 0.0625, 12);
  });

  it('counts a call the price table does not know, without pricing it', () => {
    const bill = priceMessage(analysed({ aiCalls: { 'rekognition:DetectProtectiveEquipment': 2 } }));
    expect(lineOf(bill, 'rekognition:DetectProtectiveEquipment')).toMatchObject({
      scope: 'ai',
      calls: 2,
      usd: 0,
      unpriced: true,
    });
    expect(bill.usd).toBeCloseTo(express(1), 12);
  });

  it('prices a message without a ledger as its execution only', () => {
    const bill = priceMessage(analysedExample('valid-direct-message-partial-failure'));
    expect(linesOf(bill)).toEqual([['stepfunctions:Express', 1, 0.0625]]);
  });
});

describe('referenceDesignCost', () => {
  it('charges the photo example what the reference design calls regardless of need', () => {
    const bill = referenceDesignCost(analysedExample('valid-mention-with-photo'));
    expect(linesOf(bill)).toEqual([
      ['comprehend:DetectEntities', 1, 3],
      ['comprehend:DetectSentiment', 1, 3],
      ['rekognition:DetectLabels', 1, 1],
      ['rekognition:DetectText', 1, 1],
      ['rekognition:RecognizeCelebrities', 1, 1],
      ['lambda:DownloadImages', 1, 0.125],
      ['stepfunctions:Standard', 1, 12],
    ]);
    expect(bill.usd).toBeCloseTo(
      6 * P.comprehendUnit.usd +
        3 * P.rekognitionImage.usd +
        P.lambdaRequest.usd +
        0.125 * P.lambdaGbSecondX86.usd +
        12 * P.standardTransition.usd,
      12,
    );
  });

  it('charges a text-only message two Comprehend calls and 7 Standard transitions', () => {
    const bill = referenceDesignCost(analysedExample('valid-negative-text-only'));
    expect(bill.usd).toBeCloseTo(6 * P.comprehendUnit.usd + 7 * P.standardTransition.usd, 12);
  });

  it('charges 4 photos three Rekognition calls each, one download Lambda fetching all four', () => {
    const images = [1, 2, 3, 4].map((i) => photo(i, ['Beach']));
    const bill = referenceDesignCost(analysed({ images, aiCalls: TEXT_CALLS }));
    expect(lineOf(bill, 'rekognition:DetectText')!.calls).toBe(4);
    expect(lineOf(bill, 'lambda:DownloadImages')).toMatchObject({ calls: 1 });
    expect(lineOf(bill, 'lambda:DownloadImages')!.units).toBeCloseTo(4 * 0.125, 12);
    expect(lineOf(bill, 'stepfunctions:Standard')!.units).toBe(referenceTransitions(4));
    expect(referenceTransitions(4)).toBe(24);
  });

  it('charges long text per unit on both of its calls', () => {
    const bill = referenceDesignCost(analysed({ text: 'y'.repeat(301), aiCalls: TEXT_CALLS }));
    expect(lineOf(bill, 'comprehend:DetectEntities')!.units).toBe(4);
    expect(lineOf(bill, 'comprehend:DetectSentiment')!.units).toBe(4);
  });

  it('charges empty text only its transitions: Comprehend refuses it and the run fails first', () => {
    const bill = referenceDesignCost(analysed({ text: '', images: [photo(1, ['Person'])], aiCalls: {} }));
    expect(linesOf(bill)).toEqual([['stepfunctions:Standard', 1, 7]]);
  });

  it('does not depend on the ledger: a message without one costs the reference design the same', () => {
    const withLedger = analysed({ text: 'Hi! Can you tell me a joke?', aiCalls: TEXT_CALLS });
    const without = analysedExample('valid-direct-message-partial-failure');
    expect(referenceDesignCost(without).usd).toBeCloseTo(referenceDesignCost(withLedger).usd, 15);
  });
});
