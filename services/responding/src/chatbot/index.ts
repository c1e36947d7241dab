export * from './definition.js';
export * from './fulfilment.js';
export * from './lex-session.js';
export * from './local-chatbot.js';
export * from './reply-text.js';
