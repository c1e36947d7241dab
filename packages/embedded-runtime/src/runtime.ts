import { setMaxListeners } from 'node:events';
import { join } from 'node:path';
import {
  type DeadLetterNotice,
  Dispatcher,
  type DispatcherOptions,
  EmbeddedBus,
  NonRetryableError,
  type TargetFunction,
} from '@murmur/embedded-bus';
import type { LakeWriter } from '@murmur/lake';
import type {
  BlobPort,
  BusPort,
  Logger,
  LogTarget,
  ServiceDeclaration,
  StateMachineDeclaration,
} from '@murmur/ports';
import { SqliteCheckpointStore } from './checkpoint-store.js';
import { type ConsoleLoggerOptions, consoleLogger } from './console-logger.js';
import { eventLogTarget, pruneEventLog } from './event-log.js';
import { FileBlobStore } from './file-blob-store.js';
import type { MurmurHome } from './home.js';
import { RuntimeHttpServer } from './http-server.js';
import { HttpWorkerHost } from './http-worker-host.js';
import { SqliteIdempotencyStore } from './idempotency-store.js';
import { lakeStreamTarget } from './lake-target.js';
import { consoleNotifier, type NotifiersByTopic } from './notifiers.js';
import { mountRoutes, scopedBus } from './routes.js';
import { Scheduler } from './scheduler.js';
import { installPlan, planServices, type ServicePlan } from './service-plan.js';
import type { ServicesModuleRef } from './services-module.js';
import { type LocalSdkIntegrations, LocalStateMachine } from './state-machine-runner.js';

export interface RuntimeOptions {
  home: MurmurHome;
  services: readonly ServiceDeclaration[];
  log?: Logger;
  dispatcher?: Omit<DispatcherOptions, 'functions' | 'onDeadLetter' | 'onWarning'>;
  synchronous?: 'NORMAL' | 'FULL';
  /** How often archive retention, log retention and unreferenced events are pruned. */
  pruneIntervalMs?: number;
  /** Where `deliveryStream` targets write (the local S3 bucket of the lake). @default `<home>/lake` */
  lakeRoot?: string;
  /** Local stand-ins for the AWS SDK calls state machines make (`aws-sdk:<service>:<action>`). */
  sdk?: LocalSdkIntegrations;
  /** The services' blob store. @default files under `home.media` */
  blobs?: BlobPort;
  /**
   * Where each notification topic's messages go: the console, chat webhooks (one bus target
   * each, with its own retries and dead letters). @default the console for every topic
   */
  notifiers?: NotifiersByTopic;
  /**
   * Serve the services' HTTP routes (port 0 = any free port). Without it, no HTTP server. With
   * `worker`, the server runs in a worker thread that builds the services from that module, so
   * busy handlers on this thread never delay an HTTP answer.
   */
  http?: {
    port: number;
    host?: string;
    worker?: { services: ServicesModuleRef; log?: Pick<ConsoleLoggerOptions, 'level' | 'format'> };
  };
}

/**
 * The embedded runtime: one bus for this home, every declared archive and rule on it, and a
 * dispatcher delivering to the declared handlers in this process.
 */
export class EmbeddedRuntime {
  readonly bus: EmbeddedBus;
  readonly dispatcher: Dispatcher;
  readonly log: Logger;
  readonly idempotency: SqliteIdempotencyStore;
  readonly checkpoints: SqliteCheckpointStore;
  readonly blobs: BlobPort;
  /** The lake writer of each `deliveryStream` target, by stream name. */
  readonly deliveryStreams = new Map<string, LakeWriter>();
  /** Every declared state machine, by `<service>.<name>`. */
  readonly stateMachines = new Map<string, LocalStateMachine>();
  private scheduler: Scheduler | undefined;
  /** Set when the runtime serves HTTP routes. */
  http: { url: string; port: number; close(): Promise<void> } | undefined;
  private readonly closers: (() => void)[] = [];
  private pruneTimer: NodeJS.Timeout | undefined;
  /** Aborts running executions on stop: they can take minutes, and their deliveries are retried. */
  private readonly stopping = new AbortController();

  private constructor(private readonly options: RuntimeOptions) {
    // Planned before anything is opened: a bad declaration or notifier fails with nothing to close.
    const plan = planServices(options.services, {
      ...(options.notifiers ? { notifiers: options.notifiers } : {}),
    });
    this.log = options.log ?? consoleLogger();
    this.idempotency = new SqliteIdempotencyStore(options.home.stateDb);
    this.checkpoints = new SqliteCheckpointStore(options.home.stateDb);
    this.blobs = options.blobs ?? new FileBlobStore(options.home.media);
    // One listener per running execution: dozens at once are normal, not a leak.
    setMaxListeners(0, this.stopping.signal);
    this.bus = new EmbeddedBus({
      path: options.home.busDb,
      ...(options.synchronous ? { synchronous: options.synchronous } : {}),
    });
    const functions = this.wire(plan);
    this.dispatcher = new Dispatcher(this.bus, {
      ...options.dispatcher,
      functions,
      onDeadLetter: (notice: DeadLetterNotice) =>
        this.log.warn('delivery failed for good; event is in the DLQ', { ...notice }),
      onWarning: (message) => this.log.warn(message),
    });
  }

  static async start(options: RuntimeOptions): Promise<EmbeddedRuntime> {
    const runtime = new EmbeddedRuntime(options);
    try {
      runtime.dispatcher.start();
      const http = options.http;
      if (http?.worker) {
        runtime.http = await HttpWorkerHost.start(
          {
            home: options.home,
            port: http.port,
            ...(http.host ? { host: http.host } : {}),
            services: http.worker.services,
            log: http.worker.log ?? {},
          },
          () => runtime.bus.notify(),
        );
      } else if (http) {
        runtime.http = await RuntimeHttpServer.listen({
          port: http.port,
          ...(http.host ? { host: http.host } : {}),
          routes: mountRoutes(options.services, {
            bus: runtime.bus,
            idempotency: runtime.idempotency,
            log: runtime.log,
          }),
          log: runtime.log,
        });
      }
    } catch (error) {
      await runtime.dispatcher.stop();
      runtime.closeResources();
      throw error;
    }
    runtime.scheduler = new Scheduler(runtime.scheduledJobs(), runtime.log);
    runtime.scheduler.start();
    runtime.prune();
    runtime.pruneTimer = setInterval(() => runtime.prune(), options.pruneIntervalMs ?? 10 * 60_000);
    runtime.pruneTimer.unref();
    return runtime;
  }

  /** The bus as one service may use it: only its own source and declared detail-types. */
  busFor(service: ServiceDeclaration): BusPort {
    return scopedBus(this.bus, service);
  }

  async stop(): Promise<void> {
    await this.scheduler?.stop();
    await this.http?.close();
    this.stopping.abort();
    await this.dispatcher.stop();
    this.closeResources();
  }

  private closeResources(): void {
    clearInterval(this.pruneTimer);
    for (const close of this.closers) close();
    this.bus.close();
    this.idempotency.close();
    this.checkpoints.close();
  }

  /** Puts every declared archive and rule on the bus; returns the in-process targets. */
  private wire(plan: ServicePlan): Map<string, TargetFunction> {
    for (const rule of installPlan(this.bus, plan)) {
      this.log.info('removed a rule its service no longer declares', { rule });
    }
    const functions = new Map<string, TargetFunction>();
    for (const fn of plan.functions) {
      if (fn.kind === 'log') {
        const logTarget = eventLogTarget(this.bus, this.options.home.logs, fn.target);
        this.closers.push(logTarget.close);
        functions.set(fn.id, logTarget.deliver);
      } else if (fn.kind === 'deliveryStream') {
        const stream = lakeStreamTarget(
          this.options.lakeRoot ?? join(this.options.home.root, 'lake'),
          fn.target,
        );
        this.closers.push(stream.close);
        this.deliveryStreams.set(fn.target.streamName, stream.writer);
        functions.set(fn.id, stream.deliver);
      } else if (fn.kind === 'stateMachine') {
        functions.set(fn.id, this.startExecution(fn.service, fn.stateMachine));
      } else if (fn.kind === 'consoleNotifier') {
        functions.set(fn.id, consoleNotifier(this.log.child({ service: fn.service.name }), fn.topic));
      } else {
        functions.set(fn.id, this.adapt(fn.service, fn.handler));
      }
    }
    return functions;
  }

  private adapt(service: ServiceDeclaration, handlerName: string): TargetFunction {
    const handler = service.handlers[handlerName]!;
    const bus = this.busFor(service);
    const log = this.log.child({ service: service.name, handler: handlerName });
    return (input, ctx) =>
      handler(input, {
        bus,
        idempotency: this.idempotency,
        blobs: this.blobs,
        log: log.child({ eventId: ctx.event.id, rule: ctx.ruleName }),
        ruleName: ctx.ruleName,
        event: ctx.event,
        attempt: ctx.attempt,
      });
  }

  /** The machine for a declaration, built once (also for services only reached by rules). */
  stateMachine(service: ServiceDeclaration, declaration: StateMachineDeclaration): LocalStateMachine {
    const id = `${service.name}.${declaration.name}`;
    let machine = this.stateMachines.get(id);
    if (!machine) {
      machine = new LocalStateMachine(declaration, {
        service,
        bus: this.busFor(service),
        blobs: this.blobs,
        log: this.log.child({ service: service.name }),
        sdk: this.options.sdk ?? {},
      });
      this.stateMachines.set(id, machine);
    }
    return machine;
  }

  /**
   * A rule target that runs one execution per event. A failed execution goes to the DLQ with its
   * error and cause (on AWS it is a failed execution in the logs): its own Catch states have
   * already reported what they could, so retrying blindly would only repeat the failure.
   */
  private startExecution(service: ServiceDeclaration, declaration: StateMachineDeclaration): TargetFunction {
    const machine = this.stateMachine(service, declaration);
    const log = this.log.child({ service: service.name, stateMachine: declaration.name });
    return async (input, ctx) => {
      const name = `${ctx.event.id}-${ctx.attempt}`;
      const result = await machine.run(input, name, this.stopping.signal);
      if (result.status === 'FAILED') {
        log.warn('execution failed', { execution: name, error: result.error, cause: result.cause });
        throw new NonRetryableError(`${declaration.name} failed: ${result.error}: ${result.cause}`);
      }
    };
  }

  private scheduledJobs() {
    return this.options.services.flatMap((service) =>
      (service.schedules ?? []).map((schedule) => ({
        schedule,
        handler: service.scheduleHandlers![schedule.handler]!,
        context: {
          bus: this.busFor(service),
          log: this.log.child({ service: service.name, schedule: schedule.name }),
          idempotency: this.idempotency,
          checkpoints: this.checkpoints,
        },
      })),
    );
  }

  private prune(): void {
    try {
      this.idempotency.prune();
      const pruned = this.bus.prune();
      const logTargets = this.options.services.flatMap((s) =>
        s.subscriptions.flatMap((sub) => sub.targets.filter((t): t is LogTarget => t.kind === 'log')),
      );
      for (const target of logTargets) pruneEventLog(this.options.home.logs, target);
      if (pruned.archived + pruned.events > 0) this.log.debug('pruned the bus', pruned);
    } catch (error) {
      this.log.warn('pruning failed; will try again', { error: String(error) });
    }
  }
}
