export * from './declaration.js';
export * from './media/index.js';
export * from './state-machine/call-plan.js';
export * from './state-machine/definition.js';
export * from './steps/assemble-analysis.js';
export * from './steps/prepare-message.js';
