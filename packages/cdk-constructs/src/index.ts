// Renders a service's declaration (packages/ports) into CDK; the embedded runtime wires the
// same declaration locally.
export * from './archives.js';
export * from './bus-lookup.js';
export * from './delivery-stream-target.js';
export * from './event-log.js';
export * from './event-patterns.js';
export * from './lambda-defaults.js';
export * from './media-bucket-lookup.js';
export * from './notification-targets.js';
export * from './queued-handler-target.js';
export * from './render-service.js';
export * from './schema-registry.js';
export * from './service-identity.js';
export * from './subscriptions.js';
