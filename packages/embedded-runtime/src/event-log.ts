import { closeSync, mkdirSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { EmbeddedBus, TargetFunction } from '@murmur/embedded-bus';
import type { LogTarget } from '@murmur/ports';

export const EVENT_COUNTER = 'events.byDetailType';

/**
 * The local stand-in for a CloudWatch log group target: one NDJSON file per UTC day under
 * `<home>/logs/<logName>/`, and a counter per detail-type (the metric filters on AWS).
 */
export function eventLogTarget(
  bus: EmbeddedBus,
  logsRoot: string,
  target: LogTarget,
): { deliver: TargetFunction; close: () => void } {
  const dir = join(logsRoot, target.logName);
  mkdirSync(dir, { recursive: true });
  // One open descriptor for the current day: an open/close per event would cap the bus.
  let open: { day: string; fd: number } | undefined;
  const close = () => {
    if (open) closeSync(open.fd);
    open = undefined;
  };
  const deliver: TargetFunction = async (input, ctx) => {
    const day = ctx.event.time.slice(0, 10);
    let current = open;
    if (current?.day !== day) {
      close();
      current = { day, fd: openSync(join(dir, `${day}.ndjson`), 'a') };
      open = current;
    }
    writeSync(current.fd, `${input === ctx.event ? ctx.eventJson : JSON.stringify(input)}\n`);
    // Counted with the delivery's completion: once per event, and no write transaction of its own.
    if (target.countByDetailType)
      ctx.onCommit(() => bus.incrementCounter(EVENT_COUNTER, ctx.event['detail-type']));
  };
  return { deliver, close };
}

/** Deletes day files older than the log's retention. */
export function pruneEventLog(logsRoot: string, target: LogTarget, now = new Date()): string[] {
  const dir = join(logsRoot, target.logName);
  const cutoff = new Date(now.getTime() - target.retentionDays * 86_400_000).toISOString().slice(0, 10);
  const removed: string[] = [];
  let files: string[] = [];
  try {
    files = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const file of files) {
    const day = file.replace(/\.ndjson$/, '');
    if (/^\d{4}-\d{2}-\d{2}$/.test(day) && day < cutoff) {
      rmSync(join(dir, file));
      removed.push(file);
    }
  }
  return removed;
}
