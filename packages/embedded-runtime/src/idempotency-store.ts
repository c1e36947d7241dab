import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { IdempotencyOptions, IdempotencyPort, IdempotencyStatus } from '@murmur/ports';
import Database from 'better-sqlite3';

/**
 * The local idempotency store: one SQLite table, claims taken in one IMMEDIATE transaction so
 * two concurrent deliveries of the same payload (even from two processes) cannot both win.
 */
export class SqliteIdempotencyStore implements IdempotencyPort {
  private readonly db: Database.Database;
  private readonly stmt;

  constructor(
    path: string,
    private readonly now: () => number = Date.now,
  ) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`CREATE TABLE IF NOT EXISTS idempotency (
      key TEXT PRIMARY KEY,
      status TEXT NOT NULL CHECK (status IN ('in-progress', 'completed')),
      expires_ms INTEGER NOT NULL
    ) WITHOUT ROWID`);
    this.stmt = {
      get: this.db.prepare<[string], { status: 'in-progress' | 'completed'; expires_ms: number }>(
        `SELECT status, expires_ms FROM idempotency WHERE key = ?`,
      ),
      claim: this.db.prepare(
        `INSERT OR REPLACE INTO idempotency (key, status, expires_ms) VALUES (?, 'in-progress', ?)`,
      ),
      complete: this.db.prepare(`UPDATE idempotency SET status = 'completed', expires_ms = ? WHERE key = ?`),
      release: this.db.prepare(`DELETE FROM idempotency WHERE key = ? AND status = 'in-progress'`),
      expire: this.db.prepare(`DELETE FROM idempotency WHERE expires_ms <= ?`),
    };
  }

  async begin(keys: readonly string[], options: IdempotencyOptions): Promise<IdempotencyStatus[]> {
    const now = this.now();
    const tx = this.db.transaction(() =>
      keys.map((key): IdempotencyStatus => {
        const row = this.stmt.get.get(key);
        if (row && row.expires_ms > now) return row.status;
        this.stmt.claim.run(key, now + options.inProgressSeconds * 1000);
        return 'new';
      }),
    );
    return tx.immediate();
  }

  async complete(keys: readonly string[], options: IdempotencyOptions): Promise<void> {
    const expires = this.now() + options.ttlSeconds * 1000;
    this.db.transaction(() => {
      for (const key of keys) this.stmt.complete.run(expires, key);
    })();
  }

  async release(keys: readonly string[]): Promise<void> {
    this.db.transaction(() => {
      for (const key of keys) this.stmt.release.run(key);
    })();
  }

  /** Drops expired records; returns how many. */
  prune(): number {
    return this.stmt.expire.run(this.now()).changes;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
