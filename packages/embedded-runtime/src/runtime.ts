import {
  type DeadLetterNotice,
  Dispatcher,
  type DispatcherOptions,
  EmbeddedBus,
  type TargetFunction,
} from '@murmur/embedded-bus';
import type { BusPort, Logger, LogTarget, PublishEntry, ServiceDeclaration } from '@murmur/ports';
import { consoleLogger } from './console-logger.js';
import { eventLogTarget, pruneEventLog } from './event-log.js';
import type { MurmurHome } from './home.js';
import { installPlan, planServices } from './service-plan.js';

export interface RuntimeOptions {
  home: MurmurHome;
  services: readonly ServiceDeclaration[];
  log?: Logger;
  dispatcher?: Omit<DispatcherOptions, 'functions' | 'onDeadLetter' | 'onWarning'>;
  synchronous?: 'NORMAL' | 'FULL';
  /** How often archive retention, log retention and unreferenced events are pruned. */
  pruneIntervalMs?: number;
}

export class ServicePublishDeniedError extends Error {
  override readonly name = 'AccessDeniedException';
}

/**
 * The embedded runtime: one bus for this home, every declared archive and rule on it, and a
 * dispatcher delivering to the declared handlers in this process.
 */
export class EmbeddedRuntime {
  readonly bus: EmbeddedBus;
  readonly dispatcher: Dispatcher;
  readonly log: Logger;
  private readonly closers: (() => void)[] = [];
  private pruneTimer: NodeJS.Timeout | undefined;

  private constructor(private readonly options: RuntimeOptions) {
    this.log = options.log ?? consoleLogger();
    this.bus = new EmbeddedBus({
      path: options.home.busDb,
      ...(options.synchronous ? { synchronous: options.synchronous } : {}),
    });
    const functions = this.wire();
    this.dispatcher = new Dispatcher(this.bus, {
      ...options.dispatcher,
      functions,
      onDeadLetter: (notice: DeadLetterNotice) =>
        this.log.warn('delivery failed for good; event is in the DLQ', { ...notice }),
      onWarning: (message) => this.log.warn(message),
    });
  }

  static start(options: RuntimeOptions): EmbeddedRuntime {
    const runtime = new EmbeddedRuntime(options);
    try {
      runtime.dispatcher.start();
    } catch (error) {
      runtime.closeResources();
      throw error;
    }
    runtime.prune();
    runtime.pruneTimer = setInterval(() => runtime.prune(), options.pruneIntervalMs ?? 10 * 60_000);
    runtime.pruneTimer.unref();
    return runtime;
  }

  /** The bus as one service may use it: only its own source and declared detail-types. */
  busFor(service: ServiceDeclaration): BusPort {
    return {
      publish: async (entries: PublishEntry | PublishEntry[]) => {
        for (const entry of Array.isArray(entries) ? entries : [entries]) {
          if (entry.source !== service.source || !service.publishes.includes(entry.detailType)) {
            throw new ServicePublishDeniedError(
              `service ${service.name} may publish only ${service.publishes.join(', ') || 'nothing'} ` +
                `from ${service.source}, not ${entry.detailType} from ${entry.source}`,
            );
          }
        }
        return this.bus.publish(entries);
      },
    };
  }

  async stop(): Promise<void> {
    await this.dispatcher.stop();
    this.closeResources();
  }

  private closeResources(): void {
    clearInterval(this.pruneTimer);
    for (const close of this.closers) close();
    this.bus.close();
  }

  /** Puts every declared archive and rule on the bus; returns the in-process targets. */
  private wire(): Map<string, TargetFunction> {
    const plan = planServices(this.options.services);
    for (const rule of installPlan(this.bus, plan)) {
      this.log.info('removed a rule its service no longer declares', { rule });
    }
    const functions = new Map<string, TargetFunction>();
    for (const fn of plan.functions) {
      if (fn.kind === 'log') {
        const logTarget = eventLogTarget(this.bus, this.options.home.logs, fn.target);
        this.closers.push(logTarget.close);
        functions.set(fn.id, logTarget.deliver);
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
        log: log.child({ eventId: ctx.event.id, rule: ctx.ruleName }),
        ruleName: ctx.ruleName,
        event: ctx.event,
        attempt: ctx.attempt,
      });
  }

  private prune(): void {
    try {
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
