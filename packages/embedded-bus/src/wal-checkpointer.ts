import Database from 'better-sqlite3';

export interface WalCheckpointerOptions {
  /** How often to fold the WALs back (ms). */
  intervalMs?: number;
  /**
   * Once a WAL holds this many frames (pages), it is also restarted. Usually a writer rewinds
   * it first; the bus's own autocheckpoint size, 10,000 pages (about 40 MB).
   */
  restartFrames?: number;
  onError?: (error: unknown) => void;
}

interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

/**
 * Checkpoints SQLite files from this thread for connections elsewhere that commit with
 * `autoCheckpoint: false` (the HTTP worker's, whose commits are on the acknowledgement path).
 *
 * The copying is a passive checkpoint, which never holds a writer up. But only a writer that
 * starts while the whole WAL is copied back rewinds it, and under a steady load a writer may
 * commit during every pass: so once the WAL is long, a RESTART checkpoint holds the writers
 * (for milliseconds: the passive pass did the copying) so the next one rewinds. Otherwise the
 * WAL file could grow as long as the load lasts.
 *
 * Nothing here waits for a lock: a checkpoint that finds a writer busy is tried again next
 * round, rather than stall this thread (it runs the dispatcher too) or lose the race to a
 * writer that retries every millisecond.
 */
export class WalCheckpointer {
  private readonly dbs: Database.Database[];
  private readonly timer: NodeJS.Timeout;
  private readonly restartFrames: number;

  constructor(
    paths: readonly string[],
    private readonly options: WalCheckpointerOptions = {},
  ) {
    this.restartFrames = options.restartFrames ?? 10_000;
    this.dbs = paths.map((path) => new Database(path, { fileMustExist: true, timeout: 0 }));
    this.timer = setInterval(() => this.checkpoint(), options.intervalMs ?? 250);
    this.timer.unref();
  }

  /** One round over every file. */
  checkpoint(): void {
    for (const db of this.dbs) {
      try {
        const [copied] = db.pragma('wal_checkpoint(PASSIVE)') as CheckpointResult[];
        if (copied!.log >= this.restartFrames) db.pragma('wal_checkpoint(RESTART)');
      } catch (error) {
        this.options.onError?.(error);
      }
    }
  }

  close(): void {
    clearInterval(this.timer);
    for (const db of this.dbs) if (db.open) db.close();
  }
}
