// The AWS SDK v3 clients the `--aws` commands use, configured from the standard chain (env,
// shared config and credentials files, SSO, instance roles) plus `--region` / `--profile`.
// Nothing here reads or prints a credential: the SDK resolves them at the first call.
import { AthenaClient } from '@aws-sdk/client-athena';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { CliError } from '../io.js';

export interface AwsConnectionOptions {
  region?: string;
  profile?: string;
}

export interface AwsClients {
  readonly events: EventBridgeClient;
  readonly sqs: SQSClient;
  readonly lambda: LambdaClient;
  readonly sfn: SFNClient;
  readonly sns: SNSClient;
  readonly athena: AthenaClient;
}

/**
 * `--region`, else AWS_REGION, else AWS_DEFAULT_REGION (what the AWS CLI reads; SDK v3 does not),
 * else whatever the SDK finds in the profile.
 */
export function clientConfig(options: AwsConnectionOptions, env: NodeJS.ProcessEnv) {
  const region = options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  return {
    ...(region ? { region } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
  };
}

/** Clients made on first use: a command pays only for the ones it calls. */
export function createAwsClients(options: AwsConnectionOptions, env: NodeJS.ProcessEnv): AwsClients {
  const config = clientConfig(options, env);
  const made = new Map<string, unknown>();
  const lazy = <T>(key: string, make: () => T): T => {
    if (!made.has(key)) made.set(key, make());
    return made.get(key) as T;
  };
  return {
    get events() {
      return lazy('events', () => new EventBridgeClient(config));
    },
    get sqs() {
      return lazy('sqs', () => new SQSClient(config));
    },
    get lambda() {
      return lazy('lambda', () => new LambdaClient(config));
    },
    get sfn() {
      return lazy('sfn', () => new SFNClient(config));
    },
    get sns() {
      return lazy('sns', () => new SNSClient(config));
    },
    get athena() {
      return lazy('athena', () => new AthenaClient(config));
    },
  };
}

/** The region a client will call, or a clear error before any call is made without one. */
export async function requireRegion(client: { config: { region: () => Promise<string> } }): Promise<string> {
  try {
    const region = await client.config.region();
    if (region) return region;
  } catch {
    // The SDK says "Region is missing"; the hint below says how to give one.
  }
  throw new CliError(
    'no AWS region: pass --region, set AWS_REGION, or give your AWS profile a region (aws configure)',
  );
}

/** An AWS call that failed, as one line naming the operation; `errorName` is the SDK's error name. */
export class AwsCallError extends CliError {
  override readonly name = 'AwsCallError';
  constructor(
    message: string,
    readonly errorName: string,
  ) {
    super(message);
  }
}

export function errorNameOf(error: unknown): string {
  return error instanceof Error ? error.name : 'Error';
}

const ACCESS_DENIED = /AccessDenied|NotAuthorized|Unauthorized|AuthorizationError|Forbidden/i;
const NO_CREDENTIALS = /CredentialsProviderError|UnrecognizedClient|InvalidClientTokenId|InvalidSignature/;
const EXPIRED = /ExpiredToken|TokenRefreshRequired/;

/** Errors no other message, queue or page would escape: stop instead of failing each one alike. */
export function isIdentityError(error: unknown): boolean {
  const name = error instanceof AwsCallError ? error.errorName : errorNameOf(error);
  return ACCESS_DENIED.test(name) || NO_CREDENTIALS.test(name) || EXPIRED.test(name);
}

function hintFor(name: string): string {
  if (NO_CREDENTIALS.test(name)) {
    return ' (no usable AWS credentials: set AWS_PROFILE or --profile, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)';
  }
  if (EXPIRED.test(name)) return ' (the AWS session has expired: sign in again, e.g. aws sso login)';
  if (ACCESS_DENIED.test(name)) {
    return ' (your AWS identity lacks this permission: docs/runbook.md, "Operations on AWS", lists what each command needs)';
  }
  return '';
}

/** The error of a failed call, as an `AwsCallError` that says which operation failed and why. */
export function awsError(operation: string, error: unknown): AwsCallError {
  const name = errorNameOf(error);
  const message = error instanceof Error ? error.message : String(error);
  return new AwsCallError(`${operation}: ${name}: ${message}${hintFor(name)}`, name);
}

/**
 * Runs one SDK call. Errors named in `known` become that message (e.g. ResourceNotFoundException ->
 * "archive X does not exist"); any other becomes an `AwsCallError` naming the operation.
 */
export async function awsCall<T>(
  operation: string,
  send: () => Promise<T>,
  known: Record<string, string> = {},
): Promise<T> {
  try {
    return await send();
  } catch (error) {
    const name = errorNameOf(error);
    if (Object.hasOwn(known, name)) throw new AwsCallError(known[name]!, name);
    throw awsError(operation, error);
  }
}
