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

export type TargetDeclaration = HandlerTarget | LogTarget | StateMachineTarget;

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
