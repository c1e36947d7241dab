// The egress Lambda: reads the rule's SQS queue (rule -> SQS -> Lambda, so a 429 can hide the
// message until X's reset) and runs the very handler `murmur start` runs, with the AWS ports.
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  cachedOnce,
  DynamoDbIdempotencyStore,
  EventBridgeBus,
  type HandlerPorts,
  powertoolsLogger,
  type QueuedHandlerLambdaOptions,
  queuedHandlerLambda,
  S3BlobStore,
} from '@murmur/aws-adapters';
import { DEAD_LETTER_QUEUE_URL_ENV } from '@murmur/ports';
import { createXClients } from '@murmur/x-client';
import { EGRESS_HANDLER, EGRESS_RULE_NAME, egressService } from '../declaration.js';
import { XReplyPoster } from '../x-poster.js';
import { EGRESS_ENV } from './env.js';
import { EgressConfigError, fetchEgressCredentials, type SecretsClient } from './secret.js';

export { EGRESS_ENV };

type Env = Record<string, string | undefined>;

export interface SendTweetLambdaOptions {
  env?: Env;
  secrets?: SecretsClient;
  sqs?: QueuedHandlerLambdaOptions['sqs'];
  /** By default: EventBridge (bus), DynamoDB (idempotency), S3 (media) and Powertools (log), from `env`. */
  ports?: (env: Env) => HandlerPorts;
  now?: () => number;
}

function required(env: Env, name: string): string {
  const value = env[name];
  if (!value) throw new EgressConfigError(`${name} is not set (the egress stack sets it)`);
  return value;
}

export function awsEgressPorts(env: Env): HandlerPorts {
  return {
    bus: new EventBridgeBus(required(env, EGRESS_ENV.busName)),
    idempotency: new DynamoDbIdempotencyStore(required(env, EGRESS_ENV.idempotencyTable)),
    blobs: new S3BlobStore(required(env, EGRESS_ENV.mediaBucket)),
    log: powertoolsLogger('egress'),
  };
}

function claimSecondsFrom(env: Env): number | undefined {
  const raw = env[EGRESS_ENV.claimSeconds];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new EgressConfigError(`${EGRESS_ENV.claimSeconds} must be a whole number of seconds >= 1`);
  }
  return value;
}

/**
 * The handler, with its dependencies injectable for tests. The X secret is read on the first
 * delivery (not at cold start, so a bad secret fails deliveries, which the queue retries and
 * finally dead-letters, rather than the whole function). An unfilled secret fails every delivery
 * with `EgressConfigError` naming the keys, never their values.
 */
export function createSendTweetLambda(options: SendTweetLambdaOptions = {}) {
  const env = options.env ?? process.env;
  const secrets = options.secrets ?? new SecretsManagerClient({});
  const poster = cachedOnce(async () => {
    const credentials = await fetchEgressCredentials(secrets, required(env, EGRESS_ENV.secretArn));
    const apiUrl = env[EGRESS_ENV.xApiUrl];
    const { user } = createXClients(
      { ...credentials, ...(apiUrl ? { MURMUR_X_API_URL: apiUrl } : {}) },
      { need: ['user'] },
    );
    return new XReplyPoster(user!);
  });
  const claimSeconds = claimSecondsFrom(env);
  const service = egressService({
    poster,
    ...(claimSeconds ? { claimSeconds } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  return queuedHandlerLambda(service.handlers[EGRESS_HANDLER]!, {
    ruleName: EGRESS_RULE_NAME,
    ports: () => (options.ports ?? awsEgressPorts)(env),
    ...(options.sqs ? { sqs: options.sqs } : {}),
    ...(env[DEAD_LETTER_QUEUE_URL_ENV] ? { deadLetterQueueUrl: env[DEAD_LETTER_QUEUE_URL_ENV] } : {}),
  });
}

export const handler = createSendTweetLambda();
