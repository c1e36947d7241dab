import { z } from 'zod';

const XId = z.string().regex(/^\d{1,20}$/, 'must be an X account id (digits)');

/** Ingress configuration from the environment; on AWS the secret fields come from Secrets Manager. */
export const IngressConfigSchema = z.object({
  /** The app's API secret (consumer secret): signs CRC answers and webhook deliveries. */
  X_CONSUMER_SECRET: z.string().min(8, 'X_CONSUMER_SECRET is too short to be an app secret'),
  /** OAuth 2 client secret, when X signs with `x-twitter-webhooks-signature-oauth2` too. */
  X_CLIENT_SECRET: z.string().min(8).optional(),
  /** The bot's own account id, or several, comma-separated. */
  X_ACCOUNT_ID: z
    .string()
    .transform((v) => v.split(',').map((id) => id.trim()))
    .pipe(z.array(XId).min(1)),
});

export interface IngressConfig {
  consumerSecret: string;
  clientSecret?: string;
  accountIds: ReadonlySet<string>;
}

export class IngressConfigError extends Error {
  override readonly name = 'IngressConfigError';
}

/** Validates at start, so a wrong environment fails with a clear message instead of at the first webhook. */
export function parseIngressConfig(env: Record<string, string | undefined>): IngressConfig {
  const parsed = IngressConfigSchema.safeParse(env);
  if (!parsed.success) {
    throw new IngressConfigError(`ingress configuration: ${z.prettifyError(parsed.error)}`);
  }
  return {
    consumerSecret: parsed.data.X_CONSUMER_SECRET,
    ...(parsed.data.X_CLIENT_SECRET ? { clientSecret: parsed.data.X_CLIENT_SECRET } : {}),
    accountIds: new Set(parsed.data.X_ACCOUNT_ID),
  };
}
