// Operations on AWS from the `murmur` CLI: replay, dead-letter queues, Athena.

export * from './arn.js';
export * from './athena.js';
export * from './athena-command.js';
export * from './clients.js';
export * from './dlq-command.js';
export * from './dlq-messages.js';
export * from './dlq-peek.js';
export * from './dlq-queues.js';
export * from './dlq-redrive.js';
export * from './options.js';
export * from './poll.js';
export * from './replay.js';
export * from './replay-command.js';
export * from './target-delivery.js';
