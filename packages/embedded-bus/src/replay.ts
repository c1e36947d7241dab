import type { EmbeddedBus } from './bus.js';
import { ResourceAlreadyExistsError, ResourceNotFoundError, ValidationError } from './errors.js';

export type ReplayState = 'STARTING' | 'RUNNING' | 'CANCELLING' | 'COMPLETED' | 'CANCELLED' | 'FAILED';

export interface StartReplayInput {
  replayName: string;
  archiveName: string;
  eventStartTime: Date;
  eventEndTime: Date;
  /** Only these rules get the replayed events (EventBridge's Destination.FilterArns). */
  ruleNames?: string[];
}

export interface ReplayStatus {
  replayName: string;
  archiveName: string;
  state: ReplayState;
  stateReason: string | null;
  eventStartTime: string;
  eventEndTime: string;
  ruleNames: string[] | null;
  /** Archived events in the window when the replay started. */
  total: number;
  replayed: number;
  eventLastReplayedTime: string | null;
  replayStartTime: string;
  replayEndTime: string | null;
}

interface ReplayRow {
  name: string;
  archive_name: string;
  start_ms: number;
  end_ms: number;
  rule_names: string | null;
  state: ReplayState;
  state_reason: string | null;
  total: number;
  replayed: number;
  last_replayed_ms: number | null;
  started_ms: number;
  ended_ms: number | null;
}

export interface ReplayOptions {
  chunkSize?: number;
  onProgress?: (status: ReplayStatus) => void;
}

const NAME = /^[.\-_A-Za-z0-9]{1,64}$/;

/**
 * Replays archived events in [start, end) to the bus, in event-time order, each with
 * `replay-name` set. Rules whose pattern excludes replays (as `{"replay-name":[{"exists":false}]}`)
 * do not see them. Resolves with the final status.
 */
export async function startReplay(
  bus: EmbeddedBus,
  input: StartReplayInput,
  options: ReplayOptions = {},
): Promise<ReplayStatus> {
  const startMs = input.eventStartTime.getTime();
  const endMs = input.eventEndTime.getTime();
  if (!NAME.test(input.replayName)) {
    throw new ValidationError(`replay name "${input.replayName}" must match [.\\-_A-Za-z0-9]{1,64}`);
  }
  if (Number.isNaN(startMs) || Number.isNaN(endMs))
    throw new ValidationError('start and end must be valid times');
  if (startMs >= endMs) throw new ValidationError('the replay start time must be before its end time');
  if (!bus.archiveExists(input.archiveName)) {
    throw new ResourceNotFoundError(`archive ${input.archiveName} does not exist`);
  }
  bus.refreshConfig(true);
  const filter = input.ruleNames ? new Set(input.ruleNames) : null;
  for (const name of filter ?? []) {
    if (!bus.getRule(name)) throw new ValidationError(`rule ${name} does not exist on bus ${bus.name}`);
  }
  if (readRow(bus, input.replayName)) {
    throw new ResourceAlreadyExistsError(`replay ${input.replayName} already exists`);
  }

  const total = bus.countArchived(input.archiveName, startMs, endMs);
  bus.db
    .prepare(
      `INSERT INTO replays (name, archive_name, start_ms, end_ms, rule_names, state, total, started_ms)
       VALUES (?, ?, ?, ?, ?, 'RUNNING', ?, ?)`,
    )
    .run(
      input.replayName,
      input.archiveName,
      startMs,
      endMs,
      filter ? JSON.stringify([...filter]) : null,
      total,
      bus.now(),
    );

  const chunkSize = options.chunkSize ?? 500;
  const progress = bus.db.prepare(
    `UPDATE replays SET replayed = replayed + ?, last_replayed_ms = ? WHERE name = ?`,
  );
  let cursor = { afterTimeMs: -1, afterSeq: 0 };
  try {
    for (;;) {
      const state = readRow(bus, input.replayName)?.state;
      if (state === 'CANCELLING') {
        finish(bus, input.replayName, 'CANCELLED', null);
        break;
      }
      const chunk = bus.archivedEvents(input.archiveName, { startMs, endMs, ...cursor, limit: chunkSize });
      if (chunk.length === 0) {
        finish(bus, input.replayName, 'COMPLETED', null);
        break;
      }
      bus.refreshConfig();
      const write = bus.db.transaction(() => {
        for (const stored of chunk) bus.insertReplayedEvent(stored.envelope, input.replayName, filter);
        const last = chunk[chunk.length - 1]!;
        progress.run(chunk.length, Date.parse(last.envelope.time), input.replayName);
      });
      write.immediate();
      const last = chunk[chunk.length - 1]!;
      cursor = { afterTimeMs: last.archivedTimeMs, afterSeq: last.seq };
      bus.notify();
      options.onProgress?.(describeReplay(bus, input.replayName));
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } catch (error) {
    finish(bus, input.replayName, 'FAILED', error instanceof Error ? error.message : String(error));
    throw error;
  }
  const status = describeReplay(bus, input.replayName);
  options.onProgress?.(status);
  return status;
}

/** Asks a running replay (in any process on this home) to stop after its current chunk. */
export function cancelReplay(bus: EmbeddedBus, name: string): void {
  const row = readRow(bus, name);
  if (!row) throw new ResourceNotFoundError(`replay ${name} does not exist`);
  if (row.state !== 'RUNNING' && row.state !== 'STARTING') {
    throw new ValidationError(`replay ${name} is ${row.state}; only a running replay can be cancelled`);
  }
  bus.db.prepare(`UPDATE replays SET state = 'CANCELLING' WHERE name = ?`).run(name);
}

export function describeReplay(bus: EmbeddedBus, name: string): ReplayStatus {
  const row = readRow(bus, name);
  if (!row) throw new ResourceNotFoundError(`replay ${name} does not exist`);
  return toStatus(row);
}

export function listReplays(bus: EmbeddedBus): ReplayStatus[] {
  return bus.db.prepare<[], ReplayRow>(`SELECT * FROM replays ORDER BY started_ms DESC`).all().map(toStatus);
}

function readRow(bus: EmbeddedBus, name: string): ReplayRow | undefined {
  return bus.db.prepare<[string], ReplayRow>(`SELECT * FROM replays WHERE name = ?`).get(name);
}

function finish(bus: EmbeddedBus, name: string, state: ReplayState, reason: string | null): void {
  bus.db
    .prepare(`UPDATE replays SET state = ?, state_reason = ?, ended_ms = ? WHERE name = ?`)
    .run(state, reason, bus.now(), name);
}

function toStatus(row: ReplayRow): ReplayStatus {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    replayName: row.name,
    archiveName: row.archive_name,
    state: row.state,
    stateReason: row.state_reason,
    eventStartTime: new Date(row.start_ms).toISOString(),
    eventEndTime: new Date(row.end_ms).toISOString(),
    ruleNames: row.rule_names ? JSON.parse(row.rule_names) : null,
    total: row.total,
    replayed: row.replayed,
    eventLastReplayedTime: iso(row.last_replayed_ms),
    replayStartTime: new Date(row.started_ms).toISOString(),
    replayEndTime: iso(row.ended_ms),
  };
}
