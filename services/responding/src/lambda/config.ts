// The respond function's configuration, from the variables the responding stack sets. Every
// problem is reported at once, by variable name; values are never secrets, but a bad one is
// quoted only where it helps.
import { z } from 'zod';
import { type LexBotConfig, LexBotConfigSchema } from '../chatbot/lex-chatbot.js';
import { type ReplyPolicy, ReplyPolicyError, replyPolicyFromEnv } from '../policy.js';
import { RESPONDING_ENV } from './env.js';

type Env = Record<string, string | undefined>;

/** A variable is missing or malformed: the stack and the function disagree. */
export class RespondingConfigError extends Error {
  override readonly name = 'RespondingConfigError';
}

export interface RespondingLambdaConfig {
  busName: string;
  idempotencyTable: string;
  mediaBucket: string;
  lex: LexBotConfig;
  policy: ReplyPolicy;
}

const required = (what: string) =>
  z
    .string({ error: `is not set (the responding stack sets it to ${what})` })
    .trim()
    .min(1, `is empty (the responding stack sets it to ${what})`);

const EnvSchema = z.object({
  [RESPONDING_ENV.busName]: required('the Murmur bus name').pipe(
    z.string().regex(/^[/.\-_A-Za-z0-9]{1,256}$/, 'is not an EventBridge bus name'),
  ),
  [RESPONDING_ENV.idempotencyTable]: required('the idempotency table').pipe(
    z.string().regex(/^[a-zA-Z0-9_.-]{3,255}$/, 'is not a DynamoDB table name'),
  ),
  [RESPONDING_ENV.mediaBucket]: required('the media bucket').pipe(
    z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'is not an S3 bucket name'),
  ),
  [RESPONDING_ENV.lexBotId]: required('the Lex bot id').pipe(LexBotConfigSchema.shape.botId),
  [RESPONDING_ENV.lexBotAliasId]: required('the Lex bot alias id').pipe(LexBotConfigSchema.shape.botAliasId),
  [RESPONDING_ENV.lexLocaleId]: required('the Lex locale, en_US').pipe(LexBotConfigSchema.shape.localeId),
});

export function respondingConfigFromEnv(env: Env): RespondingLambdaConfig {
  const problems: string[] = [];
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${String(issue.path[0])} ${issue.message}`);
  }
  let policy: ReplyPolicy | undefined;
  try {
    policy = replyPolicyFromEnv(env as NodeJS.ProcessEnv);
  } catch (error) {
    if (!(error instanceof ReplyPolicyError)) throw error;
    problems.push(error.message);
  }
  if (!parsed.success || !policy) throw new RespondingConfigError(`responding: ${problems.join('; ')}`);
  const values = parsed.data;
  return {
    busName: values[RESPONDING_ENV.busName],
    idempotencyTable: values[RESPONDING_ENV.idempotencyTable],
    mediaBucket: values[RESPONDING_ENV.mediaBucket],
    lex: {
      botId: values[RESPONDING_ENV.lexBotId],
      botAliasId: values[RESPONDING_ENV.lexBotAliasId],
      localeId: values[RESPONDING_ENV.lexLocaleId],
    },
    policy,
  };
}
