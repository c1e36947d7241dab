// `dlq --aws list --queue Q`: the first messages of a DLQ, without taking them out of it.
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DeadLetterMessage } from './dlq-messages.js';
import { type QueueRef, receiveDeadLetters, releaseDeadLetters } from './dlq-receive.js';

/**
 * Long enough to page through `max` messages without meeting the first ones again; the messages
 * are released right after, so this is only how long they stay hidden if the release fails.
 */
export const PEEK_VISIBILITY_SECONDS = 30;

export interface PeekResult {
  messages: DeadLetterMessage[];
  /** Messages SQS did not release; they are visible again after PEEK_VISIBILITY_SECONDS. */
  notReleased: number;
}

/** Receives up to `max` messages, then makes them all visible again. Nothing is deleted. */
export async function peekDeadLetters(sqs: SQSClient, queue: QueueRef, max: number): Promise<PeekResult> {
  const seen = new Map<string, DeadLetterMessage>();
  let notReleased = 0;
  try {
    while (seen.size < max) {
      const batch = await receiveDeadLetters(sqs, queue, max - seen.size, PEEK_VISIBILITY_SECONDS);
      const fresh = batch.filter((m) => !seen.has(m.messageId));
      // A message received again keeps its place, with its newest receipt handle (the one SQS honours).
      for (const m of batch) seen.set(m.messageId, m);
      if (fresh.length === 0) break;
    }
  } finally {
    notReleased = await releaseDeadLetters(sqs, queue, [...seen.values()]);
  }
  return { messages: [...seen.values()].slice(0, max), notReleased };
}
