// Egress's X credentials on AWS: one JSON secret in Secrets Manager, created by the egress stack
// with the documented shape and placeholder values. Values are never logged, never put in errors.
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { secretStringFields } from '@murmur/aws-adapters';
import { USER_CONTEXT_VARS } from '@murmur/x-client';

/**
 * ```json
 * { "X_API_KEY": "...", "X_CONSUMER_SECRET": "...", "X_ACCESS_TOKEN": "...", "X_ACCESS_TOKEN_SECRET": "..." }
 * ```
 * OAuth 1.0a user context of the bot account (posting needs it; app-only tokens cannot post).
 */
export const EGRESS_SECRET_KEYS = USER_CONTEXT_VARS;

/** What the stack puts in until someone fills the secret in. */
export const UNSET_SECRET_VALUE = 'set-me';

/** The secret is missing, malformed or still holds placeholders: an operator must fill it in. */
export class EgressConfigError extends Error {
  override readonly name = 'EgressConfigError';
}

export type SecretsClient = Pick<SecretsManagerClient, 'send'>;

/** The four credentials, checked; JSON errors are reported without the text (it would echo the secret). */
export async function fetchEgressCredentials(
  client: SecretsClient,
  secretId: string,
): Promise<Record<(typeof EGRESS_SECRET_KEYS)[number], string>> {
  const result = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  const values = secretStringFields(result.SecretString, {
    label: 'egress secret',
    keys: EGRESS_SECRET_KEYS,
    fail: (message) => new EgressConfigError(message),
  });
  const missing = EGRESS_SECRET_KEYS.filter((key) => {
    const value = values[key];
    return !value || value.trim() === '' || value === UNSET_SECRET_VALUE;
  });
  if (missing.length > 0) {
    throw new EgressConfigError(
      `egress secret: fill in ${missing.join(', ')} (the bot account's X credentials)`,
    );
  }
  return values as Record<(typeof EGRESS_SECRET_KEYS)[number], string>;
}
