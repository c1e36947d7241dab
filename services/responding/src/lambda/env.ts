/**
 * Environment variables the responding stack sets on the respond function (kept free of SDK
 * imports: the stack reads it). The reply policy comes from the same `MURMUR_REPLY_*` variables
 * as `murmur start` (`replyPolicyFromEnv`).
 */
export const RESPONDING_ENV = {
  /** The Murmur bus SEND_TWEET is published on. */
  busName: 'MURMUR_BUS_NAME',
  /** DynamoDB table of the reply-once and per-user records. */
  idempotencyTable: 'MURMUR_IDEMPOTENCY_TABLE',
  /** The media bucket (the analysis stack's): photos are read from it, annotated copies written to it. */
  mediaBucket: 'MURMUR_MEDIA_BUCKET',
  lexBotId: 'MURMUR_LEX_BOT_ID',
  lexBotAliasId: 'MURMUR_LEX_BOT_ALIAS_ID',
  lexLocaleId: 'MURMUR_LEX_LOCALE_ID',
} as const;

export const REPLY_POLICY_ENV = {
  ignore: 'MURMUR_REPLY_IGNORE',
  perUser: 'MURMUR_REPLY_PER_USER',
  blurFaces: 'MURMUR_REPLY_BLUR_FACES',
} as const;
