export * from './console-logger.js';
export * from './event-log.js';
export * from './home.js';
export * from './runtime.js';
export * from './service-plan.js';
