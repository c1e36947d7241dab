export * from './annotate/annotate-image.js';
export * from './chatbot/index.js';
export * from './declaration.js';
export * from './policy.js';
export * from './respond.js';
