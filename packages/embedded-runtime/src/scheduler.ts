import type { Logger, ScheduleContext, ScheduleDeclaration, ScheduleHandler } from '@murmur/ports';

export interface ScheduledJob {
  schedule: ScheduleDeclaration;
  handler: ScheduleHandler;
  context: Omit<ScheduleContext, 'now'>;
}

/**
 * The local stand-in for EventBridge Scheduler: each job runs once at start, then every
 * `everySeconds` after the previous run finished, so runs never overlap. A failing run is
 * logged, never fatal.
 */
export class Scheduler {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly jobs: readonly ScheduledJob[],
    private readonly log: Logger,
  ) {}

  start(): void {
    for (const job of this.jobs) this.run(job);
  }

  private run(job: ScheduledJob): void {
    if (this.stopped) return;
    const run = job
      .handler({ ...job.context, now: new Date() })
      .catch((error: unknown) => {
        this.log.error('scheduled run failed; the next one runs as planned', {
          schedule: job.schedule.name,
          error: error instanceof Error ? error.message : String(error),
        });
      })
      .finally(() => {
        this.running.delete(run);
        if (this.stopped) return;
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.run(job);
        }, job.schedule.everySeconds * 1000);
        timer.unref();
        this.timers.add(timer);
      });
    this.running.add(run);
  }

  /** Stops timers and waits for runs in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.all(this.running);
  }
}
