import { TwitterApi } from 'twitter-api-v2';
import { APP_ONLY_VARS, readXConfig, USER_CONTEXT_VARS, type XConfig, XConfigError } from './env.js';
import { LoopbackApiAgent, parseLoopbackApiUrl } from './loopback-agent.js';

export type XAuthKind = 'user' | 'app';

export interface XClients {
  /** OAuth 2.0 app-only (X_BEARER_TOKEN): `/2/webhooks`, subscription list/delete, replay. */
  app?: TwitterApi;
  /** OAuth 1.0a user context (X_API_KEY, X_CONSUMER_SECRET, X_ACCESS_TOKEN, X_ACCESS_TOKEN_SECRET): subscribe, posting. */
  user?: TwitterApi;
}

export interface CreateXClientsOptions {
  /** Which clients the caller needs; a missing one throws XConfigError naming its variables. */
  need?: XAuthKind[];
}

const USER_HINT = `${USER_CONTEXT_VARS.join(', ')} (OAuth 1.0a user context)`;
const APP_HINT = `${APP_ONLY_VARS.join(', ')} (OAuth 2.0 app-only)`;

function missingMessage(kind: XAuthKind, config: XConfig): string {
  if (kind === 'app') return `X credentials missing: set ${APP_HINT}`;
  return `X credentials missing: set ${config.missingUserVars.join(', ')} (OAuth 1.0a user context)`;
}

/**
 * The twitter-api-v2 clients the environment configures. Throws XConfigError when nothing
 * is configured, when a needed kind is missing, or when MURMUR_X_API_URL is not loopback.
 * Error messages name variables, never their values.
 */
export function createXClients(
  env: Record<string, string | undefined>,
  options: CreateXClientsOptions = {},
): XClients {
  const config = readXConfig(env);
  const httpAgent = config.apiUrl ? new LoopbackApiAgent(parseLoopbackApiUrl(config.apiUrl)) : undefined;
  const settings = httpAgent ? { httpAgent } : {};
  const partialUser =
    config.missingUserVars.length > 0 && config.missingUserVars.length < USER_CONTEXT_VARS.length;
  if (!config.user && !config.bearerToken) {
    throw new XConfigError(
      partialUser ? missingMessage('user', config) : `X credentials missing: set ${USER_HINT} or ${APP_HINT}`,
    );
  }
  for (const kind of options.need ?? []) {
    if (kind === 'user' && !config.user) throw new XConfigError(missingMessage('user', config));
    if (kind === 'app' && !config.bearerToken) throw new XConfigError(missingMessage('app', config));
  }
  return {
    app: config.bearerToken ? new TwitterApi(config.bearerToken, settings) : undefined,
    user: config.user ? new TwitterApi(config.user, settings) : undefined,
  };
}

/**
 * One client: user context when its four variables are set, otherwise app-only. Use
 * createXClients when a command needs a specific kind (webhook management is app-only,
 * subscribing is user context).
 */
export function createXClient(env: Record<string, string | undefined>): TwitterApi {
  const { user, app } = createXClients(env);
  return (user ?? app) as TwitterApi;
}
