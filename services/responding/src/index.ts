export * from './chatbot/index.js';
