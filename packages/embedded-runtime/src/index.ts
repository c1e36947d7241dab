export * from './console-logger.js';
export * from './event-log.js';
export * from './home.js';
export * from './http-server.js';
export * from './idempotency-store.js';
export * from './runtime.js';
export * from './service-plan.js';
