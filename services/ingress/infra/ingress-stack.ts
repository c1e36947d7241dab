// The ingress stack: X's Account Activity webhook on API Gateway, verified and deduplicated by
// the same route handlers `murmur start` serves, published on the Murmur bus as murmur.ingress.
import { fileURLToPath } from 'node:url';
import {
  deadLetterQueue,
  grantPublish,
  IdempotencyTable,
  lookupMurmurBus,
  serviceFunction,
  tagAsMurmurService,
} from '@murmur/cdk-constructs';
import { Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { WEBHOOK_PATH } from '../src/declaration.js';
import { POLL_ENV, WEBHOOK_ENV } from '../src/lambda/env.js';

export const INGRESS_DEFAULTS = {
  /** Requests per second, steady state, for the whole stage. X delivers far fewer for one bot. */
  throttlingRateLimit: 50,
  /** Requests in a burst above the rate. */
  throttlingBurstLimit: 100,
  stageName: 'v1',
  logRetention: logs.RetentionDays.ONE_MONTH,
} as const;

export interface IngressStackProps extends StackProps {
  /** Stage throttling, requests per second. @default INGRESS_DEFAULTS.throttlingRateLimit */
  throttlingRateLimit?: number;
  /** Stage throttling, burst. @default INGRESS_DEFAULTS.throttlingBurstLimit */
  throttlingBurstLimit?: number;
  /** Retention of the function's and the API's access logs. @default one month */
  logRetention?: logs.RetentionDays;
  /** Code for the webhook function; tests pass inline code. @default the bundled src/lambda/webhook.ts */
  webhookCode?: lambda.Code;
  /**
   * Poll X's mentions timeline this often (whole minutes, at least 1), for accounts without
   * Account Activity access: an EventBridge Scheduler schedule invokes a poll function. Needs X
   * API credentials in the secret (docs/aws.md). @default no polling
   */
  pollEvery?: Duration;
  /** Code for the poll function; tests pass inline code. @default the bundled src/lambda/poll.ts */
  pollCode?: lambda.Code;
}

const WEBHOOK_ENTRY = fileURLToPath(new URL('../src/lambda/webhook.ts', import.meta.url));
const POLL_ENTRY = fileURLToPath(new URL('../src/lambda/poll.ts', import.meta.url));

/** Retries of one poll run, by Scheduler (invoking) and by Lambda (the run failing): the next run catches up anyway. */
export const POLL_RETRY = { maximumRetryAttempts: 2 } as const;

export class IngressStack extends Stack {
  readonly bus: events.IEventBus;
  readonly api: apigateway.RestApi;
  readonly webhook: lambda.Function;
  readonly secret: secretsmanager.Secret;
  readonly idempotencyTable: IdempotencyTable;
  /** With `pollEvery`: the poll function, its schedule and the dead-letter queue of failed runs. */
  readonly polling?: {
    function: lambda.Function;
    schedule: scheduler.CfnSchedule;
    scheduleRole: iam.Role;
    deadLetterQueue: sqs.Queue;
  };

  constructor(scope: Construct, id: string, props: IngressStackProps = {}) {
    super(scope, id, props);
    const logRetention = props.logRetention ?? INGRESS_DEFAULTS.logRetention;
    // Through SSM, not an export: the plumbing stack stays free to change.
    this.bus = lookupMurmurBus(this);

    // Created with its documented shape; the user puts the real values in (docs/aws.md). The
    // placeholder account id fails validation, so the webhook answers 503 until then.
    this.secret = new secretsmanager.Secret(this, 'XSecret', {
      description:
        'Murmur ingress: X app credentials. JSON {"X_CONSUMER_SECRET": "...", "X_ACCOUNT_ID": "123,456", "X_CLIENT_SECRET"?: "..."}',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ X_ACCOUNT_ID: 'set-me' }),
        generateStringKey: 'X_CONSUMER_SECRET',
        excludePunctuation: true,
        passwordLength: 48,
      },
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        "The secret holds X's app consumer secret, which only X's developer portal can rotate; a rotation Lambda cannot change it on X's side.",
    });

    // Delivery records live a day at most; nothing to keep when the stack goes.
    this.idempotencyTable = new IdempotencyTable(this, 'IdempotencyTable');

    this.webhook = this.ingressFunction('Webhook', {
      roleDescription:
        'Murmur ingress webhook: publish as murmur.ingress, idempotency records, read the X secret.',
      description: 'Murmur ingress: X Account Activity webhook (CRC and deliveries)',
      // X wants the answer within 3 s; a delivery is verify, claim, PutEvents, answer.
      timeout: Duration.seconds(10),
      entry: WEBHOOK_ENTRY,
      code: props.webhookCode,
      logRetention,
      environment: {
        [WEBHOOK_ENV.busName]: this.bus.eventBusName,
        [WEBHOOK_ENV.idempotencyTable]: this.idempotencyTable.tableName,
        [WEBHOOK_ENV.secretArn]: this.secret.secretArn,
      },
    });

    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', {
      retention: logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.api = new apigateway.RestApi(this, 'Api', {
      restApiName: 'murmur-ingress',
      description: "Murmur ingress: X's Account Activity webhook",
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      // The account-level CloudWatch role is a per-account singleton; this stack does not own it.
      cloudWatchRole: false,
      deployOptions: {
        stageName: INGRESS_DEFAULTS.stageName,
        throttlingRateLimit: props.throttlingRateLimit ?? INGRESS_DEFAULTS.throttlingRateLimit,
        throttlingBurstLimit: props.throttlingBurstLimit ?? INGRESS_DEFAULTS.throttlingBurstLimit,
        accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
        // What a refusal or a slow answer needs explained; no headers, no bodies (signatures stay out).
        accessLogFormat: apigateway.AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            httpMethod: '$context.httpMethod',
            resourcePath: '$context.resourcePath',
            status: '$context.status',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationStatus: '$context.integrationStatus',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            error: '$context.error.message',
          }),
        ),
      },
    });
    // GET must carry crc_token: API Gateway answers 400 without calling the function. Bodies are
    // checked against a method's model only, and POST declares none on purpose: the handler checks
    // the signature first (401), then the JSON (400), exactly as `murmur start` does.
    const validator = this.api.addRequestValidator('Validator', {
      requestValidatorName: 'murmur-ingress',
      validateRequestParameters: true,
      validateRequestBody: true,
    });
    const integration = new apigateway.LambdaIntegration(this.webhook, {
      proxy: true,
      // No console test-invoke permission: only the deployed stage may call the function.
      allowTestInvoke: false,
    });
    const twitter = this.api.root.addResource(WEBHOOK_PATH.slice(1));
    twitter.addMethod('GET', integration, {
      requestValidator: validator,
      requestParameters: { 'method.request.querystring.crc_token': true },
    });
    twitter.addMethod('POST', integration, { requestValidator: validator });

    this.acknowledgeApiFindings();
    if (props.pollEvery) this.polling = this.addPolling(props.pollEvery, logRetention, props.pollCode);
    tagAsMurmurService(this, 'ingress');
  }

  /**
   * The polling ingress: EventBridge Scheduler -> poll function -> `pollMentions` with the AWS
   * ports. Scheduler invokes Lambda asynchronously, so a run that throws is retried by Lambda's
   * asynchronous invocation, and one that is never delivered by Scheduler's retry policy; both
   * end in the same encrypted dead-letter queue.
   */
  private addPolling(every: Duration, logRetention: logs.RetentionDays, code?: lambda.Code) {
    const minutes = every.toMinutes({ integral: false });
    if (!Number.isInteger(minutes) || minutes < 1) {
      throw new Error(
        `IngressStack pollEvery must be whole minutes, at least 1 (got ${every.toHumanString()})`,
      );
    }
    const maxEventAge = Duration.seconds(Math.min(Math.max(minutes * 60, 60), 6 * 3600));

    const pollDlq = deadLetterQueue(this, 'PollDlq', 'the poll schedule and of the poll function');

    const fn = this.ingressFunction('Poll', {
      roleDescription:
        'Murmur ingress mentions poll: publish as murmur.ingress, idempotency records and checkpoints, read the X secret.',
      description: "Murmur ingress: polls X's mentions timeline (EventBridge Scheduler)",
      // Up to 5 pages of mentions per account, each a round trip to X, then PutEvents.
      timeout: Duration.seconds(60),
      entry: POLL_ENTRY,
      code,
      logRetention,
      environment: {
        [POLL_ENV.busName]: this.bus.eventBusName,
        [POLL_ENV.idempotencyTable]: this.idempotencyTable.tableName,
        [POLL_ENV.secretArn]: this.secret.secretArn,
      },
      // Asynchronous invocation (how Scheduler calls): a failed run is retried, then dead-lettered.
      async: { retryAttempts: POLL_RETRY.maximumRetryAttempts, maxEventAge, deadLetterQueue: pollDlq },
    });

    // Scheduler's execution role: invoke this function, and dead-letter what it cannot deliver.
    const scheduleRole = new iam.Role(this, 'PollScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
      description: 'Murmur ingress mentions poll schedule: invoke the poll function only.',
    });
    scheduleRole.addToPolicy(
      new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] }),
    );
    // EventBridge Scheduler sends dead-letter events with its execution role.
    scheduleRole.addToPolicy(
      new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [pollDlq.queueArn] }),
    );

    const schedule = new scheduler.CfnSchedule(this, 'PollSchedule', {
      description: `Murmur ingress: poll X mentions every ${minutes} minute(s)`,
      scheduleExpression: `rate(${minutes} ${minutes === 1 ? 'minute' : 'minutes'})`,
      // On the dot: a flexible window would let runs drift into each other's rate-limit window.
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: fn.functionArn,
        roleArn: scheduleRole.roleArn,
        input: JSON.stringify({ source: 'murmur.ingress.poll' }),
        retryPolicy: {
          maximumRetryAttempts: POLL_RETRY.maximumRetryAttempts,
          maximumEventAgeInSeconds: maxEventAge.toSeconds(),
        },
        deadLetterConfig: { arn: pollDlq.queueArn },
      },
    });
    // The role's policy must exist before Scheduler validates the target.
    schedule.node.addDependency(scheduleRole);
    return { function: fn, schedule, scheduleRole, deadLetterQueue: pollDlq };
  }

  private acknowledgeApiFindings(): void {
    const noCallerAuth =
      'X cannot send credentials to a webhook: every POST is authenticated by its HMAC-SHA256 signature (x-twitter-webhooks-signature), verified in constant time in the handler, and GET answers only token-like CRC input.';
    Validations.of(this.api).acknowledge(
      { id: 'AwsSolutions-APIG4', reason: noCallerAuth },
      { id: 'AwsSolutions-COG4', reason: noCallerAuth },
      {
        id: 'AwsSolutions-APIG3',
        reason:
          'WAF is optional: unsigned requests are refused by the handler and the stage is throttled; attach a web ACL to the stage if the endpoint draws abuse.',
      },
      {
        id: 'AwsSolutions-APIG6',
        reason:
          "Execution logging needs the account-wide API Gateway CloudWatch role (AWS::ApiGateway::Account), a per-account singleton a service stack should not own; the stage's access log records every request, and the function logs every refusal.",
      },
    );
  }

  /**
   * One ingress Lambda (`serviceFunction`: its own role and log group), allowed to publish as
   * murmur.ingress, use the idempotency table and read the X secret, and nothing else.
   */
  private ingressFunction(
    id: string,
    options: {
      roleDescription: string;
      description: string;
      timeout: Duration;
      entry: string;
      code: lambda.Code | undefined;
      logRetention: logs.RetentionDays;
      environment: Record<string, string>;
      async?: { retryAttempts: number; maxEventAge: Duration; deadLetterQueue: sqs.IQueue };
    },
  ): lambda.Function {
    const fn = serviceFunction(this, id, { ...options, service: 'ingress', memorySize: 512 });
    grantPublish(this.bus, fn, 'ingress');
    this.idempotencyTable.grantIdempotency(fn);
    this.secret.grantRead(fn);
    return fn;
  }
}
