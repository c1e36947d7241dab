import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { isBusyError, LOCK_WAIT_MS, LockRetries, withoutLockWait } from '@murmur/embedded-bus';
import type { IdempotencyOptions, IdempotencyPort, IdempotencyStatus } from '@murmur/ports';
import Database from 'better-sqlite3';

type Row = { status: 'in-progress' | 'completed' };

/** A call waiting for the next group transaction. */
interface Pending {
  run: () => unknown;
  resolve: (value: never) => void;
  reject: (error: unknown) => void;
}

export interface SqliteIdempotencyStoreOptions {
  /** False where a WalCheckpointer in another thread folds the WAL back (see @murmur/embedded-bus). */
  autoCheckpoint?: boolean;
  /** As EmbeddedBusOptions.lockWait: `yield` keeps the thread's event loop running while another connection writes. */
  lockWait?: 'block' | 'yield';
}

/**
 * The local idempotency store: one SQLite table, claims taken in an IMMEDIATE transaction so
 * two concurrent deliveries of the same payload (even from two processes) cannot both win.
 *
 * Calls made in the same turn of the event loop share one transaction (group commit), run in
 * the order they were made: concurrent webhook deliveries arrive in separate callbacks, and a
 * transaction each made SQLite's commit the largest cost of an acknowledgement. Completions of
 * one group and claims of the next meet in the same transaction.
 */
export class SqliteIdempotencyStore implements IdempotencyPort {
  private readonly db: Database.Database;
  private readonly stmt;
  private readonly group;
  private pending: Pending[] = [];
  private flushScheduled = false;
  private readonly lockWait: 'block' | 'yield';
  private readonly lockRetries = new LockRetries();

  constructor(
    path: string,
    private readonly now: () => number = Date.now,
    options: SqliteIdempotencyStoreOptions = {},
  ) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma(`busy_timeout = ${LOCK_WAIT_MS}`);
    if (options.autoCheckpoint === false) this.db.pragma('wal_autocheckpoint = 0');
    this.lockWait = options.lockWait ?? 'block';
    this.db.exec(`CREATE TABLE IF NOT EXISTS idempotency (
      key TEXT PRIMARY KEY,
      status TEXT NOT NULL CHECK (status IN ('in-progress', 'completed')),
      expires_ms INTEGER NOT NULL
    ) WITHOUT ROWID`);
    this.stmt = {
      status: this.db.prepare<[string], Row>(`SELECT status FROM idempotency WHERE key = ?`),
      // One statement for the usual case: no record, or an expired one, is claimed (a row comes
      // back); a live record is left alone (no row) and its status read after.
      claim: this.db.prepare<[string, number, number], { key: string }>(
        `INSERT INTO idempotency (key, status, expires_ms) VALUES (?, 'in-progress', ?)
         ON CONFLICT (key) DO UPDATE SET status = 'in-progress', expires_ms = excluded.expires_ms
           WHERE idempotency.expires_ms <= ?
         RETURNING key`,
      ),
      complete: this.db.prepare(`UPDATE idempotency SET status = 'completed', expires_ms = ? WHERE key = ?`),
      release: this.db.prepare(`DELETE FROM idempotency WHERE key = ? AND status = 'in-progress'`),
      expire: this.db.prepare(`DELETE FROM idempotency WHERE expires_ms <= ?`),
    };
    this.group = this.db.transaction((calls: readonly Pending[]) => calls.map((call) => call.run()));
  }

  begin(keys: readonly string[], options: IdempotencyOptions): Promise<IdempotencyStatus[]> {
    return this.enqueue(() => {
      const now = this.now();
      const expires = now + options.inProgressSeconds * 1000;
      return keys.map((key): IdempotencyStatus => {
        if (this.stmt.claim.get(key, expires, now)) return 'new';
        return this.stmt.status.get(key)!.status;
      });
    });
  }

  complete(keys: readonly string[], options: IdempotencyOptions): Promise<void> {
    return this.enqueue(() => {
      const expires = this.now() + options.ttlSeconds * 1000;
      for (const key of keys) this.stmt.complete.run(expires, key);
    });
  }

  release(keys: readonly string[]): Promise<void> {
    return this.enqueue(() => {
      for (const key of keys) this.stmt.release.run(key);
    });
  }

  /** Drops expired records; returns how many. */
  prune(): number {
    this.flush('block');
    return this.stmt.expire.run(this.now()).changes;
  }

  close(): void {
    this.flush('block');
    if (this.db.open) this.db.close();
  }

  private enqueue<T>(run: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ run, resolve: resolve as (value: never) => void, reject });
      // setImmediate, not a microtask: deliveries arrive in separate I/O callbacks, and the
      // check phase runs once all the callbacks of this loop turn have queued their calls.
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush(this.lockWait));
      }
    });
  }

  private flush(lockWait: 'block' | 'yield'): void {
    const calls = this.pending;
    this.pending = [];
    this.flushScheduled = false;
    if (calls.length === 0) return;
    if (!this.db.open) {
      for (const call of calls) call.reject(new Error('the idempotency store is closed'));
      return;
    }
    let results: unknown[];
    try {
      results =
        lockWait === 'yield'
          ? withoutLockWait(this.db, () => this.group.immediate(calls))
          : this.group.immediate(calls);
    } catch (error) {
      if (lockWait === 'yield' && isBusyError(error) && this.retryLater(calls)) return;
      this.lockRetries.reset();
      this.failGroup(calls, error);
      return;
    }
    this.lockRetries.reset();
    calls.forEach((call, i) => {
      call.resolve(results[i] as never);
    });
  }

  /** Puts the calls back for another try soon (calls made meanwhile join them, behind them). */
  private retryLater(calls: Pending[]): boolean {
    if (!this.lockRetries.schedule(() => this.flush('yield'))) return false;
    this.pending = calls.concat(this.pending);
    this.flushScheduled = true;
    return true;
  }

  /**
   * A storage failure fails every call. Anything else (a call's own bad input) must not fail
   * the others: each is run again in its own transaction.
   */
  private failGroup(calls: readonly Pending[], error: unknown): void {
    if (calls.length === 1 || error instanceof Database.SqliteError) {
      for (const call of calls) call.reject(error);
      return;
    }
    for (const call of calls) {
      try {
        call.resolve(this.group.immediate([call])[0] as never);
      } catch (own) {
        call.reject(own);
      }
    }
  }
}
