export * from './declaration.js';
