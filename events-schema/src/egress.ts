// Replies: what responding asks egress to post (SEND_TWEET), and what egress reports back.
import { z } from 'zod';
import { baseDetailShape, ChannelSchema, IsoDateTimeSchema, ScreenNameSchema, XIdSchema } from './common.js';

const replyIdentityShape = {
  ...baseDetailShape,
  accountId: XIdSchema.describe('The bot account that posts the reply.'),
  sourceMessageId: XIdSchema.describe(
    "The message answered (MESSAGE_RECEIVED's messageId): egress posts at most once per source message.",
  ),
  channel: ChannelSchema,
};

export const SendTweetDetailSchema = z
  .strictObject({
    ...replyIdentityShape,
    responder: z.string().min(1).describe('What wrote the reply, e.g. `chatbot` or `image-annotation`.'),
    text: z
      .string()
      .min(1)
      .max(10_000)
      .describe('Reply text; responding keeps tweets within 280 weighted characters (twitter-text).'),
    inReplyToTweetId: XIdSchema.optional().describe('The tweet replied to; required for the tweet channel.'),
    replyToUserId: XIdSchema.describe('Author of the message answered; never accountId itself.'),
    replyToScreenName: ScreenNameSchema.optional().describe('Their handle, without @.'),
    conversationId: z
      .string()
      .min(1)
      .optional()
      .describe('DM conversation to answer in; this or recipientId is required for directMessage.'),
    recipientId: XIdSchema.optional().describe('DM recipient, when there is no conversation id.'),
    mediaKey: z
      .string()
      .min(1)
      .optional()
      .describe('Media store key of an image to attach (e.g. the annotated copy); not an X media_key.'),
    mediaAltText: z.string().max(1000).optional().describe('Alt text for that image.'),
  })
  .superRefine((d, ctx) => {
    const why = `when channel is ${d.channel}`;
    if (d.channel === 'tweet') {
      if (d.inReplyToTweetId === undefined) {
        ctx.addIssue({ code: 'custom', path: ['inReplyToTweetId'], message: `required ${why}` });
      }
    } else if (d.conversationId === undefined && d.recipientId === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['conversationId'],
        message: `conversationId or recipientId required ${why}`,
      });
    }
    // Never answer the account itself: the start of a reply loop.
    if (d.replyToUserId === d.accountId) {
      ctx.addIssue({
        code: 'custom',
        path: ['replyToUserId'],
        message: 'must not be the account itself (accountId)',
      });
    }
  });
export type SendTweetDetail = z.infer<typeof SendTweetDetailSchema>;

export const TweetSentDetailSchema = z
  .strictObject({
    ...replyIdentityShape,
    dryRun: z
      .boolean()
      .describe('True when written to the local outbox instead of posted (no X credentials).'),
    tweetId: XIdSchema.optional().describe('The new tweet; required for the tweet channel unless dryRun.'),
    dmEventId: XIdSchema.optional().describe('The new DM event; required for directMessage unless dryRun.'),
    inReplyToTweetId: XIdSchema.optional(),
    conversationId: z.string().min(1).optional(),
    mediaIds: z.array(z.string().min(1)).optional().describe('X media ids uploaded with it.'),
    outboxPath: z.string().min(1).optional().describe('Dry run: the outbox file written.'),
    sentAt: IsoDateTimeSchema,
  })
  .superRefine((d, ctx) => {
    if (d.dryRun) return;
    const field = d.channel === 'tweet' ? 'tweetId' : 'dmEventId';
    if (d[field] === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [field],
        message: `required when channel is ${d.channel} and not a dry run`,
      });
    }
  });
export type TweetSentDetail = z.infer<typeof TweetSentDetailSchema>;

export const TweetFailedDetailSchema = z.strictObject({
  ...replyIdentityShape,
  reason: z.string().min(1).max(2000).describe("Why, e.g. X's error title and detail."),
  retryable: z.boolean().describe('Whether trying again later could succeed (429, 5xx, timeouts).'),
  statusCode: z
    .number()
    .int()
    .min(100)
    .max(599)
    .optional()
    .describe("X's HTTP status; absent for network errors."),
  errorCode: z.string().optional().describe("X's error type or code, when given."),
  attempts: z.number().int().min(1).describe('Attempts made before giving up.'),
  retryAfter: IsoDateTimeSchema.optional().describe(
    "When X's rate limit resets (`x-rate-limit-reset`), for 429.",
  ),
});
export type TweetFailedDetail = z.infer<typeof TweetFailedDetailSchema>;
