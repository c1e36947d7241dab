export {
  type Account,
  type ActivityPayloadOptions,
  ActivityPayloads,
  activityPayloads,
  type PhotoSpec,
  type TweetSpec,
  twitterDate,
  type V1Tweet,
  type V1User,
  type VideoSpec,
} from './activity-payloads.js';
export type { AuthRequirement, Principal } from './context.js';
export { DEFAULT_CONSUMER_SECRET, XEmulator, type XEmulatorOptions } from './emulator.js';
export type { RequestLogEntry } from './http-types.js';
export { LoopbackAgent, loopbackAgent } from './loopback-agent.js';
export { encodeJpeg, pictureJpeg } from './picture.js';
export {
  DEFAULT_RATE_LIMITS,
  ENDPOINT_NAMES,
  type EndpointName,
  type RateLimitConfig,
} from './rate-limits.js';
export { crcResponseToken, signWebhookBody } from './signing.js';
export type {
  Delivery,
  DirectMessageInput,
  EmulatedDmEvent,
  EmulatedMedia,
  EmulatedTweet,
  EmulatedUser,
  EmulatedWebhook,
  EmulatorState,
  MentionInput,
  PhotoInput,
  ReplayJob,
  TweetInput,
  UserInput,
  VideoInput,
} from './state.js';
export type { DeliverOptions, DeliveryResult } from './webhooks.js';
