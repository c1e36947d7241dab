export {
  assertXId,
  formatReplayDate,
  XAccountActivity,
  type XReplayJob,
  type XSubscriptionList,
  type XWebhook,
} from './account-activity.js';
export {
  type CreateXClientsOptions,
  createXClient,
  createXClients,
  type XAuthKind,
  type XClients,
} from './client.js';
export {
  APP_ONLY_VARS,
  readXConfig,
  USER_CONTEXT_VARS,
  type UserContextCredentials,
  type XConfig,
  XConfigError,
  XEnvSchema,
} from './env.js';
export { describeXError, XInputError } from './errors.js';
export { LoopbackApiAgent, type LoopbackTarget, parseLoopbackApiUrl } from './loopback-agent.js';
