// The raw record files: NDJSON, one event envelope per line, under the stream's partitions. Their
// names say which process opened them and when, so files never collide between processes, and
// anyone can tell whether a file may still grow.
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** `part-<opened at, ms since epoch>-<pid>-<random>.ndjson`. */
const RAW_FILE = /^part-(\d{13})-(\d+)-([0-9a-f]{8})\.ndjson$/;

/** Appends to one file stop this long after it was opened; a little slack covers a write in flight. */
export const SEAL_GRACE_MS = 10_000;

export function rawFileName(openedAtMs: number, pid = process.pid): string {
  return `part-${String(openedAtMs).padStart(13, '0')}-${pid}-${randomBytes(4).toString('hex')}.ndjson`;
}

export interface RawFile {
  /** Absolute path. */
  path: string;
  /** Relative to the lake root, with `/` (the S3 key). */
  key: string;
  /** Hive partition values from the path, e.g. `{ event_type: 'MESSAGE_ANALYSED', event_date: '2026-03-14' }`. */
  partitions: Record<string, string>;
  openedAtMs: number;
  pid: number;
  size: number;
}

/** Every raw file under `root/<prefix>`, sorted by key. A missing folder is an empty lake. */
export function listRawFiles(root: string, prefix: string): RawFile[] {
  const base = join(root, prefix);
  let names: string[];
  try {
    names = readdirSync(base, { recursive: true, encoding: 'utf8' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const files: RawFile[] = [];
  for (const name of names) {
    const parts = name.split(sep);
    const match = RAW_FILE.exec(parts.at(-1)!);
    if (!match) continue;
    const path = join(base, name);
    let size: number;
    try {
      size = statSync(path).size;
    } catch {
      continue; // removed since the listing
    }
    const partitions: Record<string, string> = {};
    for (const part of parts.slice(0, -1)) {
      const eq = part.indexOf('=');
      if (eq > 0) partitions[part.slice(0, eq)] = part.slice(eq + 1);
    }
    files.push({
      path,
      key: relative(root, path).split(sep).join('/'),
      partitions,
      openedAtMs: Number(match[1]),
      pid: Number(match[2]),
      size,
    });
  }
  return files.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Raw files this process's writers have open: the one case where we know rather than infer. */
export const openRawFiles = new Set<string>();

export function isProcessAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface SealOptions {
  /** How long a writer appends to one file (LakeWriter's `rotateAfterMs`). */
  rotateAfterMs: number;
  now?: number;
  isAlive?: (pid: number) => boolean;
}

/** A sealed file never grows again: its writer closed it or is gone, or it is past its age. */
export function isSealed(file: RawFile, options: SealOptions): boolean {
  if (file.pid === process.pid) return !openRawFiles.has(file.path);
  const now = options.now ?? Date.now();
  if (now - file.openedAtMs > options.rotateAfterMs + SEAL_GRACE_MS) return true;
  return !(options.isAlive ?? isProcessAlive)(file.pid);
}

/** True when the file does not end with a newline: a crash mid-write (or, in a live file, a write in flight). */
export function endsMidLine(file: RawFile): boolean {
  if (file.size === 0) return false;
  const fd = openSync(file.path, 'r');
  try {
    const byte = Buffer.alloc(1);
    readSync(fd, byte, 0, 1, file.size - 1);
    return byte[0] !== 0x0a;
  } finally {
    closeSync(fd);
  }
}
