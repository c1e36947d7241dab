import type { EventEnvelope } from '@murmur/events';
import type { EmbeddedBus } from './bus.js';
import { ResourceNotFoundError } from './errors.js';

export interface DeadLetter {
  id: number;
  eventSeq: number;
  ruleName: string;
  targetId: string;
  attempts: number;
  error: string;
  failedAt: string;
  redrivenAt: string | null;
  envelope: EventEnvelope;
}

export function listDeadLetters(bus: EmbeddedBus, options: { includeRedriven?: boolean } = {}): DeadLetter[] {
  const rows = bus.db
    .prepare<
      [number],
      {
        id: number;
        event_seq: number;
        rule_name: string;
        target_id: string;
        attempts: number;
        error: string;
        failed_ms: number;
        redriven_ms: number | null;
        envelope: string;
      }
    >(
      `SELECT d.*, e.envelope FROM dead_letters d JOIN events e ON e.seq = d.event_seq
       WHERE ? = 1 OR d.redriven_ms IS NULL ORDER BY d.id`,
    )
    .all(options.includeRedriven ? 1 : 0);
  return rows.map((r) => ({
    id: r.id,
    eventSeq: r.event_seq,
    ruleName: r.rule_name,
    targetId: r.target_id,
    attempts: r.attempts,
    error: r.error,
    failedAt: new Date(r.failed_ms).toISOString(),
    redrivenAt: r.redriven_ms === null ? null : new Date(r.redriven_ms).toISOString(),
    envelope: JSON.parse(r.envelope),
  }));
}

/** Re-delivers dead letters (all open ones, or the given ids) with a fresh retry budget. */
export function redriveDeadLetters(bus: EmbeddedBus, ids?: readonly number[]): number {
  const now = bus.now();
  const tx = bus.db.transaction(() => {
    const open = bus.db
      .prepare<[], { id: number; event_seq: number; rule_name: string; target_id: string }>(
        `SELECT id, event_seq, rule_name, target_id FROM dead_letters WHERE redriven_ms IS NULL ORDER BY id`,
      )
      .all()
      .filter((r) => !ids || ids.includes(r.id));
    if (ids) {
      const found = new Set(open.map((r) => r.id));
      const missing = ids.filter((id) => !found.has(id));
      if (missing.length > 0) {
        throw new ResourceNotFoundError(`no open dead letter with id ${missing.join(', ')}`);
      }
    }
    const mark = bus.db.prepare(`UPDATE dead_letters SET redriven_ms = ? WHERE id = ?`);
    for (const row of open) {
      bus.enqueueDelivery(row.event_seq, row.rule_name, row.target_id, now);
      mark.run(now, row.id);
    }
    return open.length;
  });
  const count = tx.immediate();
  if (count > 0) bus.notify();
  return count;
}
