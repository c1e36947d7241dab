import { describe, expect, it } from '@jest/globals';
import { loadExamples } from '@murmur/events';
import {
  GOAL_MAX_RATIO,
  PRICE_TABLE,
  priceExecutionOnly,
  priceMessage,
  priceRun,
  referenceDesignCost,
} from '../src/index.js';
import { analysed, analysedExample, envelopeOf, example, TEXT_CALLS } from './fixtures.js';

const validExamples = () => loadExamples().filter((e) => e.valid);

describe('priceRun over every valid example event', () => {
  const events = validExamples().map((e) => e.envelope);
  const report = priceRun(events);

  it('counts each analysis execution once, by what is known of its calls', () => {
    expect(report.messages).toEqual({
      total: 4,
      analysed: 2, // the text-only and the photo examples carry a ledger
      failed: 1, // the timed-out analysis
      callsUnknown: 1, // the DM example has no ledger
      withPhotos: 1,
      photos: 1,
    });
    expect(report.invalidEvents).toBe(0);
  });

  it('prices every event once on EventBridge, and only the real (not dry-run) post on X', () => {
    expect(report.events).toBe(events.length);
    expect(report.posts).toBe(1);
    const murmurShared = report.murmur.lines.filter((l) => l.scope === 'shared');
    expect(murmurShared.map((l) => [l.line, l.calls, l.units])).toEqual([
      ['eventbridge:PutEvents', events.length, events.length],
      ['x:CreatePost', 1, 1],
    ]);
    // Both designs pay the events and posts alike.
    expect(report.reference.sharedUsd).toBeCloseTo(report.murmur.sharedUsd, 15);
    expect(report.murmur.sharedUsd).toBeCloseTo(
      events.length * PRICE_TABLE.eventBridgeEvent.usd + PRICE_TABLE.xPost.usd,
      15,
    );
  });

  it('sums Murmur from the ledgers plus executions, and the reference from its fixed calls', () => {
    const text = analysedExample('valid-negative-text-only');
    const photo = analysedExample('valid-mention-with-photo');
    const murmurAiAndWorkflow =
      priceMessage(text).usd + priceMessage(photo).usd + 2 * priceExecutionOnly().usd;
    const referenceAiAndWorkflow = referenceDesignCost(text).usd + referenceDesignCost(photo).usd;
    expect(report.murmur.aiAndWorkflowUsd).toBeCloseTo(murmurAiAndWorkflow, 12);
    expect(report.reference.aiAndWorkflowUsd).toBeCloseTo(referenceAiAndWorkflow, 12);
    expect(report.murmur.perMessage.aiAndWorkflowUsd).toBeCloseTo(murmurAiAndWorkflow / 4, 12);
    expect(report.murmur.perMillionMessages.aiAndWorkflowUsd).toBeCloseTo((murmurAiAndWorkflow / 4) * 1e6, 6);
    expect(report.ratio.aiAndWorkflow).toBeCloseTo(murmurAiAndWorkflow / referenceAiAndWorkflow, 12);
  });

  it('says honestly that these examples miss the goal: they call more than the reference design', () => {
    // The examples ask for language, key phrases, toxicity and every image call.
    expect(report.ratio.aiAndWorkflow!).toBeGreaterThan(1);
    expect(report.goal).toEqual({ maxRatio: GOAL_MAX_RATIO, met: false });
  });

  it('lists lines AI first, then workflow, then shared, each line once', () => {
    const order = { ai: 0, workflow: 1, shared: 2 };
    const ranks = report.murmur.lines.map((l) => order[l.scope]);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(new Set(ranks)).toEqual(new Set([0, 1, 2]));
    const names = report.murmur.lines.map((l) => l.line);
    expect(new Set(names).size).toBe(names.length);
    expect(report.murmur.lines.find((l) => l.line === 'comprehend:DetectSentiment')).toMatchObject({
      calls: 2,
      units: 6,
    });
  });
});

describe('priceRun edge cases', () => {
  it('reports an empty run as no messages, no ratio and no verdict', () => {
    const report = priceRun([]);
    expect(report.messages.total).toBe(0);
    expect(report.murmur.totalUsd).toBe(0);
    expect(report.murmur.perMessage.totalUsd).toBe(0);
    expect(report.ratio).toEqual({ aiAndWorkflow: null, total: null });
    expect(report.goal.met).toBeNull();
  });

  it('prices an event delivered twice (same id) once', () => {
    const event = example('MESSAGE_ANALYSED', 'valid-negative-text-only');
    const once = priceRun([event]);
    const twice = priceRun([event, structuredClone(event)]);
    expect(twice.messages.total).toBe(1);
    expect(twice.events).toBe(1);
    expect(twice.murmur.totalUsd).toBeCloseTo(once.murmur.totalUsd, 15);
  });

  it('prices a failed analysis as its execution only, and charges the reference nothing for it', () => {
    const report = priceRun([example('MESSAGE_ANALYSIS_FAILED', 'valid-timed-out')]);
    expect(report.messages).toMatchObject({ total: 1, failed: 1, analysed: 0 });
    expect(report.murmur.aiUsd).toBe(0);
    expect(report.murmur.workflowUsd).toBeCloseTo(priceExecutionOnly().usd, 15);
    expect(report.reference.aiAndWorkflowUsd).toBe(0);
    expect(report.ratio.aiAndWorkflow).toBeNull();
  });

  it('leaves out MESSAGE_ANALYSED and TWEET_SENT events that break the contract, and says how many', () => {
    const invalid = loadExamples()
      .filter((e) => !e.valid && ['MESSAGE_ANALYSED', 'TWEET_SENT'].includes(e.detailType))
      .map((e) => e.envelope);
    const report = priceRun(invalid);
    expect(report.invalidEvents).toBe(invalid.length);
    expect(report.messages.total).toBe(0);
    expect(report.posts).toBe(0);
  });

  it('meets the goal for a run of emoji-only and unsupported-language messages', () => {
    // Emoji only: sentiment alone. Russian: Comprehend's sentiment APIs do not read it, nothing is called.
    const emoji = analysed({
      text: '😡😡😡',
      aiCalls: { 'comprehend:DetectSentiment': 1, 'lambda:PrepareMessage': 1, 'lambda:AssembleAnalysis': 1 },
    });
    const russian = analysed({
      text: 'Сервис ужасный, заказ так и не пришёл',
      aiCalls: { 'lambda:PrepareMessage': 1, 'lambda:AssembleAnalysis': 1 },
    });
    const report = priceRun([
      envelopeOf('MESSAGE_ANALYSED', emoji, 'e-1'),
      envelopeOf('MESSAGE_ANALYSED', russian, 'e-2'),
    ]);
    expect(report.ratio.aiAndWorkflow!).toBeLessThan(GOAL_MAX_RATIO);
    expect(report.goal.met).toBe(true);
  });

  it('prices a long-text run per unit on both sides', () => {
    const long = analysed({ text: 'z'.repeat(1000), aiCalls: TEXT_CALLS });
    const report = priceRun([envelopeOf('MESSAGE_ANALYSED', long, 'l-1')]);
    const sentiment = report.reference.lines.find((l) => l.line === 'comprehend:DetectSentiment')!;
    expect(sentiment.units).toBe(10);
    expect(report.murmur.lines.find((l) => l.line === 'comprehend:DetectKeyPhrases')!.units).toBe(10);
  });
});
