// The alerting stack: the declaration's condition rules on the Murmur bus, each invoking its own
// small raise-alert Lambda (the handler the embedded runtime runs), which publishes ALERT_RAISED;
// and the rule on ALERT_RAISED publishing the readable message to an encrypted SNS topic whose
// subscriptions (email, SMS, HTTPS) come from the props.
import { fileURLToPath } from 'node:url';
import {
  deadLetterQueue,
  grantPublish,
  IdempotencyTable,
  lookupMurmurBus,
  renderService,
  serviceFunction,
  tagAsMurmurService,
} from '@murmur/cdk-constructs';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { z } from 'zod';
import {
  ALERTS_TOPIC,
  type AlertingConfig,
  AlertingConfigError,
  alertingConfigToEnv,
  checkAlertingConfig,
  DEFAULT_ALERTING_CONFIG,
} from '../src/config.js';
import { ALERT_NOTIFY_RULE, alertingService } from '../src/declaration.js';
import { RAISE_ALERT_ENV } from '../src/lambda/env.js';

export const ALERTING_DEFAULTS = {
  logRetention: logs.RetentionDays.ONE_MONTH,
  /** Lambda's own retries of a failed asynchronous invocation, before its dead-letter queue. */
  invokeRetries: 2,
} as const;

/** Who is told, through the topic. Each email and HTTPS endpoint must confirm its subscription. */
export interface AlertSubscriptions {
  emails?: string[];
  /** E.164 numbers, e.g. `+447700900123` (SNS SMS needs the account's SMS sandbox or production access). */
  sms?: string[];
  /** HTTPS endpoints that confirm SNS subscriptions and take SNS's JSON envelope (not Slack webhooks: docs/alerting.md). */
  https?: string[];
}

export interface AlertingStackProps extends StackProps {
  /** The alert conditions, as locally (`alertingConfigFromEnv`). @default DEFAULT_ALERTING_CONFIG */
  alerting?: AlertingConfig;
  subscriptions?: AlertSubscriptions;
  /** Retention of the functions' logs. @default one month */
  logRetention?: logs.RetentionDays;
  /** Code for the raise-alert functions; tests pass inline code. @default the bundled src/lambda/raise-alert.ts */
  code?: lambda.Code;
}

const RAISE_ALERT_ENTRY = fileURLToPath(new URL('../src/lambda/raise-alert.ts', import.meta.url));

// Values are never echoed in errors: an HTTPS endpoint may carry a token.
const SubscriptionsSchema = z.strictObject({
  emails: z.array(z.email({ error: 'is not an email address' })).default([]),
  sms: z
    .array(z.string().regex(/^\+[1-9]\d{6,14}$/, 'is not an E.164 phone number (e.g. +447700900123)'))
    .default([]),
  https: z.array(z.url({ protocol: /^https$/, error: 'is not an https:// URL' })).default([]),
});

export function checkSubscriptions(value: AlertSubscriptions | undefined): Required<AlertSubscriptions> {
  const parsed = SubscriptionsSchema.safeParse(value ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const [field, index] = issue.path;
    const where = index === undefined ? String(field ?? '') : `${String(field)}[${String(index)}]`;
    throw new AlertingConfigError(`AlertingStack subscriptions${where ? `.${where}` : ''}: ${issue.message}`);
  }
  return parsed.data;
}

export class AlertingStack extends Stack {
  readonly bus: events.IEventBus;
  readonly key: kms.Key;
  readonly topic: sns.Topic;
  readonly idempotencyTable: IdempotencyTable;
  /** The role every raise-alert function runs as. */
  readonly raiseAlertRole: iam.Role;
  /** One raise-alert function per condition rule, by the rule's name. */
  readonly functions: Map<string, lambda.Function>;
  readonly rules: Map<string, events.Rule>;
  /** Rule targets' DLQs (by `<rule>/<handler>` and `<rule>/topic:alerts`), failed invocations, undeliverable notifications. */
  readonly deadLetterQueues: Map<string, sqs.Queue>;

  constructor(scope: Construct, id: string, props: AlertingStackProps = {}) {
    super(scope, id, props);
    const config = checkAlertingConfig(props.alerting ?? DEFAULT_ALERTING_CONFIG, 'AlertingStack alerting');
    const subscribers = checkSubscriptions(props.subscriptions);
    const logRetention = props.logRetention ?? ALERTING_DEFAULTS.logRetention;
    this.bus = lookupMurmurBus(this);
    const service = alertingService(config);

    this.key = new kms.Key(this, 'AlertsKey', {
      description: 'Murmur alerting: encrypts the alerts topic and its undeliverable notifications.',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.topic = new sns.Topic(this, 'AlertsTopic', {
      displayName: 'Murmur alerts',
      masterKey: this.key,
      enforceSSL: true,
    });
    // EventBridge may publish the rule's message and use the key for it: the rule's SNS target
    // grants both (topic policy, and key policy since the topic is encrypted; see the tests).

    this.deadLetterQueues = new Map();
    this.addSubscriptions(subscribers);

    // Records live 30 days at most; losing them can at worst repeat an alert.
    this.idempotencyTable = new IdempotencyTable(this, 'IdempotencyTable');

    this.raiseAlertRole = new iam.Role(this, 'RaiseAlertRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description:
        'Murmur alerting raise-alert functions: publish as murmur.alerting, idempotency records, their logs, their DLQ.',
    });
    grantPublish(this.bus, this.raiseAlertRole, 'alerting');
    this.idempotencyTable.grantIdempotency(this.raiseAlertRole);

    const invokeFailures = deadLetterQueue(
      this,
      'RaiseAlertFailures',
      'the raise-alert functions (invocations that failed after their retries)',
    );
    this.deadLetterQueues.set('raise-alert-invocations', invokeFailures);

    this.functions = new Map();
    const handlerFunctions: Record<string, lambda.IFunction> = {};
    for (const sub of service.subscriptions) {
      const target = sub.targets.find((t) => t.kind === 'handler');
      if (!target) continue;
      const fn = this.raiseAlertFunction(sub.ruleName, {
        code: props.code,
        logRetention,
        deadLetterQueue: invokeFailures,
        environment: {
          ...alertingConfigToEnv(config),
          [RAISE_ALERT_ENV.rule]: sub.ruleName,
          [RAISE_ALERT_ENV.busName]: this.bus.eventBusName,
          [RAISE_ALERT_ENV.idempotencyTable]: this.idempotencyTable.tableName,
        },
      });
      this.functions.set(sub.ruleName, fn);
      handlerFunctions[target.handler] = fn;
    }

    const rendered = renderService(this, this.bus, service, {
      handlerFunctions,
      topics: { [ALERTS_TOPIC]: this.topic },
    });
    this.rules = rendered.rules;
    for (const [key, queue] of rendered.deadLetterQueues) this.deadLetterQueues.set(key, queue);
    if (!this.rules.has(ALERT_NOTIFY_RULE))
      throw new Error(`the alerting service declares no ${ALERT_NOTIFY_RULE}`);

    new CfnOutput(this, 'AlertsTopicArn', {
      value: this.topic.topicArn,
      description: 'Subscribe more endpoints here (e.g. Amazon Q Developer in chat applications for Slack).',
    });
    tagAsMurmurService(this, 'alerting');
  }

  /**
   * Every subscription gets a redrive policy: what SNS cannot deliver after its retries is kept,
   * encrypted with the topic's key, which SNS may therefore use (as AWS documents for SNS writing
   * to an encrypted queue; the queue policy admits this topic only). Construct ids are numbered,
   * never made from the addresses (logical ids are not the place for phone numbers).
   */
  private addSubscriptions(subscribers: Required<AlertSubscriptions>): void {
    const all = [
      ...subscribers.emails.map((endpoint) => ({
        id: 'Email',
        protocol: sns.SubscriptionProtocol.EMAIL,
        endpoint,
      })),
      ...subscribers.sms.map((endpoint) => ({ id: 'Sms', protocol: sns.SubscriptionProtocol.SMS, endpoint })),
      // SNS's JSON envelope is kept (no raw delivery): the endpoint can verify SNS's signature.
      ...subscribers.https.map((endpoint) => ({
        id: 'Https',
        protocol: sns.SubscriptionProtocol.HTTPS,
        endpoint,
      })),
    ];
    if (all.length === 0) return;
    const undeliverable = new sqs.Queue(this, 'UndeliverableAlerts', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(undeliverable).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter queue of the alerts topic subscriptions; a DLQ of a DLQ adds nothing.',
    });
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowSnsToKeepUndeliverableAlerts',
        principals: [new iam.ServicePrincipal('sns.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
      }),
    );
    this.deadLetterQueues.set('subscriptions', undeliverable);
    const counts = new Map<string, number>();
    for (const { id, protocol, endpoint } of all) {
      const n = (counts.get(id) ?? 0) + 1;
      counts.set(id, n);
      // sns.Subscription, not the aws-sns-subscriptions helpers: SmsSubscription drops the DLQ.
      new sns.Subscription(this, `${id}Subscription${n}`, {
        topic: this.topic,
        protocol,
        endpoint,
        deadLetterQueue: undeliverable,
      });
    }
  }

  /**
   * One condition's function: Node 22 on arm64, its own log group, the shared role. Invoked
   * asynchronously by its rule: a failed invocation is retried by Lambda, then kept in the DLQ.
   */
  private raiseAlertFunction(
    ruleName: string,
    options: {
      code: lambda.Code | undefined;
      logRetention: logs.RetentionDays;
      deadLetterQueue: sqs.IQueue;
      environment: Record<string, string>;
    },
  ): lambda.Function {
    const id = `RaiseAlert-${ruleName}`;
    return serviceFunction(this, id, {
      service: 'alerting',
      role: this.raiseAlertRole,
      logGroupId: `${id}-Logs`,
      description: `Murmur alerting: ${ruleName} -> ALERT_RAISED`,
      // Parse, one DynamoDB claim, PutEvents, one DynamoDB update.
      timeout: Duration.seconds(10),
      memorySize: 256,
      logRetention: options.logRetention,
      entry: RAISE_ALERT_ENTRY,
      code: options.code,
      environment: options.environment,
      async: { retryAttempts: ALERTING_DEFAULTS.invokeRetries, deadLetterQueue: options.deadLetterQueue },
    });
  }
}
