// The domain events about one message the bot should consider: received, then analysed (or failed).
import { z } from 'zod';
import {
  CelebritySchema,
  ComparedFaceSchema,
  ComprehendEntitySchema,
  FaceDetailSchema,
  KeyPhraseSchema,
  LabelSchema,
  ModerationLabelSchema,
  SentimentSchema,
  SentimentScoreSchema,
  TextDetectionSchema,
  ToxicitySchema,
} from './ai-shapes.js';
import {
  AuthorSchema,
  baseDetailShape,
  IsoDateTimeSchema,
  isTweetKind,
  type MessageKind,
  MessageKindSchema,
  XIdSchema,
} from './common.js';

const HttpUrlSchema = z.url({ protocol: /^https?$/ });

type Issues = z.core.$RefinementCtx;

function requireField(ctx: Issues, path: string, present: boolean, why: string): void {
  if (!present) ctx.addIssue({ code: 'custom', path: path.split('.'), message: `required ${why}` });
}

function forbidField(ctx: Issues, path: string, present: boolean, why: string): void {
  if (present) ctx.addIssue({ code: 'custom', path: path.split('.'), message: `not allowed ${why}` });
}

/** Tweet kinds need a tweet id, a DM needs its DM ids; neither carries the other's. */
function checkMessageIds(
  ctx: Issues,
  kind: MessageKind,
  ids: { tweetId?: string; dmId?: string; conversationId?: string },
  prefix: string,
): void {
  const why = `when kind is ${kind}`;
  if (isTweetKind(kind)) {
    requireField(ctx, `${prefix}tweetId`, ids.tweetId !== undefined, why);
    forbidField(ctx, `${prefix}dmId`, ids.dmId !== undefined, why);
  } else {
    requireField(ctx, `${prefix}dmId`, ids.dmId !== undefined, why);
    requireField(ctx, `${prefix}conversationId`, ids.conversationId !== undefined, why);
    forbidField(ctx, `${prefix}tweetId`, ids.tweetId !== undefined, why);
  }
}

const messageIdentityShape = {
  ...baseDetailShape,
  messageId: XIdSchema.describe(
    'Id of the message: equals tweetId, or dmId for a DM. The idempotency key of everything done about it.',
  ),
  accountId: XIdSchema.describe('The bot account this message is addressed to (`for_user_id`).'),
  kind: MessageKindSchema,
};

// ---- MESSAGE_RECEIVED ----

export const MediaSchema = z.strictObject({
  type: z.enum(['photo', 'video', 'animated_gif']).describe('X media type.'),
  url: HttpUrlSchema.describe('The image: the photo itself, or the still preview of a video or GIF.'),
  mediaKey: z.string().min(1).describe("X's `media_key` (or media id when X gives no key)."),
  width: z.number().int().min(1).optional(),
  height: z.number().int().min(1).optional(),
  altText: z.string().optional().describe("The author's alt text, if any."),
});
export type Media = z.infer<typeof MediaSchema>;

export const MessageReceivedDetailSchema = z
  .strictObject({
    ...messageIdentityShape,
    ingress: z
      .enum(['webhook', 'poll'])
      .describe('Which ingress produced it: Account Activity webhook or polling.'),
    tweetId: XIdSchema.optional().describe('The tweet; required for mention, reply and quote.'),
    dmId: XIdSchema.optional().describe('The DM event id; required for directMessage.'),
    conversationId: z
      .string()
      .min(1)
      .optional()
      .describe('DM conversation id, e.g. `<lowId>-<highId>`; required for directMessage.'),
    inReplyToTweetId: XIdSchema.optional().describe('The tweet this one replies to (required for reply).'),
    inReplyToUserId: XIdSchema.optional().describe('Author of the tweet replied to.'),
    quotedTweetId: XIdSchema.optional().describe('The quoted tweet (quote).'),
    text: z.string().describe('Full text: `extended_tweet.full_text` when X truncated it. May be empty.'),
    lang: z.string().optional().describe("X's language guess (`lang`), e.g. `en`, `und`."),
    author: AuthorSchema,
    createdAt: IsoDateTimeSchema.describe('When the author posted it (UTC ISO-8601).'),
    media: z
      .array(MediaSchema)
      .max(4)
      .describe('Every photo, video and GIF, from `extended_entities` (not only the first). [] when none.'),
  })
  .superRefine((d, ctx) => {
    checkMessageIds(ctx, d.kind, d, '');
    const ownId = d.tweetId ?? d.dmId;
    if (ownId !== undefined && d.messageId !== ownId) {
      ctx.addIssue({
        code: 'custom',
        path: ['messageId'],
        message: `must equal ${d.tweetId ? 'tweetId' : 'dmId'}`,
      });
    }
    if (d.kind === 'reply')
      requireField(ctx, 'inReplyToTweetId', d.inReplyToTweetId !== undefined, 'when kind is reply');
    // The bot never considers its own tweets or DMs: that is how reply loops start.
    if (d.author.id === d.accountId) {
      ctx.addIssue({
        code: 'custom',
        path: ['author', 'id'],
        message: 'must not be the account itself (accountId)',
      });
    }
  });
export type MessageReceivedDetail = z.infer<typeof MessageReceivedDetailSchema>;

// ---- MESSAGE_ANALYSED ----

export const ImageAnalysisSchema = z.strictObject({
  labels: z.array(LabelSchema).describe('Rekognition DetectLabels `Labels` (local: COCO objects).'),
  textDetections: z
    .array(TextDetectionSchema)
    .describe('Rekognition DetectText `TextDetections` (local: OCR).'),
  celebrityFaces: z
    .array(CelebritySchema)
    .describe('RecognizeCelebrities `CelebrityFaces` (local: matches from the known-people gallery).'),
  unrecognizedFaces: z.array(ComparedFaceSchema).describe('RecognizeCelebrities `UnrecognizedFaces`.'),
  faceDetails: z.array(FaceDetailSchema).describe('DetectFaces `FaceDetails`.'),
  moderationLabels: z.array(ModerationLabelSchema).describe('DetectModerationLabels `ModerationLabels`.'),
});

export const AnalysedImageSchema = z.strictObject({
  key: z.string().min(1).describe('Key of the downloaded image in the media store (S3 / files).'),
  mediaKey: z.string().min(1).optional().describe("X's `media_key`, as in MESSAGE_RECEIVED's media."),
  url: HttpUrlSchema.optional().describe('Where it was downloaded from.'),
  contentType: z.string().optional().describe('Sniffed from the bytes, e.g. `image/jpeg`.'),
  width: z.number().int().min(1).optional(),
  height: z.number().int().min(1).optional(),
  analysis: ImageAnalysisSchema.describe(
    'Each list is [] when that call was not needed or failed (see errors).',
  ),
});
export type AnalysedImage = z.infer<typeof AnalysedImageSchema>;

export const AnalysisErrorSchema = z.strictObject({
  part: z
    .string()
    .min(1)
    .describe(
      'What failed, e.g. language, sentiment, entities, keyPhrases, toxicity, download, labels, text, faces, moderation.',
    ),
  error: z.string().min(1).describe('Error name, e.g. `ThrottlingException` or `States.Timeout`.'),
  cause: z.string().optional().describe('Error message or Step Functions cause.'),
  mediaKey: z.string().optional().describe('The image concerned, for image parts.'),
});
export type AnalysisError = z.infer<typeof AnalysisErrorSchema>;

export const MessageAnalysisSchema = z.strictObject({
  language: z.string().min(1).nullable().describe('Dominant language code (e.g. `en`); null if undetected.'),
  languageScore: z.number().min(0).max(1).optional(),
  textSentiment: SentimentSchema.nullable().describe(
    'POSITIVE, NEGATIVE, NEUTRAL or MIXED (reference design field); null when text is empty or sentiment failed.',
  ),
  sentimentScore: SentimentScoreSchema.nullable().describe('DetectSentiment `SentimentScore`.'),
  textEntities: z
    .array(ComprehendEntitySchema)
    .describe('DetectEntities `Entities` (reference design field).'),
  keyPhrases: z.array(KeyPhraseSchema).describe('DetectKeyPhrases `KeyPhrases`.'),
  toxicity: ToxicitySchema.optional().describe('DetectToxicContent result, where available.'),
  images: z
    .array(AnalysedImageSchema)
    .describe('One per downloaded image; always an array ([] for text only).'),
  errors: z
    .array(AnalysisErrorSchema)
    .describe('Parts that failed; the rest of the analysis is kept. [] when none.'),
});
export type MessageAnalysis = z.infer<typeof MessageAnalysisSchema>;

export const MessageAnalysedDetailSchema = z
  .strictObject({
    ...messageIdentityShape,
    text: z.string().describe('The message text (reference design field).'),
    author: AuthorSchema,
    twitter: z
      .strictObject({
        userId: XIdSchema.describe("The author's user id, equal to author.id (reference design field)."),
        tweetId: XIdSchema.optional().describe(
          'The tweet (reference design field); required unless kind is directMessage.',
        ),
        dmId: XIdSchema.optional().describe('The DM event id; required for directMessage.'),
        conversationId: z
          .string()
          .min(1)
          .optional()
          .describe('The DM conversation id; required for directMessage.'),
      })
      .describe('X ids to reply with.'),
    createdAt: IsoDateTimeSchema.describe('When the author posted it.'),
    analysis: MessageAnalysisSchema,
    aiCalls: z
      .record(z.string(), z.number().int().min(0))
      .optional()
      .describe('AI calls made for this message, e.g. `{"comprehend:DetectSentiment": 1}`: the cost ledger.'),
  })
  .superRefine((d, ctx) => {
    checkMessageIds(ctx, d.kind, d.twitter, 'twitter.');
    if (d.twitter.userId !== d.author.id) {
      ctx.addIssue({ code: 'custom', path: ['twitter', 'userId'], message: 'must equal author.id' });
    }
  });
export type MessageAnalysedDetail = z.infer<typeof MessageAnalysedDetailSchema>;

// ---- MESSAGE_ANALYSIS_FAILED ----

// A failed run says so: the reference design ended it as a silent "success".
export const MessageAnalysisFailedDetailSchema = z.strictObject({
  ...messageIdentityShape,
  error: z.string().min(1).describe('Error name, e.g. `States.TaskFailed`.'),
  cause: z.string().describe('Why, as the state machine reports it.'),
  state: z.string().min(1).optional().describe('The state that failed.'),
  executionId: z.string().min(1).optional().describe('State machine execution name or ARN.'),
});
export type MessageAnalysisFailedDetail = z.infer<typeof MessageAnalysisFailedDetailSchema>;
