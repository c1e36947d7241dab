import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, posix, relative, resolve, win32 } from 'node:path';
import { BlobNotFoundError, type BlobPort } from '@murmur/ports';

/** S3's own limit on key length (UTF-8 bytes). */
const MAX_KEY_BYTES = 1024;

/** File names stop at 255 bytes; the sidecar adds `.` and `.meta.json` to the name. */
const MAX_SEGMENT_BYTES = 240;

/** What `contentTypeOf` answers for a file put there by hand, with no sidecar. */
const UNKNOWN_CONTENT_TYPE = 'application/octet-stream';

export class InvalidBlobKeyError extends Error {
  override readonly name = 'InvalidBlobKeyError';
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(`invalid blob key ${JSON.stringify(key)}: ${reason}`);
  }
}

/**
 * Why `key` cannot name a file under the root, or null when it can. Keys are S3-style
 * (`media/2024/05/01/123/0-3_9.jpg`); anything that could leave the root or mean two different
 * things on two systems is refused rather than normalised (so `:` too, for Windows). Segments starting with `.` are
 * reserved for the store's own temp and metadata files (and that also rules out `.` and `..`).
 */
function keyProblem(key: string): string | null {
  if (typeof key !== 'string' || key.length === 0) return 'it is empty';
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) return `it is longer than ${MAX_KEY_BYTES} bytes`;
  if (key.includes('\\')) return 'backslashes are not allowed (use /)';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/u.test(key)) return 'control characters are not allowed';
  if (posix.isAbsolute(key) || win32.isAbsolute(key)) return 'absolute paths are not allowed';
  // Drive letters and NTFS alternate data streams (`name:stream`) on Windows.
  if (key.includes(':')) return '":" is not allowed';
  for (const segment of key.split('/')) {
    if (segment.length === 0) return 'empty segments (leading, trailing or double /) are not allowed';
    if (segment.startsWith('.')) return `segment "${segment}" starts with "." (reserved; rules out "..")`;
    if (Buffer.byteLength(segment, 'utf8') > MAX_SEGMENT_BYTES) {
      return `a segment is longer than ${MAX_SEGMENT_BYTES} bytes (a file name cannot hold it)`;
    }
  }
  return null;
}

/**
 * The blob port on the local disk (the embedded runtime's S3): `<root>/<key>` holds the bytes,
 * exactly as put, so local models, the web UI and a curious user can open them directly.
 *
 * - Atomic: bytes go to a temp file in the same directory, are fsynced, then renamed over the
 *   target, so a reader sees the old object or the new one, never half of one.
 * - Content type: kept in a sidecar `<dir>/.<name>.meta.json` (`{"contentType": ...}`), written
 *   atomically just before the bytes. `get` never needs it; `contentTypeOf` reads it.
 * - Keys: see `keyProblem`. Unlike S3, a key cannot be both an object and a prefix
 *   (`a/b` and `a/b/c`); the second put of such a pair fails.
 */
export class FileBlobStore implements BlobPort {
  readonly root: string;

  constructor(
    root: string,
    readonly bucket = 'murmur-media',
  ) {
    this.root = resolve(root);
  }

  /** The file that holds `key` (which need not exist). Throws `InvalidBlobKeyError` for unsafe keys. */
  pathOf(key: string): string {
    const problem = keyProblem(key);
    if (problem) throw new InvalidBlobKeyError(key, problem);
    const path = join(this.root, ...key.split('/'));
    // Belt and braces: whatever the rules above missed, the result must stay under the root.
    const rel = relative(this.root, path);
    if (rel.length === 0 || rel.startsWith('..') || isAbsolute(rel)) {
      throw new InvalidBlobKeyError(key, 'it resolves outside the store');
    }
    return path;
  }

  async put(key: string, body: Uint8Array, contentType: string): Promise<void> {
    const path = this.pathOf(key);
    const dir = dirname(path);
    try {
      await mkdir(dir, { recursive: true });
    } catch (error) {
      throw new Error(`cannot store ${key} in ${this.bucket}: a parent of it is an object`, { cause: error });
    }
    await writeAtomically(metaPathOf(path), Buffer.from(JSON.stringify({ contentType })));
    try {
      await writeAtomically(path, body);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EISDIR') throw error;
      throw new Error(`cannot store ${key} in ${this.bucket}: it is a prefix of other objects`, {
        cause: error,
      });
    }
    await syncDirectory(dir);
  }

  async get(key: string): Promise<Uint8Array> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      if (isMissing(error)) throw new BlobNotFoundError(this.bucket, key);
      throw error;
    }
  }

  /** The content type given when `key` was put; `application/octet-stream` for a file dropped in by hand. */
  async contentTypeOf(key: string): Promise<string> {
    const path = this.pathOf(key);
    const found = await stat(path).then(
      (s) => s.isFile(),
      (error: unknown) => (isMissing(error) ? false : Promise.reject(error)),
    );
    if (!found) throw new BlobNotFoundError(this.bucket, key);
    try {
      const meta: unknown = JSON.parse(await readFile(metaPathOf(path), 'utf8'));
      const contentType = (meta as { contentType?: unknown }).contentType;
      return typeof contentType === 'string' && contentType.length > 0 ? contentType : UNKNOWN_CONTENT_TYPE;
    } catch (error) {
      if (isMissing(error) || error instanceof SyntaxError) return UNKNOWN_CONTENT_TYPE;
      throw error;
    }
  }
}

function metaPathOf(path: string): string {
  return join(dirname(path), `.${basename(path)}.meta.json`);
}

/** Temp file in the target's directory (same file system, so rename is atomic), fsync, rename. */
async function writeAtomically(path: string, data: Uint8Array): Promise<void> {
  const temp = join(dirname(path), `.${randomBytes(8).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Makes the renames themselves durable; some platforms cannot open a directory, and need not. */
async function syncDirectory(dir: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EACCES') throw error;
  } finally {
    await handle?.close();
  }
}

/** ENOENT, or a key that names a directory (a prefix) or runs through a file: no such object. */
function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR';
}
