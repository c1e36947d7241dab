import { hostname } from 'node:os';
import type { Db } from './database.js';

export interface LockHolder {
  pid: number;
  host: string;
  heartbeatAt: string;
}

const STALE_MS = 15_000;

interface LockRow {
  token: string;
  pid: number;
  host: string;
  heartbeat_ms: number;
}

/**
 * One dispatcher per bus database, held by a random token and kept by a heartbeat. A holder
 * whose heartbeat is stale, or whose process on this host no longer exists, is taken over.
 */
export class DispatcherLock {
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
    readonly token: string,
  ) {}

  /** Takes the lock; returns the other live holder instead when there is one. */
  acquire(): LockHolder | null {
    const tx = this.db.transaction(() => {
      const holder = liveHolder(this.db, this.now());
      if (holder && holder.token !== this.token) return toHolder(holder);
      this.db
        .prepare(
          `INSERT OR REPLACE INTO dispatcher_lock (id, token, pid, host, heartbeat_ms) VALUES (1, ?, ?, ?, ?)`,
        )
        .run(this.token, process.pid, hostname(), this.now());
      return null;
    });
    return tx.immediate();
  }

  heartbeat(): void {
    this.db
      .prepare(`UPDATE dispatcher_lock SET heartbeat_ms = ? WHERE token = ?`)
      .run(this.now(), this.token);
  }

  release(): void {
    this.db.prepare(`DELETE FROM dispatcher_lock WHERE token = ?`).run(this.token);
  }
}

/** Who is delivering for this database, if anyone (the CLI uses it to say "no runtime is running"). */
export function currentDispatcher(db: Db, now = Date.now()): LockHolder | null {
  const row = liveHolder(db, now);
  return row ? toHolder(row) : null;
}

function liveHolder(db: Db, now: number): LockRow | undefined {
  const row = db.prepare<[], LockRow>(`SELECT token, pid, host, heartbeat_ms FROM dispatcher_lock`).get();
  if (!row) return undefined;
  const fresh = now - row.heartbeat_ms < STALE_MS;
  const alive = row.host !== hostname() || processAlive(row.pid);
  return fresh && alive ? row : undefined;
}

function toHolder(row: LockRow): LockHolder {
  return { pid: row.pid, host: row.host, heartbeatAt: new Date(row.heartbeat_ms).toISOString() };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
