// Waiting for SQLite's write lock without stalling the thread. SQLite's own busy handler
// sleeps (1, 2, 5, 10 ms...) inside the call, and a thread that answers HTTP requests must not
// sleep: it tries once, and on SQLITE_BUSY lets its event loop run before trying again.
import type { Db } from './database.js';

/** How long a write waits for the lock in all (also every connection's busy_timeout). */
export const LOCK_WAIT_MS = 5_000;

export function isBusyError(error: unknown): boolean {
  return String((error as { code?: unknown } | null)?.code ?? '').startsWith('SQLITE_BUSY');
}

/** Runs `write` with no busy wait: SQLITE_BUSY at once when another connection holds the lock. */
export function withoutLockWait<T>(db: Db, write: () => T): T {
  db.pragma('busy_timeout = 0');
  try {
    return write();
  } finally {
    db.pragma(`busy_timeout = ${LOCK_WAIT_MS}`);
  }
}

/** The retries of one write that found the lock taken. */
export class LockRetries {
  private waited: { sinceMs: number; tries: number } | undefined;

  /** Schedules `retry`, or returns false once the write has waited LOCK_WAIT_MS (it fails). */
  schedule(retry: () => void): boolean {
    const now = Date.now();
    this.waited ??= { sinceMs: now, tries: 0 };
    const waited = this.waited;
    if (now - waited.sinceMs >= LOCK_WAIT_MS) {
      this.waited = undefined;
      return false;
    }
    // Locks are held for well under a millisecond: the first retry comes after the I/O of this
    // loop turn, later ones every millisecond rather than spinning.
    if (waited.tries++ === 0) setImmediate(retry);
    else setTimeout(retry, 1);
    return true;
  }

  /** The write got through (or failed otherwise): the next one starts a fresh wait. */
  reset(): void {
    this.waited = undefined;
  }
}
