export * from './dynamodb-checkpoints.js';
export * from './dynamodb-idempotency.js';
export * from './eventbridge-bus.js';
export * from './handler-lambda.js';
export * from './powertools-logger.js';
export * from './route-lambda.js';
export * from './s3-blob-store.js';
export * from './secret-json.js';
