// The ingress configuration on AWS: one JSON secret in Secrets Manager, created by the ingress
// stack with the right shape. Its values are never logged, and never put in error messages.
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { secretStringFields } from '@murmur/aws-adapters';
import { type IngressConfig, IngressConfigError, parseIngressConfig } from '../config.js';

/**
 * The secret's documented shape (the same names as the local environment variables):
 *
 * ```json
 * { "X_CONSUMER_SECRET": "...", "X_ACCOUNT_ID": "123,456", "X_CLIENT_SECRET": "..." }
 * ```
 *
 * `X_CLIENT_SECRET` is optional. Every value is a string: X ids do not fit in a JSON number.
 *
 * Polling (the stack's `pollEvery`) also needs X API credentials, read by `createXClient`:
 * `X_BEARER_TOKEN` (app-only), or `X_API_KEY` + `X_ACCESS_TOKEN` + `X_ACCESS_TOKEN_SECRET`
 * (user context, with `X_CONSUMER_SECRET` as the app secret). The webhook ignores them.
 */
export const INGRESS_SECRET_KEYS = ['X_CONSUMER_SECRET', 'X_ACCOUNT_ID', 'X_CLIENT_SECRET'] as const;
export const POLL_SECRET_KEYS = [
  'X_BEARER_TOKEN',
  'X_API_KEY',
  'X_ACCESS_TOKEN',
  'X_ACCESS_TOKEN_SECRET',
] as const;

/** The validated configuration, and the secret's string values for `createXClient` (never log them). */
export interface IngressSecret {
  config: IngressConfig;
  values: Readonly<Record<string, string>>;
}

export type SecretsClient = Pick<SecretsManagerClient, 'send'>;

/** Reads and validates the secret. A JSON error is reported without the text (it would echo the secret). */
export async function fetchIngressConfig(client: SecretsClient, secretId: string): Promise<IngressConfig> {
  return (await fetchIngressSecret(client, secretId)).config;
}

/** The secret with the polling credentials too: what the poll Lambda reads. */
export async function fetchIngressSecret(client: SecretsClient, secretId: string): Promise<IngressSecret> {
  const result = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  const env = secretStringFields(result.SecretString, {
    label: 'ingress secret',
    keys: [...INGRESS_SECRET_KEYS, ...POLL_SECRET_KEYS],
    fail: (message) => new IngressConfigError(message),
  });
  return { config: parseIngressConfig(env), values: env };
}
