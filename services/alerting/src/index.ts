export * from './alert.js';
export * from './conditions.js';
export * from './config.js';
export * from './declaration.js';
export * from './message.js';
export * from './raise-alert.js';
