import { catalog } from '@murmur/events';
import {
  DEFAULT_RETRY_POLICY,
  type DeliveryStreamTarget,
  type HandlerTarget,
  type InputTransformer,
  type LogTarget,
  type NotificationTarget,
  type RetryPolicy,
  type ServiceDeclaration,
  type StateMachineTarget,
} from '@murmur/ports';
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { deadLetterQueue } from './dead-letter-queue.js';
import {
  type DeliveryStreamLike,
  DeliveryStreamRuleTarget,
  deliveryStreamFor,
} from './delivery-stream-target.js';
import { EventLog } from './event-log.js';
import { placeholderPattern, setRawEventPattern } from './event-patterns.js';
import { notificationTopic, snsNotificationTarget } from './notification-targets.js';
import { QueuedHandlerTarget, type QueuedHandlerTargetProps } from './queued-handler-target.js';

export interface RenderSubscriptionsOptions {
  /** Handler name (key of `declaration.handlers`) -> the Lambda that runs it. */
  handlerFunctions?: Record<string, lambda.IFunction>;
  /** State machine name (of `declaration.stateMachines`) -> the deployed state machine. */
  stateMachines?: Record<string, sfn.IStateMachine>;
  /** Topic name (of a `notification` target) -> the SNS topic it publishes to. */
  topics?: Record<string, sns.ITopic>;
  /** Detail-types a `countByDetailType` log counts. @default every detail-type in the catalog */
  detailTypes?: readonly string[];
  /** Handler name -> how its `queued` target reads its queue (batch size, concurrency...). */
  queued?: Record<string, Omit<QueuedHandlerTargetProps, 'handler' | 'retryPolicy'>>;
  /**
   * Stream name (of a `deliveryStream` target) -> the Firehose stream it puts events into, made by
   * the stack that owns the lake (the analytics stack). The rule target gets the declared retries
   * and its own dead-letter queue.
   */
  deliveryStreams?: Record<string, DeliveryStreamLike>;
}

export interface RenderedSubscriptions {
  rules: Map<string, events.Rule>;
  /** By log name. */
  eventLogs: Map<string, EventLog>;
  /** By `<ruleName>/<handler or state machine name>`, `<ruleName>/topic:<topic>` or `<ruleName>/stream:<stream>`. */
  deadLetterQueues: Map<string, sqs.Queue>;
  /** `queued` handler targets (rule -> SQS -> Lambda), by `<ruleName>/<handler>`. */
  queuedTargets: Map<string, QueuedHandlerTarget>;
}

/** The catalog's detail-types, each once. */
export function catalogDetailTypes(): string[] {
  return [...new Set(catalog.map((entry) => entry.detailType))];
}

/** One `events.Rule` per subscription, on `bus`, with the declaration's pattern verbatim. */
export function renderSubscriptions(
  scope: Construct,
  bus: events.IEventBus,
  declaration: ServiceDeclaration,
  options: RenderSubscriptionsOptions = {},
): RenderedSubscriptions {
  const rendered: RenderedSubscriptions = {
    rules: new Map(),
    eventLogs: new Map(),
    deadLetterQueues: new Map(),
    queuedTargets: new Map(),
  };
  if (declaration.subscriptions.length === 0) return rendered;
  const group = new Construct(scope, 'Subscriptions');

  const eventLogFor = (target: LogTarget): EventLog => {
    const existing = rendered.eventLogs.get(target.logName);
    if (existing) return existing;
    const log = new EventLog(group, `Log-${target.logName}`, {
      logName: target.logName,
      retentionDays: target.retentionDays,
      countDetailTypes: target.countByDetailType ? (options.detailTypes ?? catalogDetailTypes()) : [],
    });
    rendered.eventLogs.set(target.logName, log);
    return log;
  };

  for (const sub of declaration.subscriptions) {
    const rule = new events.Rule(group, sub.ruleName, {
      ruleName: sub.ruleName,
      description: sub.description,
      eventBus: bus,
      eventPattern: placeholderPattern(sub.eventPattern),
    });
    setRawEventPattern(rule.node.defaultChild as events.CfnRule, sub.eventPattern);

    for (const target of sub.targets) {
      if (target.kind === 'log') {
        rule.addTarget(eventLogFor(target));
        continue;
      }
      if (target.kind === 'deliveryStream') {
        const stream = deliveryStreamFor(declaration.name, sub.ruleName, target, options.deliveryStreams);
        const dlq = targetDeadLetterQueue(group, sub.ruleName, `stream-${target.streamName}`);
        rendered.deadLetterQueues.set(`${sub.ruleName}/stream:${target.streamName}`, dlq);
        rule.addTarget(new DeliveryStreamRuleTarget(stream, targetProps(target, dlq)));
        continue;
      }
      if (target.kind === 'notification') {
        const topic = notificationTopic(declaration.name, sub.ruleName, target, options.topics);
        const dlq = targetDeadLetterQueue(group, sub.ruleName, `topic-${target.topic}`);
        rendered.deadLetterQueues.set(`${sub.ruleName}/topic:${target.topic}`, dlq);
        rule.addTarget(snsNotificationTarget(topic, targetProps(target, dlq)));
        continue;
      }
      if (target.kind === 'stateMachine') {
        const machine = options.stateMachines?.[target.stateMachine];
        if (!machine) {
          throw new Error(
            `service ${declaration.name}: rule ${sub.ruleName} targets state machine "${target.stateMachine}", ` +
              'but none was given for it in stateMachines',
          );
        }
        const dlq = targetDeadLetterQueue(group, sub.ruleName, target.stateMachine);
        rendered.deadLetterQueues.set(`${sub.ruleName}/${target.stateMachine}`, dlq);
        rule.addTarget(new targets.SfnStateMachine(machine, targetProps(target, dlq)));
        continue;
      }
      const fn = options.handlerFunctions?.[target.handler];
      if (!fn) {
        throw new Error(
          `service ${declaration.name}: rule ${sub.ruleName} targets handler "${target.handler}", ` +
            'but no Lambda was given for it in handlerFunctions',
        );
      }
      if (target.queued) {
        if (target.inputTransformer) {
          throw new Error(
            `service ${declaration.name}: rule ${sub.ruleName}: a queued handler target takes the whole event (no inputTransformer)`,
          );
        }
        const queued = new QueuedHandlerTarget(group, `${sub.ruleName}-${target.handler}-queued`, {
          ...options.queued?.[target.handler],
          handler: fn,
          ...(target.retryPolicy ? { retryPolicy: target.retryPolicy } : {}),
        });
        rendered.queuedTargets.set(`${sub.ruleName}/${target.handler}`, queued);
        rendered.deadLetterQueues.set(`${sub.ruleName}/${target.handler}`, queued.deadLetterQueue);
        rule.addTarget(queued);
        continue;
      }
      const dlq = targetDeadLetterQueue(group, sub.ruleName, target.handler);
      rendered.deadLetterQueues.set(`${sub.ruleName}/${target.handler}`, dlq);
      const { input, ...props } = targetProps(target, dlq);
      rule.addTarget(new targets.LambdaFunction(fn, { ...props, ...(input ? { event: input } : {}) }));
    }
    rendered.rules.set(sub.ruleName, rule);
  }
  return rendered;
}

/** Retries and dead letters of a declared target, as `targets.LambdaFunction`, `SfnStateMachine` and `SnsTopic` take them. */
export function targetProps(
  target: DeliveryStreamTarget | HandlerTarget | NotificationTarget | StateMachineTarget,
  deadLetterQueue: sqs.IQueue,
): targets.TargetBaseProps & { input?: events.RuleTargetInput } {
  const retry = checkedRetryPolicy(target.retryPolicy ?? DEFAULT_RETRY_POLICY);
  return {
    deadLetterQueue,
    retryAttempts: retry.maximumRetryAttempts,
    maxEventAge: Duration.seconds(retry.maximumEventAgeInSeconds),
    // A delivery stream takes whole events (the lake's records): it declares no transformer.
    ...('inputTransformer' in target && target.inputTransformer
      ? { input: new DeclaredInputTransformer(target.inputTransformer) }
      : {}),
  };
}

function targetDeadLetterQueue(scope: Construct, ruleName: string, targetName: string): sqs.Queue {
  return deadLetterQueue(scope, `${ruleName}-${targetName}-dlq`, 'an EventBridge target');
}

/** EventBridge's limits, so a bad declaration fails at synth rather than at deploy. */
function checkedRetryPolicy(policy: RetryPolicy): RetryPolicy {
  const { maximumRetryAttempts: attempts, maximumEventAgeInSeconds: age } = policy;
  if (!Number.isInteger(attempts) || attempts < 0 || attempts > 185) {
    throw new Error(`retryPolicy.maximumRetryAttempts must be 0..185, got ${attempts}`);
  }
  if (!Number.isInteger(age) || age < 60 || age > 86_400) {
    throw new Error(`retryPolicy.maximumEventAgeInSeconds must be 60..86400, got ${age}`);
  }
  return policy;
}

/**
 * The declaration's InputTransformer as EventBridge takes it: paths map and template verbatim.
 * `RuleTargetInput.fromObject/fromText` would invent their own placeholder names.
 */
export class DeclaredInputTransformer extends events.RuleTargetInput {
  private readonly transformer: InputTransformer;

  constructor(transformer: InputTransformer) {
    super();
    this.transformer = transformer;
  }

  bind(): events.RuleTargetInputProperties {
    return {
      inputTemplate: this.transformer.inputTemplate,
      ...(this.transformer.inputPathsMap ? { inputPathsMap: { ...this.transformer.inputPathsMap } } : {}),
    };
  }
}
