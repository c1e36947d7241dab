import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CheckpointPort } from '@murmur/ports';
import Database from 'better-sqlite3';

/** Checkpoints in the home's state database (its own table, beside the idempotency records). */
export class SqliteCheckpointStore implements CheckpointPort {
  private readonly db: Database.Database;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(
      `CREATE TABLE IF NOT EXISTS checkpoints (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID`,
    );
  }

  async get(key: string): Promise<string | undefined> {
    return this.db
      .prepare<[string], { value: string }>(`SELECT value FROM checkpoints WHERE key = ?`)
      .get(key)?.value;
  }

  async put(key: string, value: string): Promise<void> {
    this.db.prepare(`INSERT OR REPLACE INTO checkpoints (key, value) VALUES (?, ?)`).run(key, value);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
