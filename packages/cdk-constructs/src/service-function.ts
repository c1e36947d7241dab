// One Murmur Lambda as every service stack builds it: Node 22 on arm64, its own log group, a role
// without AWSLambdaBasicExecutionRole (which is logs:* on every group), bundled by local esbuild,
// or inline code in tests. Resources are created in `scope` under ids derived from `id`, so a
// stack that moves onto this keeps its logical ids.
import { type Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { LAMBDA_BUNDLING, NODE22_RUNTIME_REASON } from './lambda-defaults.js';
import type { MurmurServiceName } from './service-identity.js';

/** A role of its own (`<id>Role`, trusting Lambda), or one shared by several functions. */
export type ServiceFunctionRole =
  | { roleDescription: string; role?: never }
  | { role: iam.Role; roleDescription?: never };

export type ServiceFunctionOptions = ServiceFunctionRole & {
  /** Its POWERTOOLS_SERVICE_NAME. */
  service: MurmurServiceName;
  description: string;
  timeout: Duration;
  memorySize: number;
  /** Retention of its log group. */
  logRetention: logs.RetentionDays;
  /** The handler's source file (absolute path), bundled with `bundling` when `code` is not given. */
  entry: string;
  /** Inline code (tests): runs `index.handler` and skips bundling. */
  code?: lambda.Code;
  /** @default LAMBDA_BUNDLING */
  bundling?: BundlingOptions;
  /** POWERTOOLS_SERVICE_NAME is added after these. */
  environment?: Record<string, string>;
  layers?: lambda.ILayerVersion[];
  /** Asynchronous invocation: Lambda's retries and where a failed event goes. */
  async?: { retryAttempts?: number; maxEventAge?: Duration; deadLetterQueue?: sqs.IQueue };
  /** @default `${id}Logs` */
  logGroupId?: string;
};

/**
 * The function (ids `id`, `<id>Logs`, `<id>Role`), allowed to write its own log group and nothing
 * else yet: the caller grants what the handler does. cdk-nag's AwsSolutions-L1 (latest runtime)
 * is acknowledged with NODE22_RUNTIME_REASON.
 */
export function serviceFunction(
  scope: Construct,
  id: string,
  options: ServiceFunctionOptions,
): lambda.Function {
  const logGroup = new logs.LogGroup(scope, options.logGroupId ?? `${id}Logs`, {
    retention: options.logRetention,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const role =
    options.role ??
    new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: options.roleDescription,
    });
  logGroup.grantWrite(role);
  const common = {
    runtime: lambda.Runtime.NODEJS_22_X,
    architecture: lambda.Architecture.ARM_64,
    role,
    logGroup,
    timeout: options.timeout,
    memorySize: options.memorySize,
    description: options.description,
    environment: { ...options.environment, POWERTOOLS_SERVICE_NAME: options.service },
    ...(options.layers ? { layers: options.layers } : {}),
    ...options.async,
  };
  const fn = options.code
    ? new lambda.Function(scope, id, { ...common, code: options.code, handler: 'index.handler' })
    : new NodejsFunction(scope, id, {
        ...common,
        entry: options.entry,
        handler: 'handler',
        bundling: options.bundling ?? LAMBDA_BUNDLING,
      });
  Validations.of(fn).acknowledge({ id: 'AwsSolutions-L1', reason: NODE22_RUNTIME_REASON });
  return fn;
}
