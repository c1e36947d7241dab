// Lambda entry of a raise-alert function: the very handler the embedded runtime runs, with the AWS
// ports. The stack deploys one function per condition rule (Lambda is not told which rule invoked
// it), each with MURMUR_ALERT_RULE and the condition variables set.
import {
  DynamoDbIdempotencyStore,
  EventBridgeBus,
  eventHandlerLambda,
  type HandlerPorts,
  powertoolsLogger,
} from '@murmur/aws-adapters';
import type { BlobPort } from '@murmur/ports';
import { AlertingConfigError, alertingConfigFromEnv } from '../config.js';
import { alertingService } from '../declaration.js';
import { RAISE_ALERT_ENV } from './env.js';

export { RAISE_ALERT_ENV };

type Env = Record<string, string | undefined>;

export interface RaiseAlertLambdaOptions {
  env?: Env;
  /** @default EventBridge (bus), DynamoDB (idempotency) and Powertools (log), from `env` */
  ports?: (env: Env) => HandlerPorts;
}

function required(env: Env, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new AlertingConfigError(`${name} is not set (the alerting stack sets it)`);
  return value;
}

/** Alerting stores nothing: a use is a wiring bug, said plainly instead of an S3 AccessDenied. */
const NO_BLOBS: BlobPort = {
  get bucket(): string {
    throw new AlertingConfigError('alerting has no media store');
  },
  put: async () => {
    throw new AlertingConfigError('alerting has no media store');
  },
  get: async () => {
    throw new AlertingConfigError('alerting has no media store');
  },
};

export function awsPorts(env: Env): HandlerPorts {
  return {
    bus: new EventBridgeBus(required(env, RAISE_ALERT_ENV.busName)),
    idempotency: new DynamoDbIdempotencyStore(required(env, RAISE_ALERT_ENV.idempotencyTable)),
    blobs: NO_BLOBS,
    log: powertoolsLogger('alerting'),
  };
}

/**
 * The handler, dependencies injectable for tests. Configuration is read on the first invocation
 * (and again on the next, if it failed): a bad variable fails the invocation with an
 * AlertingConfigError naming it, and the event goes the way of failed invocations (retries, then
 * the function's dead-letter queue).
 */
export function createRaiseAlertLambda(options: RaiseAlertLambdaOptions = {}) {
  const env = options.env ?? process.env;
  const portsOf = options.ports ?? awsPorts;
  let ready: ((input: unknown) => Promise<void>) | undefined;

  const prepare = (): ((input: unknown) => Promise<void>) => {
    const ruleName = required(env, RAISE_ALERT_ENV.rule);
    const service = alertingService(alertingConfigFromEnv(env));
    const target = service.subscriptions
      .find((s) => s.ruleName === ruleName)
      ?.targets.find((t) => t.kind === 'handler');
    if (!target) {
      throw new AlertingConfigError(
        `${RAISE_ALERT_ENV.rule}=${ruleName}: no condition rule of that name with these condition variables`,
      );
    }
    return eventHandlerLambda(service.handlers[target.handler]!, { ruleName, ports: () => portsOf(env) });
  };

  return async (input: unknown): Promise<void> => {
    ready ??= prepare();
    await ready(input);
  };
}

export const handler = createRaiseAlertLambda();
