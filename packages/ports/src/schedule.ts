import type { BusPort } from './bus.js';
import type { IdempotencyPort } from './idempotency.js';
import type { Logger } from './logger.js';

/** Small durable values a schedule keeps between runs (a polling checkpoint). Locally SQLite; DynamoDB on AWS. */
export interface CheckpointPort {
  get(key: string): Promise<string | undefined>;
  put(key: string, value: string): Promise<void>;
}

export interface ScheduleContext {
  bus: BusPort;
  log: Logger;
  idempotency: IdempotencyPort;
  checkpoints: CheckpointPort;
  now: Date;
}

/** Runs on a schedule; throwing is logged and the next run happens as planned. */
export type ScheduleHandler = (ctx: ScheduleContext) => Promise<void>;

export interface ScheduleDeclaration {
  name: string;
  description: string;
  /** EventBridge Scheduler `rate(...)` on AWS; a timer locally. Runs never overlap. */
  everySeconds: number;
  /** Key into `ServiceDeclaration.scheduleHandlers`. */
  handler: string;
}
