// A service declares its behaviour once, as data. The CDK stack renders this into AWS
// resources; the embedded runtime wires the same declaration to its local parts.
import type { DetailType, EventEnvelope } from '@murmur/events';
import type { BlobPort } from './blobs.js';
import type { BusPort } from './bus.js';
import type { RouteDeclaration, RouteHandler } from './http.js';
import type { IdempotencyPort } from './idempotency.js';
import type { Logger } from './logger.js';
import type { ScheduleDeclaration, ScheduleHandler } from './schedule.js';
import type { StateMachineDeclaration, TaskFunction } from './state-machine.js';

/** An EventBridge event pattern, as JSON. Validated by @murmur/event-pattern. */
export type EventPattern = Record<string, unknown>;

/** EventBridge's target RetryPolicy. */
export interface RetryPolicy {
  /** 0..185, EventBridge's default is 185. */
  maximumRetryAttempts: number;
  /** 60..86400 seconds, EventBridge's default is 86400. */
  maximumEventAgeInSeconds: number;
}

/** EventBridge's InputTransformer: JSONPaths into the event, and a template with `<name>` placeholders. */
export interface InputTransformer {
  inputPathsMap?: Record<string, string>;
  inputTemplate: string;
}

/** A handler of the declaring service: Lambda on AWS, an in-process function locally. */
export interface HandlerTarget {
  kind: 'handler';
  /** Key into `ServiceDeclaration.handlers`. */
  handler: string;
  retryPolicy?: RetryPolicy;
  inputTransformer?: InputTransformer;
  /**
   * On AWS, deliver through an SQS queue the Lambda reads (rule -> SQS -> Lambda) instead of an
   * asynchronous invocation, so a `RetryLaterError` can hold the event until a given time (e.g.
   * X's rate-limit reset). The embedded bus does that for every handler; this changes nothing locally.
   */
  queued?: boolean;
}

/** Starts an execution of one of the declaring service's state machines with the (transformed) event. */
export interface StateMachineTarget {
  kind: 'stateMachine';
  /** Name of one of `ServiceDeclaration.stateMachines`. */
  stateMachine: string;
  retryPolicy?: RetryPolicy;
  inputTransformer?: InputTransformer;
}

/** A log of events: a CloudWatch log group on AWS, an NDJSON file under MURMUR_HOME locally. */
export interface LogTarget {
  kind: 'log';
  logName: string;
  retentionDays: number;
  /** A metric (AWS: metric filter; local: counter) per detail-type. */
  countByDetailType: boolean;
}

/**
 * A notification topic: people are told, not code. On AWS an SNS topic (its subscriptions: email,
 * SMS, HTTPS); locally the notifiers configured for the topic (the console, chat webhooks), each
 * its own bus target with its own retries and dead letters. The input transformer builds the
 * readable message once for both.
 */
export interface NotificationTarget {
  kind: 'notification';
  /** The topic's name, as SNS names topics: 1-256 of `[A-Za-z0-9_-]`. */
  topic: string;
  retryPolicy?: RetryPolicy;
  inputTransformer?: InputTransformer;
}

/** SNS's rule for topic names (standard topics). */
export const TOPIC_NAME_PATTERN = /^[A-Za-z0-9_-]{1,256}$/;

/**
 * A delivery stream into the data lake: records collected into files under a key prefix,
 * partitioned hive-style (`<name>=<value>/`) by fields of each record. On AWS a Firehose stream
 * writing to S3 with dynamic partitioning; locally the lake writer, appending under
 * `MURMUR_HOME/lake/` with the same keys. Each record is the event envelope as delivered.
 */
export interface DeliveryStreamTarget {
  kind: 'deliveryStream';
  /** Firehose's rule for stream names: 1-64 of `[A-Za-z0-9_.-]`. */
  streamName: string;
  /** Key prefix of every record: relative, ending with `/`, e.g. `events/`. */
  prefix: string;
  /** The partitions after the prefix, in this order. */
  partitionKeys: DeliveryStreamPartitionKey[];
  /** How long and how much one file collects before the next starts (Firehose's buffering hints). */
  buffering?: DeliveryStreamBuffering;
  retryPolicy?: RetryPolicy;
}

export interface DeliveryStreamPartitionKey {
  /** Partition column: lowercase letters, digits and `_` (Glue and Athena allow no `-`). */
  name: string;
  /** The record's top-level field its value comes from, e.g. `detail-type`. */
  field: string;
  /** `date`: the `YYYY-MM-DD` of an ISO-8601 UTC time (its first ten characters). */
  transform?: 'date';
}

export interface DeliveryStreamBuffering {
  /** 60..900 s (Firehose's range with dynamic partitioning). */
  intervalSeconds: number;
  /** 64..128 MiB (Firehose's range with dynamic partitioning). */
  sizeMiB: number;
}

export const DELIVERY_STREAM_NAME_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
export const PARTITION_KEY_NAME_PATTERN = /^[a-z_][a-z0-9_]*$/;
export const DEFAULT_DELIVERY_STREAM_BUFFERING: DeliveryStreamBuffering = {
  intervalSeconds: 60,
  sizeMiB: 64,
};

export type TargetDeclaration =
  | DeliveryStreamTarget
  | HandlerTarget
  | LogTarget
  | NotificationTarget
  | StateMachineTarget;

export interface SubscriptionDeclaration {
  ruleName: string;
  description: string;
  eventPattern: EventPattern;
  targets: TargetDeclaration[];
}

export interface ArchiveDeclaration {
  archiveName: string;
  description: string;
  /** Events matching this are archived; replays are never archived (as EventBridge's archive rule). */
  eventPattern: EventPattern;
  /** 0 = keep forever, as EventBridge. */
  retentionDays: number;
}

export interface HandlerContext {
  bus: BusPort;
  log: Logger;
  idempotency: IdempotencyPort;
  /** Media and other binary objects: S3 on AWS, files under MURMUR_HOME locally. */
  blobs: BlobPort;
  /** The rule that delivered this input. */
  ruleName: string;
  /** The whole envelope, also when an input transformer shaped `input`. */
  event: EventEnvelope;
  /** 1 on the first delivery, counting retries. */
  attempt: number;
}

/** Plain async function; throwing means "retry me" (never swallow errors: it disables retries). */
export type Handler = (input: unknown, ctx: HandlerContext) => Promise<void>;

export interface ServiceDeclaration {
  /** Short name, e.g. `plumbing`. Its source on the bus is `murmur.<name>`. */
  name: string;
  source: string;
  description: string;
  /** Detail-types this service may publish (only under its own source). */
  publishes: DetailType[];
  subscriptions: SubscriptionDeclaration[];
  archives: ArchiveDeclaration[];
  handlers: Record<string, Handler>;
  /** HTTP routes: API Gateway on AWS, the runtime's HTTP server locally. */
  routes?: RouteDeclaration[];
  routeHandlers?: Record<string, RouteHandler>;
  /** Timed work (polling): EventBridge Scheduler on AWS, the runtime's scheduler locally. */
  schedules?: ScheduleDeclaration[];
  scheduleHandlers?: Record<string, ScheduleHandler>;
  /** Workflows: Step Functions Express on AWS, aws-local-stepfunctions in-process locally. */
  stateMachines?: StateMachineDeclaration[];
  /** The code steps of those workflows: Lambda functions on AWS. */
  taskFunctions?: Record<string, TaskFunction>;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maximumRetryAttempts: 185,
  maximumEventAgeInSeconds: 86_400,
};

/** Identity with type checks, so declarations read as data. */
export function defineService(declaration: ServiceDeclaration): ServiceDeclaration {
  for (const sub of declaration.subscriptions) {
    for (const target of sub.targets) {
      if (target.kind === 'handler' && !(target.handler in declaration.handlers)) {
        throw new Error(
          `service ${declaration.name}: rule ${sub.ruleName} targets unknown handler "${target.handler}"`,
        );
      }
      if (target.kind === 'notification' && !TOPIC_NAME_PATTERN.test(target.topic)) {
        throw new Error(
          `service ${declaration.name}: rule ${sub.ruleName} notifies topic "${target.topic}"; ` +
            'a topic name is 1-256 of A-Z a-z 0-9 _ -',
        );
      }
      if (target.kind === 'deliveryStream') checkDeliveryStream(declaration.name, sub.ruleName, target);
      if (
        target.kind === 'stateMachine' &&
        !declaration.stateMachines?.some((m) => m.name === target.stateMachine)
      ) {
        throw new Error(
          `service ${declaration.name}: rule ${sub.ruleName} targets unknown state machine "${target.stateMachine}"`,
        );
      }
    }
  }
  for (const route of declaration.routes ?? []) {
    if (!(route.handler in (declaration.routeHandlers ?? {}))) {
      throw new Error(
        `service ${declaration.name}: route ${route.method} ${route.path} has no handler "${route.handler}"`,
      );
    }
  }
  for (const schedule of declaration.schedules ?? []) {
    if (!(schedule.handler in (declaration.scheduleHandlers ?? {}))) {
      throw new Error(
        `service ${declaration.name}: schedule ${schedule.name} has no handler "${schedule.handler}"`,
      );
    }
  }
  for (const machine of declaration.stateMachines ?? []) {
    for (const [placeholder, sub] of Object.entries(machine.substitutions)) {
      if (sub.kind === 'taskFunction' && !(sub.taskFunction in (declaration.taskFunctions ?? {}))) {
        throw new Error(
          `service ${declaration.name}: state machine ${machine.name} placeholder ${placeholder} names unknown task function "${sub.taskFunction}"`,
        );
      }
    }
  }
  if (declaration.source !== `murmur.${declaration.name}`) {
    throw new Error(`service ${declaration.name}: source must be murmur.${declaration.name}`);
  }
  return declaration;
}

/** Firehose's limits and the lake's key rules, so a bad stream fails where it is declared. */
function checkDeliveryStream(service: string, ruleName: string, target: DeliveryStreamTarget): void {
  const fail = (why: string): never => {
    throw new Error(`service ${service}: rule ${ruleName} delivers to stream "${target.streamName}": ${why}`);
  };
  if (!DELIVERY_STREAM_NAME_PATTERN.test(target.streamName))
    fail('a stream name is 1-64 of A-Z a-z 0-9 _ . -');
  if (
    !/^([A-Za-z0-9_.=-]+\/)+$/.test(target.prefix) ||
    target.prefix.split('/').some((p) => /^\.\.?$/.test(p))
  ) {
    fail(`prefix "${target.prefix}" must be relative path segments ending with "/", e.g. "events/"`);
  }
  if (target.partitionKeys.length === 0) fail('it needs at least one partition key');
  const names = new Set<string>();
  for (const key of target.partitionKeys) {
    if (!PARTITION_KEY_NAME_PATTERN.test(key.name)) {
      fail(`partition key "${key.name}" must be lowercase letters, digits and _ (no -)`);
    }
    if (names.has(key.name)) fail(`partition key "${key.name}" is declared twice`);
    names.add(key.name);
    if (key.field.length === 0) fail(`partition key "${key.name}" names no field`);
  }
  const buffering = target.buffering;
  if (buffering) {
    const { intervalSeconds: s, sizeMiB: mib } = buffering;
    if (!Number.isInteger(s) || s < 60 || s > 900)
      fail(`buffering.intervalSeconds must be 60..900, got ${s}`);
    if (!Number.isInteger(mib) || mib < 64 || mib > 128)
      fail(`buffering.sizeMiB must be 64..128, got ${mib}`);
  }
}
