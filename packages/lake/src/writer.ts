// The local delivery stream: records appended to NDJSON files under the lake root, with the keys
// Firehose writes on S3. Appends are group-committed: every record handed over in one turn of the
// event loop goes out in one write per partition file, off the caller's path, and each caller's
// promise settles once its line is on disk. A crash leaves at most one truncated last line, and
// only for a record whose promise never resolved (the bus delivers it again).
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { type LakeLayout, recordPrefix } from './layout.js';
import { openRawFiles, rawFileName } from './raw-files.js';

export interface LakeWriterOptions {
  /** The lake root: the bucket's place on disk, e.g. `MURMUR_HOME/lake`. */
  root: string;
  layout: LakeLayout;
  /** A file takes appends for this long, then the next one starts (Firehose's buffer interval). @default 60 s */
  rotateAfterMs?: number;
  /** ... or until it holds this much. @default 64 MiB */
  rotateBytes?: number;
  /** Pending bytes that make a write happen now rather than at the end of this turn. @default 4 MiB */
  flushBytes?: number;
  now?: () => number;
}

interface Pending {
  lines: string[];
  bytes: number;
  waiters: { resolve: () => void; reject: (error: unknown) => void }[];
}

interface OpenFile {
  fd: number;
  path: string;
  openedAtMs: number;
  bytes: number;
}

export interface LakeWriterStats {
  records: number;
  writes: number;
  bytes: number;
  filesOpened: number;
}

export class LakeWriter {
  readonly root: string;
  private readonly layout: LakeLayout;
  readonly rotateAfterMs: number;
  private readonly rotateBytes: number;
  private readonly flushBytes: number;
  private readonly now: () => number;
  private pending = new Map<string, Pending>();
  private pendingBytes = 0;
  private flushScheduled = false;
  private readonly files = new Map<string, OpenFile>();
  private closed = false;
  readonly stats: LakeWriterStats = { records: 0, writes: 0, bytes: 0, filesOpened: 0 };

  constructor(options: LakeWriterOptions) {
    this.root = options.root;
    this.layout = options.layout;
    this.rotateAfterMs = options.rotateAfterMs ?? 60_000;
    this.rotateBytes = options.rotateBytes ?? 64 * 1024 * 1024;
    this.flushBytes = options.flushBytes ?? 4 * 1024 * 1024;
    this.now = options.now ?? Date.now;
  }

  /**
   * Appends one record (its JSON text, one line) to its partition. Rejects with a PartitionError
   * when the record has no valid partition values: retrying cannot help.
   */
  append(record: Record<string, unknown>, json: string): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the lake writer is closed'));
    let prefix: string;
    try {
      prefix = recordPrefix(this.layout, record);
    } catch (error) {
      return Promise.reject(error);
    }
    // One line per record, whatever whitespace the JSON came with.
    const line = `${json.includes('\n') ? JSON.stringify(JSON.parse(json)) : json}\n`;
    return new Promise<void>((resolve, reject) => {
      let batch = this.pending.get(prefix);
      if (!batch) {
        batch = { lines: [], bytes: 0, waiters: [] };
        this.pending.set(prefix, batch);
      }
      const bytes = Buffer.byteLength(line);
      batch.lines.push(line);
      batch.bytes += bytes;
      batch.waiters.push({ resolve, reject });
      this.pendingBytes += bytes;
      if (this.pendingBytes >= this.flushBytes) this.flush();
      else this.scheduleFlush();
    });
  }

  /** Writes everything pending now. */
  flush(): void {
    const batches = this.pending;
    this.pending = new Map();
    this.pendingBytes = 0;
    for (const [prefix, batch] of batches) {
      try {
        this.write(prefix, batch);
        this.stats.records += batch.lines.length;
        for (const w of batch.waiters) w.resolve();
      } catch (error) {
        // A failed or partial write ends that file: the records go again (retries) into a new one.
        this.closeFile(prefix);
        for (const w of batch.waiters) w.reject(error);
      }
    }
    this.closeStaleFiles();
  }

  /** Writes what is pending and closes every file. Appends after this fail. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    for (const prefix of [...this.files.keys()]) this.closeFile(prefix);
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private write(prefix: string, batch: Pending): void {
    const file = this.fileFor(prefix, batch.bytes);
    const data = Buffer.from(batch.lines.join(''));
    let offset = 0;
    while (offset < data.length) offset += writeSync(file.fd, data, offset);
    file.bytes += data.length;
    this.stats.writes++;
    this.stats.bytes += data.length;
  }

  /** The open file of a partition, or a new one once the current is past its age or size. */
  private fileFor(prefix: string, bytes: number): OpenFile {
    const now = this.now();
    const current = this.files.get(prefix);
    if (
      current &&
      now - current.openedAtMs < this.rotateAfterMs &&
      (current.bytes === 0 || current.bytes + bytes <= this.rotateBytes)
    ) {
      return current;
    }
    if (current) this.closeFile(prefix);
    const dir = join(this.root, prefix);
    mkdirSync(dir, { recursive: true });
    const path = join(dir, rawFileName(now));
    const file = { fd: openSync(path, 'a'), path, openedAtMs: now, bytes: 0 };
    this.files.set(prefix, file);
    openRawFiles.add(path);
    this.stats.filesOpened++;
    return file;
  }

  private closeFile(prefix: string): void {
    const file = this.files.get(prefix);
    if (!file) return;
    this.files.delete(prefix);
    openRawFiles.delete(file.path);
    try {
      closeSync(file.fd);
    } catch {
      // already unusable; nothing more to lose
    }
  }

  /** Files past their age take no more appends: release their descriptors. */
  private closeStaleFiles(): void {
    const now = this.now();
    for (const [prefix, file] of this.files) {
      if (now - file.openedAtMs >= this.rotateAfterMs) this.closeFile(prefix);
    }
  }
}
