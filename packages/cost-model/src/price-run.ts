// A run priced from its events: Murmur's bill from the ledgers, the reference design's bill for
// the same messages, and how the two compare against the goal.
import {
  type EventEnvelope,
  type MessageAnalysedDetail,
  MessageAnalysedDetailSchema,
  TweetSentDetailSchema,
} from '@murmur/events';
import { type LineItem, type LineItems, sumBills, usdOf } from './line-items.js';
import { priceExecutionOnly, priceMessage, referenceDesignCost } from './price-message.js';
import { PRICE_TABLE, PRICING_CURRENCY, PRICING_REGION } from './price-table.js';
import { eventBridgeChunks } from './units.js';

/** Murmur's AI and workflow cost per message, at most this share of the reference design's. */
export const GOAL_MAX_RATIO = 0.4;

export interface DesignCost {
  lines: LineItem[];
  /** Comprehend and Rekognition. */
  aiUsd: number;
  /** Step Functions and the workflow's Lambdas. */
  workflowUsd: number;
  /** EventBridge events and X posts: the same for both designs. */
  sharedUsd: number;
  /** What the goal compares. */
  aiAndWorkflowUsd: number;
  totalUsd: number;
  perMessage: { aiAndWorkflowUsd: number; totalUsd: number };
  perMillionMessages: { aiAndWorkflowUsd: number; totalUsd: number };
}

export interface CostReport {
  region: string;
  currency: string;
  /** The oldest `asOf` in the price table. */
  pricesAsOf: string;
  messages: {
    /** Analysis executions: analysed + failed + callsUnknown. */
    total: number;
    /** MESSAGE_ANALYSED with a ledger. */
    analysed: number;
    /** MESSAGE_ANALYSIS_FAILED: execution priced, calls unknown. */
    failed: number;
    /** MESSAGE_ANALYSED without `aiCalls`: execution priced, calls unknown. */
    callsUnknown: number;
    /** Analysed messages with at least one downloaded photo, and those photos. */
    withPhotos: number;
    photos: number;
  };
  /** Events priced on EventBridge (every event of the run, each once). */
  events: number;
  /** Replies posted to X (TWEET_SENT not in dry-run). */
  posts: number;
  /** MESSAGE_ANALYSED or TWEET_SENT events whose detail breaks the contract: left out. */
  invalidEvents: number;
  murmur: DesignCost;
  reference: DesignCost;
  /** Murmur / reference; null when the reference would have paid nothing. */
  ratio: { aiAndWorkflow: number | null; total: number | null };
  goal: { maxRatio: number; met: boolean | null };
}

function designCost(bill: LineItems, messages: number): DesignCost {
  const aiUsd = usdOf(bill, 'ai');
  const workflowUsd = usdOf(bill, 'workflow');
  const sharedUsd = usdOf(bill, 'shared');
  const aiAndWorkflowUsd = aiUsd + workflowUsd;
  const totalUsd = aiAndWorkflowUsd + sharedUsd;
  const per = (usd: number) => (messages === 0 ? 0 : usd / messages);
  return {
    lines: bill.lines,
    aiUsd,
    workflowUsd,
    sharedUsd,
    aiAndWorkflowUsd,
    totalUsd,
    perMessage: { aiAndWorkflowUsd: per(aiAndWorkflowUsd), totalUsd: per(totalUsd) },
    perMillionMessages: {
      aiAndWorkflowUsd: per(aiAndWorkflowUsd) * 1e6,
      totalUsd: per(totalUsd) * 1e6,
    },
  };
}

const ratioOf = (murmur: number, reference: number) => (reference > 0 ? murmur / reference : null);

/**
 * Prices a run from its events (e.g. an archive). Each analysis execution is one message; a
 * message whose calls are unknown costs Murmur its execution and the reference design nothing,
 * which can only make the ratio look worse. Every event is billed once on EventBridge and every
 * real post once on X; both designs pay those alike.
 */
export function priceRun(events: Iterable<EventEnvelope>): CostReport {
  const murmurBills: LineItems[] = [];
  const referenceBills: LineItems[] = [];
  const seen = new Set<string>();
  const messages = { total: 0, analysed: 0, failed: 0, callsUnknown: 0, withPhotos: 0, photos: 0 };
  let eventCount = 0;
  let chunks = 0;
  let posts = 0;
  let invalidEvents = 0;

  for (const envelope of events) {
    if (seen.has(envelope.id)) continue;
    seen.add(envelope.id);
    eventCount++;
    chunks += eventBridgeChunks(envelope);
    const type = envelope['detail-type'];
    if (type === 'MESSAGE_ANALYSED') {
      const parsed = MessageAnalysedDetailSchema.safeParse(envelope.detail);
      if (!parsed.success) {
        invalidEvents++;
        continue;
      }
      messages.total++;
      const detail: MessageAnalysedDetail = parsed.data;
      if (detail.aiCalls === undefined) {
        messages.callsUnknown++;
        murmurBills.push(priceExecutionOnly());
        continue;
      }
      messages.analysed++;
      if (detail.analysis.images.length > 0) {
        messages.withPhotos++;
        messages.photos += detail.analysis.images.length;
      }
      murmurBills.push(priceMessage(detail));
      referenceBills.push(referenceDesignCost(detail));
    } else if (type === 'MESSAGE_ANALYSIS_FAILED') {
      messages.total++;
      messages.failed++;
      murmurBills.push(priceExecutionOnly());
    } else if (type === 'TWEET_SENT') {
      const parsed = TweetSentDetailSchema.safeParse(envelope.detail);
      if (!parsed.success) invalidEvents++;
      else if (!parsed.data.dryRun) posts++;
    }
  }

  const shared: LineItems = sharedBill(eventCount, chunks, posts);
  const murmur = sumBills([...murmurBills, shared]);
  const reference = sumBills([...referenceBills, shared]);
  const murmurCost = designCost(murmur, messages.total);
  const referenceCost = designCost(reference, messages.total);
  const aiAndWorkflow = ratioOf(murmurCost.aiAndWorkflowUsd, referenceCost.aiAndWorkflowUsd);
  return {
    region: PRICING_REGION,
    currency: PRICING_CURRENCY,
    pricesAsOf: Object.values(PRICE_TABLE)
      .map((p) => p.asOf)
      .sort()[0]!,
    messages,
    events: eventCount,
    posts,
    invalidEvents,
    murmur: murmurCost,
    reference: referenceCost,
    ratio: { aiAndWorkflow, total: ratioOf(murmurCost.totalUsd, referenceCost.totalUsd) },
    goal: { maxRatio: GOAL_MAX_RATIO, met: aiAndWorkflow === null ? null : aiAndWorkflow <= GOAL_MAX_RATIO },
  };
}

function sharedBill(events: number, chunks: number, posts: number): LineItems {
  const lines: LineItem[] = [];
  if (events > 0) {
    lines.push({
      line: 'eventbridge:PutEvents',
      scope: 'shared',
      calls: events,
      units: chunks,
      unit: '64 KB chunks',
      usd: chunks * PRICE_TABLE.eventBridgeEvent.usd,
    });
  }
  if (posts > 0) {
    lines.push({
      line: 'x:CreatePost',
      scope: 'shared',
      calls: posts,
      units: posts,
      unit: 'posts',
      usd: posts * PRICE_TABLE.xPost.usd,
    });
  }
  return { lines, usd: lines.reduce((t, l) => t + l.usd, 0) };
}
