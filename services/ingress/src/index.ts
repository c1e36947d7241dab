export * from './activity/index.js';
export * from './config.js';
export * from './declaration.js';
export * from './webhook/crc.js';
export * from './webhook/handlers.js';
export * from './webhook/signature.js';
