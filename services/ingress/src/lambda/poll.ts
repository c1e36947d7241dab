// The Lambda EventBridge Scheduler invokes to poll mentions (`IngressStack` prop `pollEvery`):
// the same `pollMentions` schedule handler `murmur start` runs, with the AWS ports.
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  cachedOnce,
  DynamoDbCheckpointStore,
  DynamoDbIdempotencyStore,
  EventBridgeBus,
  powertoolsLogger,
} from '@murmur/aws-adapters';
import type { Logger, ScheduleContext, ScheduleHandler } from '@murmur/ports';
import { createXClient } from '@murmur/x-client';
import { IngressConfigError } from '../config.js';
import { pollMentions } from '../polling/poll-mentions.js';
import { XMentionsSource } from '../polling/x-mentions-source.js';
import { POLL_ENV } from './env.js';
import { fetchIngressSecret, type SecretsClient } from './secret-config.js';

export { POLL_ENV };

export type PollPorts = Omit<ScheduleContext, 'now'>;

export interface PollLambdaOptions {
  env?: Record<string, string | undefined>;
  secrets?: SecretsClient;
  /** By default: EventBridge (bus), DynamoDB (idempotency, checkpoints) and Powertools (log), from `env`. */
  ports?: (env: Record<string, string | undefined>) => PollPorts;
  now?: () => Date;
}

function required(env: Record<string, string | undefined>, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set (the ingress stack sets it)`);
  return value;
}

export function awsPollPorts(
  env: Record<string, string | undefined>,
  log: Logger = powertoolsLogger('ingress'),
): PollPorts {
  const table = required(env, POLL_ENV.idempotencyTable);
  return {
    bus: new EventBridgeBus(required(env, POLL_ENV.busName)),
    idempotency: new DynamoDbIdempotencyStore(table),
    checkpoints: new DynamoDbCheckpointStore(table),
    log,
  };
}

/**
 * The handler, with its dependencies injectable for tests. The secret is read on the first
 * invocation and kept for the life of the execution environment (a failure is not kept, so a
 * secret filled in later is picked up by the next run). Any failure is logged (names and
 * messages only, never a secret value) and thrown: the invocation fails, and Lambda's
 * asynchronous retries and dead-letter queue take over. The checkpoint moves only after a
 * successful publish, so the next run reads the same mentions again; idempotency keys make that
 * safe.
 */
export function createPollHandler(options: PollLambdaOptions = {}) {
  const env = options.env ?? process.env;
  const secrets = options.secrets ?? new SecretsManagerClient({});
  const now = options.now ?? (() => new Date());
  const loadPoll = cachedOnce(async (): Promise<ScheduleHandler> => {
    const { config, values } = await fetchIngressSecret(secrets, required(env, POLL_ENV.secretArn));
    // X_CONSUMER_SECRET is always there (the webhook's), so createXClient alone would only ask
    // for the missing user-context variables; name both ways in.
    if (
      !values.X_BEARER_TOKEN &&
      !values.X_API_KEY &&
      !values.X_ACCESS_TOKEN &&
      !values.X_ACCESS_TOKEN_SECRET
    ) {
      throw new IngressConfigError(
        'ingress secret: polling needs X API credentials: X_BEARER_TOKEN, or X_API_KEY + X_ACCESS_TOKEN + X_ACCESS_TOKEN_SECRET',
      );
    }
    const apiUrl = env[POLL_ENV.xApiUrl];
    // Throws XConfigError naming the missing variables, never their values.
    const client = createXClient({ ...values, ...(apiUrl ? { MURMUR_X_API_URL: apiUrl } : {}) });
    return pollMentions({ accountIds: [...config.accountIds], source: new XMentionsSource(client) });
  });
  let ports: PollPorts | undefined;

  return async (_event?: unknown): Promise<void> => {
    ports ??= (options.ports ?? awsPollPorts)(env);
    let poll: ScheduleHandler;
    try {
      poll = await loadPoll();
    } catch (error) {
      ports.log.error('mentions poll not configured: put X API credentials in the ingress secret', {
        error: (error as Error).name,
        problem: (error as Error).message,
      });
      throw error;
    }
    try {
      await poll({ ...ports, now: now() });
    } catch (error) {
      ports.log.error('mentions poll failed', {
        error: (error as Error).name,
        reason: (error as Error).message,
      });
      throw error;
    }
  };
}

export const handler = createPollHandler();
