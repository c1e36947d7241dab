export * from './bus.js';
export * from './declaration.js';
export * from './logger.js';
