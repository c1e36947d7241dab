// The anti-corruption layer between X's payloads and Murmur's events: pure functions, no I/O.
export { conversationIdOf } from './direct-messages.js';
export { contentHash, dmKey, favoriteKey, tweetKey } from './idempotency-keys.js';
export {
  messageFromPolledTweet,
  type PollContext,
  type PolledIncludes,
  type PolledTweet,
  type PolledTweetTranslation,
} from './polled-tweets.js';
export { translateActivity } from './translate.js';
export {
  type ActivityContext,
  type ActivityTranslation,
  InvalidActivityError,
  type TranslatedEvent,
} from './types.js';
