// First step of the workflow: the one place the state machine's input is checked. Everything
// after it may rely on the shape it returns.
import { EventEnvelopeSchema, type MessageReceivedDetail, MessageReceivedDetailSchema } from '@murmur/events';
import { z } from 'zod';
import {
  type AnalysisCalls,
  type PhotoPlan,
  planPhoto,
  planText,
  type TextPlan,
} from '../state-machine/call-plan.js';

/** What the workflow carries about the message, to build MESSAGE_ANALYSED or MESSAGE_ANALYSIS_FAILED. */
export interface PreparedMessage {
  schemaVersion: 1;
  correlationId: string;
  messageId: string;
  accountId: string;
  kind: MessageReceivedDetail['kind'];
  text: string;
  author: MessageReceivedDetail['author'];
  createdAt: string;
  tweetId?: string;
  dmId?: string;
  conversationId?: string;
}

/** One photo to download, as DownloadMedia takes it. */
export interface PhotoToAnalyse {
  url: string;
  mediaKey: string;
  messageId: string;
  createdAt: string;
  index: number;
  /** The optional calls the plan allows for this photo (the Map's Choice rules read it). */
  plan: PhotoPlan;
}

export interface PreparedAnalysis {
  message: PreparedMessage;
  text: TextPlan;
  photos: PhotoToAnalyse[];
}

/** The state machine's input is not a MESSAGE_RECEIVED event: nothing can be analysed or reported. */
export class InvalidMessageError extends Error {
  override readonly name = 'InvalidMessage';
}

const InputSchema = EventEnvelopeSchema.extend({
  'detail-type': z.literal('MESSAGE_RECEIVED'),
  detail: MessageReceivedDetailSchema,
});

export interface PrepareOptions {
  /** The optional calls that are on (`parseCallPlan`). */
  calls: AnalysisCalls;
}

export function prepareMessage(input: unknown, options: PrepareOptions): PreparedAnalysis {
  const parsed = InputSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`)
      .join('; ');
    throw new InvalidMessageError(`the input is not a MESSAGE_RECEIVED event: ${issues}`);
  }
  const d = parsed.data.detail;
  const message: PreparedMessage = {
    schemaVersion: 1,
    correlationId: d.correlationId,
    messageId: d.messageId,
    accountId: d.accountId,
    kind: d.kind,
    text: d.text,
    author: d.author,
    createdAt: d.createdAt,
    ...(d.tweetId ? { tweetId: d.tweetId } : {}),
    ...(d.dmId ? { dmId: d.dmId } : {}),
    ...(d.conversationId ? { conversationId: d.conversationId } : {}),
  };
  // Photos only: a video's or GIF's still preview is not what the author showed.
  const plan = planPhoto(options.calls);
  const photos = d.media
    .filter((m) => m.type === 'photo')
    .map((m, index) => ({
      url: m.url,
      mediaKey: m.mediaKey,
      messageId: d.messageId,
      createdAt: d.createdAt,
      index,
      plan,
    }));
  return { message, text: planText(d.text, d.lang, options.calls), photos };
}
