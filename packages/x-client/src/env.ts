import { z } from 'zod';

/** A misconfigured X environment: the message names variables, never their values. */
export class XConfigError extends Error {
  override readonly name = 'XConfigError';
}

/** Blank values count as unset, so `X_BEARER_TOKEN=` in a .env file is reported as missing. */
const optionalSecret = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
  z.string().optional(),
);

export const XEnvSchema = z.object({
  X_API_KEY: optionalSecret,
  X_CONSUMER_SECRET: optionalSecret,
  X_ACCESS_TOKEN: optionalSecret,
  X_ACCESS_TOKEN_SECRET: optionalSecret,
  X_BEARER_TOKEN: optionalSecret,
  MURMUR_X_API_URL: optionalSecret,
});

/** The OAuth 1.0a user-context variables, in the order they are reported. */
export const USER_CONTEXT_VARS = [
  'X_API_KEY',
  'X_CONSUMER_SECRET',
  'X_ACCESS_TOKEN',
  'X_ACCESS_TOKEN_SECRET',
] as const;
export const APP_ONLY_VARS = ['X_BEARER_TOKEN'] as const;

export interface UserContextCredentials {
  appKey: string;
  appSecret: string;
  accessToken: string;
  accessSecret: string;
}

export interface XConfig {
  /** OAuth 1.0a user context, when all four variables are set. */
  user?: UserContextCredentials;
  /** OAuth 2.0 app-only bearer token. */
  bearerToken?: string;
  /** Variables of the user-context set that are missing (all four when none is set). */
  missingUserVars: string[];
  /** `MURMUR_X_API_URL`, already checked to be plain-http loopback. */
  apiUrl?: string;
}

/** Reads the X variables from an environment; throws only on values that are present but invalid. */
export function readXConfig(env: Record<string, string | undefined>): XConfig {
  const parsed = XEnvSchema.safeParse(env);
  if (!parsed.success) {
    const names = [...new Set(parsed.error.issues.map((i) => String(i.path[0])))];
    throw new XConfigError(`invalid X configuration in ${names.join(', ')}`);
  }
  const vars = parsed.data;
  const missingUserVars = USER_CONTEXT_VARS.filter((name) => vars[name] === undefined);
  const user =
    missingUserVars.length === 0
      ? {
          appKey: vars.X_API_KEY as string,
          appSecret: vars.X_CONSUMER_SECRET as string,
          accessToken: vars.X_ACCESS_TOKEN as string,
          accessSecret: vars.X_ACCESS_TOKEN_SECRET as string,
        }
      : undefined;
  return {
    user,
    bearerToken: vars.X_BEARER_TOKEN,
    missingUserVars,
    apiUrl: vars.MURMUR_X_API_URL,
  };
}
