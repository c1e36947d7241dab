// MESSAGE_ANALYSED -> at most one SEND_TWEET: an annotated photo when the message has faces, the
// chat bot's answer otherwise. DMs are answered by DM.
import {
  type EventEnvelope,
  type MessageAnalysedDetail,
  MessageAnalysedDetailSchema,
  type SendTweetDetail,
  SOURCES,
} from '@murmur/events';
import type { HandlerContext, IdempotencyOptions } from '@murmur/ports';
import { annotatedKey, annotateImage, ImageAnnotationError } from './annotate/annotate-image.js';
import { lexSessionId } from './chatbot/lex-session.js';
import type { ChatbotAnswer } from './chatbot/local-chatbot.js';
import { fitReply } from './chatbot/reply-text.js';
import { isIgnored, type ReplyPolicy } from './policy.js';

/** What the chat bot is to responding: Lex's RecognizeText on AWS, the local classifier locally. */
export interface ChatbotPort {
  recognizeText(input: { sessionId: string; text: string; seed: string }): Promise<ChatbotAnswer>;
}

export interface RespondOptions {
  policy: ReplyPolicy;
  chatbot: () => Promise<ChatbotPort>;
}

/**
 * A message is answered once, for a month (replays included). A claim older than
 * `inProgressSeconds` counts as crashed: the respond Lambda's timeout must stay below it.
 */
export const REPLY_ONCE: IdempotencyOptions = { ttlSeconds: 30 * 86_400, inProgressSeconds: 120 };

interface Reply {
  responder: 'chatbot' | 'image-annotation';
  text: string;
  mediaKey?: string;
  mediaAltText?: string;
}

export function respondHandler(options: RespondOptions) {
  return async (input: unknown, ctx: HandlerContext): Promise<void> => {
    const detail = MessageAnalysedDetailSchema.parse((input as EventEnvelope).detail);
    const log = ctx.log.child({ messageId: detail.messageId });
    if (isIgnored(options.policy, detail.author)) {
      log.info('not answering an ignored account', { author: detail.author.screenName });
      return;
    }
    const replyKey = `reply:${detail.messageId}`;
    const [status] = await ctx.idempotency.begin([replyKey], REPLY_ONCE);
    if (status !== 'new') {
      log.debug('already answered', { status });
      return;
    }
    let slot: ReplySlot | null = null;
    try {
      slot = await claimReplySlot(detail.author.id, options.policy, ctx);
      if (!slot) {
        log.info('not answering: per-user reply limit reached', { author: detail.author.screenName });
        await ctx.idempotency.complete([replyKey], REPLY_ONCE);
        return;
      }
      const reply = (await imageReply(detail, options.policy, ctx)) ?? (await chatbotReply(detail, options));
      await ctx.bus.publish({
        source: SOURCES.responding,
        detailType: 'SEND_TWEET',
        detail: sendTweet(detail, reply),
      });
      await ctx.idempotency.complete([replyKey], REPLY_ONCE);
      await ctx.idempotency.complete([slot.key], slot.options);
    } catch (error) {
      // Let the bus's retry redo it, with the author's reply slot given back: a throttled chat bot
      // must not use up the per-user limit. (A completed record is never released.)
      await ctx.idempotency.release(slot ? [replyKey, slot.key] : [replyKey]);
      throw error;
    }
  };
}

interface ReplySlot {
  key: string;
  options: IdempotencyOptions;
}

/**
 * One claim per reply slot of the current window: the limit holds across processes (DynamoDB on
 * AWS). The slot is held in progress until the reply is published, and released if it is not.
 */
async function claimReplySlot(
  authorId: string,
  policy: ReplyPolicy,
  ctx: HandlerContext,
): Promise<ReplySlot | null> {
  const { replies, windowSeconds } = policy.perUser;
  const window = Math.floor(Date.now() / 1000 / windowSeconds);
  const options = { ttlSeconds: windowSeconds, inProgressSeconds: windowSeconds };
  for (let slot = 0; slot < replies; slot++) {
    const key = `reply-slot:${authorId}:${window}:${slot}`;
    const [status] = await ctx.idempotency.begin([key], options);
    if (status === 'new') return { key, options };
  }
  return null;
}

async function imageReply(
  detail: MessageAnalysedDetail,
  policy: ReplyPolicy,
  ctx: HandlerContext,
): Promise<Reply | null> {
  const image = detail.analysis.images.find(
    (i) => i.analysis.celebrityFaces.length > 0 || i.analysis.unrecognizedFaces.length > 0,
  );
  if (!image) return null;
  const names = [...new Set(image.analysis.celebrityFaces.map((c) => c.Name))];
  const text =
    names.length > 0
      ? `I see ${names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`}.`
      : "I don't recognise anyone in this photo.";
  try {
    const annotated = await annotateImage({
      image: await ctx.blobs.get(image.key),
      celebrities: image.analysis.celebrityFaces,
      unrecognized: image.analysis.unrecognizedFaces,
      blurUnrecognized: policy.blurUnrecognizedFaces,
    });
    const key = annotatedKey(image.key);
    await ctx.blobs.put(key, annotated, 'image/jpeg');
    return {
      responder: 'image-annotation',
      text,
      mediaKey: key,
      mediaAltText:
        names.length > 0 ? `The photo, with ${names.join(', ')} marked.` : 'The photo, faces marked.',
    };
  } catch (error) {
    if (!(error instanceof ImageAnnotationError)) throw error;
    ctx.log.warn('answering without the image: it cannot be annotated', {
      key: image.key,
      reason: error.message,
    });
    return { responder: 'image-annotation', text };
  }
}

async function chatbotReply(detail: MessageAnalysedDetail, options: RespondOptions): Promise<Reply> {
  const chatbot = await options.chatbot();
  // Handles carry no intent: "@murmurbot tell me a joke" is "tell me a joke".
  const text = detail.text.replace(/(^|\s)@\w{1,50}/g, ' ').trim() || 'hello';
  const answer = await chatbot.recognizeText({
    sessionId: lexSessionId(detail.author.id),
    text,
    seed: detail.messageId,
  });
  return { responder: 'chatbot', text: answer.messages.map((m) => m.content).join(' ') };
}

function sendTweet(detail: MessageAnalysedDetail, reply: Reply): SendTweetDetail {
  const dm = detail.kind === 'directMessage';
  return {
    schemaVersion: 1,
    correlationId: detail.correlationId,
    accountId: detail.accountId,
    sourceMessageId: detail.messageId,
    channel: dm ? 'directMessage' : 'tweet',
    responder: reply.responder,
    // DMs have no 280 limit and no @mention.
    text: dm ? reply.text : fitReply(detail.author.screenName, reply.text),
    replyToUserId: detail.author.id,
    replyToScreenName: detail.author.screenName,
    ...(dm
      ? { conversationId: detail.twitter.conversationId, recipientId: detail.author.id }
      : { inReplyToTweetId: detail.twitter.tweetId }),
    ...(reply.mediaKey ? { mediaKey: reply.mediaKey } : {}),
    ...(reply.mediaAltText && reply.mediaKey ? { mediaAltText: reply.mediaAltText } : {}),
  };
}
