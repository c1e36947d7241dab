export * from './blobs.js';
export * from './bus.js';
export * from './declaration.js';
export * from './http.js';
export * from './idempotency.js';
export * from './logger.js';
export * from './schedule.js';
export * from './state-machine.js';
