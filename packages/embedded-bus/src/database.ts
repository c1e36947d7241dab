import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { LOCK_WAIT_MS } from './lock-wait.js';

export type Db = Database.Database;

export interface OpenOptions {
  /**
   * `NORMAL` (default) survives a crash or kill of the process: a committed WAL transaction
   * is in the OS page cache. `FULL` also survives power loss, at a throughput cost.
   */
  synchronous?: 'NORMAL' | 'FULL';
  /**
   * Whether this connection folds the WAL back into the database after its own commits
   * (default true). A connection on a latency-critical path turns it off and leaves the
   * checkpoints to a WalCheckpointer in another thread: a checkpoint of a big WAL copies
   * megabytes and syncs twice, a stall of tens of milliseconds for whoever commits.
   */
  autoCheckpoint?: boolean;
}

// Each entry migrates from version i to i+1. Never edit a shipped entry: append.
const MIGRATIONS: string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  INSERT INTO meta (key, value) VALUES ('rules_version', '0');

  -- Every event that entered the bus, replays included (same id, replay_name set).
  CREATE TABLE events (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    time_ms INTEGER NOT NULL,
    ingested_ms INTEGER NOT NULL,
    source TEXT NOT NULL,
    detail_type TEXT NOT NULL,
    replay_name TEXT,
    envelope TEXT NOT NULL
  );

  CREATE TABLE rules (
    name TEXT PRIMARY KEY,
    pattern TEXT NOT NULL,
    targets TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    owner TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'ENABLED',
    updated_ms INTEGER NOT NULL
  );

  -- One row per (event, rule, target) still to be delivered.
  CREATE TABLE deliveries (
    id INTEGER PRIMARY KEY,
    event_seq INTEGER NOT NULL REFERENCES events (seq),
    rule_name TEXT NOT NULL,
    target_id TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    created_ms INTEGER NOT NULL,
    next_ms INTEGER NOT NULL,
    in_flight INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
  );
  CREATE INDEX deliveries_due ON deliveries (in_flight, next_ms);

  CREATE TABLE dead_letters (
    id INTEGER PRIMARY KEY,
    event_seq INTEGER NOT NULL REFERENCES events (seq),
    rule_name TEXT NOT NULL,
    target_id TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    error TEXT NOT NULL,
    failed_ms INTEGER NOT NULL,
    redriven_ms INTEGER
  );
  CREATE INDEX dead_letters_open ON dead_letters (redriven_ms);
  CREATE INDEX dead_letters_event ON dead_letters (event_seq);

  CREATE TABLE archives (
    name TEXT PRIMARY KEY,
    pattern TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    retention_days INTEGER NOT NULL,
    created_ms INTEGER NOT NULL
  );
  CREATE TABLE archive_events (
    archive_name TEXT NOT NULL,
    event_seq INTEGER NOT NULL REFERENCES events (seq),
    time_ms INTEGER NOT NULL,
    size_bytes INTEGER NOT NULL,
    -- One B-tree serves replay windows and retention (by time) and membership (seq is unique).
    PRIMARY KEY (archive_name, time_ms, event_seq)
  ) WITHOUT ROWID;

  CREATE TABLE replays (
    name TEXT PRIMARY KEY,
    archive_name TEXT NOT NULL,
    start_ms INTEGER NOT NULL,
    end_ms INTEGER NOT NULL,
    rule_names TEXT,
    state TEXT NOT NULL,
    state_reason TEXT,
    total INTEGER NOT NULL DEFAULT 0,
    replayed INTEGER NOT NULL DEFAULT 0,
    last_replayed_ms INTEGER,
    started_ms INTEGER NOT NULL,
    ended_ms INTEGER
  );

  CREATE TABLE counters (
    name TEXT NOT NULL,
    dimension TEXT NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (name, dimension)
  ) WITHOUT ROWID;

  -- Who is dispatching for this home: one runtime at a time.
  CREATE TABLE dispatcher_lock (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    token TEXT NOT NULL,
    pid INTEGER NOT NULL,
    host TEXT NOT NULL,
    heartbeat_ms INTEGER NOT NULL
  );
  `,
];

export function openDatabase(path: string, options: OpenOptions = {}): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
  db.pragma(`busy_timeout = ${LOCK_WAIT_MS}`);
  // Hot B-tree pages are rewritten by every commit; checkpointing less often copies each once
  // per checkpoint instead of many times (the WAL grows to ~40 MB before it is folded back).
  db.pragma(`wal_autocheckpoint = ${options.autoCheckpoint === false ? 0 : 10000}`);
  db.pragma('cache_size = -65536');
  db.pragma('foreign_keys = OFF');
  migrate(db);
  return db;
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(
      `bus database is at schema version ${current}, newer than this Murmur (${MIGRATIONS.length}); upgrade Murmur`,
    );
  }
  // IMMEDIATE: two processes opening a fresh home at once must not both migrate.
  const run = db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    for (let v = version; v < MIGRATIONS.length; v++) {
      db.exec(MIGRATIONS[v]!);
    }
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  });
  if (current < MIGRATIONS.length) run.immediate();
}
