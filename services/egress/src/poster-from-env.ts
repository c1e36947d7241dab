// Which poster `murmur start` uses: X when the environment holds user-context credentials (the
// four OAuth 1.0a variables), the dry-run outbox otherwise, or when MURMUR_EGRESS_DRY_RUN asks.
import { createXClients, readXConfig, USER_CONTEXT_VARS, XConfigError } from '@murmur/x-client';
import { z } from 'zod';
import { OutboxPoster } from './outbox-poster.js';
import type { ReplyPoster } from './reply-poster.js';
import { XReplyPoster } from './x-poster.js';

export const EGRESS_DRY_RUN_VAR = 'MURMUR_EGRESS_DRY_RUN';

const DryRunSchema = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1');

export interface ReplyPosterChoice {
  poster: ReplyPoster;
  /** One line for the start-up banner: where replies go, and why. Names variables, never values. */
  description: string;
}

/**
 * The poster the environment asks for. Throws `XConfigError` for values that are present but
 * invalid (MURMUR_X_API_URL not loopback, a bad MURMUR_EGRESS_DRY_RUN), never for missing ones:
 * missing credentials mean a dry run. Messages name variables, never their values.
 */
export function replyPosterFromEnv(
  env: Record<string, string | undefined>,
  options: { outboxDir: string },
): ReplyPosterChoice {
  const dryRun = DryRunSchema.safeParse(env[EGRESS_DRY_RUN_VAR]?.trim().toLowerCase());
  if (!dryRun.success) {
    throw new XConfigError(`${EGRESS_DRY_RUN_VAR} must be true, false, 1 or 0`);
  }
  const config = readXConfig(env);
  const outbox = new OutboxPoster(options.outboxDir);
  if (dryRun.data) {
    return {
      poster: outbox,
      description: `dry run (${EGRESS_DRY_RUN_VAR} is set): replies go to ${outbox.dir}`,
    };
  }
  if (!config.user) {
    const missing = config.missingUserVars.length === USER_CONTEXT_VARS.length ? 'none of' : 'not all of';
    return {
      poster: outbox,
      description: `dry run (${missing} ${USER_CONTEXT_VARS.join(', ')} set): replies go to ${outbox.dir}`,
    };
  }
  const { user } = createXClients(env, { need: ['user'] });
  const target = config.apiUrl ? `the X API emulator at ${config.apiUrl}` : 'X';
  return { poster: new XReplyPoster(user!), description: `replies are posted to ${target}` };
}
