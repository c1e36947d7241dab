export * from './declaration.js';
export * from './failures.js';
export * from './media.js';
export * from './outbox-poster.js';
export * from './poster-from-env.js';
export type * from './reply-poster.js';
export * from './send-tweet.js';
export * from './x-poster.js';
