import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { BlobNotFoundError } from '@murmur/ports';
import { FileBlobStore, InvalidBlobKeyError } from '../src/file-blob-store.js';

const bytes = (text: string) => new Uint8Array(Buffer.from(text));

describe('FileBlobStore', () => {
  let dir: string;
  let store: FileBlobStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'murmur-blobs-'));
    store = new FileBlobStore(join(dir, 'media'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores bytes as a plain file under the key, and reads them back', async () => {
    await store.put('media/2024/05/01/123/0-3_9.jpg', bytes('jpeg bytes'), 'image/jpeg');
    expect(Buffer.from(await store.get('media/2024/05/01/123/0-3_9.jpg')).toString()).toBe('jpeg bytes');
    expect(readFileSync(join(dir, 'media', 'media', '2024', '05', '01', '123', '0-3_9.jpg'), 'utf8')).toBe(
      'jpeg bytes',
    );
    expect(store.bucket).toBe('murmur-media');
    expect(new FileBlobStore(dir, 'other').bucket).toBe('other');
  });

  it('keeps the content type in a sidecar, and replaces both on a second put', async () => {
    await store.put('a/pic', bytes('v1'), 'image/png');
    expect(await store.contentTypeOf('a/pic')).toBe('image/png');
    expect(readdirSync(join(dir, 'media', 'a')).sort()).toEqual(['.pic.meta.json', 'pic']);

    await store.put('a/pic', bytes('v2'), 'image/webp');
    expect(Buffer.from(await store.get('a/pic')).toString()).toBe('v2');
    expect(await store.contentTypeOf('a/pic')).toBe('image/webp');
    // No temp files left behind.
    expect(readdirSync(join(dir, 'media', 'a')).sort()).toEqual(['.pic.meta.json', 'pic']);
  });

  it('answers octet-stream for a file dropped in by hand', async () => {
    await store.put('a/first', bytes('x'), 'image/gif');
    writeFileSync(join(dir, 'media', 'a', 'by-hand.jpg'), 'y');
    expect(await store.contentTypeOf('a/by-hand.jpg')).toBe('application/octet-stream');
  });

  it('rejects with BlobNotFoundError for a missing key, a prefix, or a path through an object', async () => {
    await store.put('a/b/c', bytes('x'), 'text/plain');
    for (const key of ['nothing', 'a/b', 'a/b/c/d']) {
      const failure = store.get(key);
      await expect(failure).rejects.toThrow(BlobNotFoundError);
      await expect(failure).rejects.toMatchObject({ bucket: 'murmur-media', key });
    }
    await expect(store.contentTypeOf('a/b')).rejects.toThrow(BlobNotFoundError);
  });

  it('refuses a key that is both an object and a prefix, with a clear error', async () => {
    await store.put('a/b', bytes('x'), 'text/plain');
    await expect(store.put('a/b/c', bytes('y'), 'text/plain')).rejects.toThrow(/a parent of it is an object/);
    await store.put('p/q/r', bytes('x'), 'text/plain');
    await expect(store.put('p/q', bytes('y'), 'text/plain')).rejects.toThrow(/prefix of other objects/);
  });

  it.each([
    ['', /empty/],
    ['../escape.jpg', /"\.\."/],
    ['a/../../escape.jpg', /"\.\."/],
    ['a/./b', /"\."/],
    ['/etc/passwd', /absolute/],
    ['C:/Windows/x', /absolute/],
    ['a\\..\\..\\b', /backslash/],
    ['a//b', /empty segments/],
    ['a/b/', /empty segments/],
    ['a/.hidden', /reserved/],
    ['a/b\u0000c', /control/],
    ['a/b:stream', /":"/],
  ])('rejects the unsafe key %j before touching the disk', async (key, reason) => {
    for (const attempt of [() => store.put(key, bytes('x'), 'text/plain'), () => store.get(key)]) {
      const failure = attempt();
      await expect(failure).rejects.toThrow(InvalidBlobKeyError);
      await expect(failure).rejects.toThrow(reason);
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('rejects a key longer than S3 allows', async () => {
    await expect(store.put(`${'k/'.repeat(511)}kkk`, bytes('x'), 'text/plain')).rejects.toThrow(
      /longer than 1024/,
    );
    await store.put(`${'k/'.repeat(511)}kk`, bytes('x'), 'text/plain');
    expect(Buffer.from(await store.get(`${'k/'.repeat(511)}kk`)).toString()).toBe('x');
  });

  it('rejects a segment too long for a file name', async () => {
    await expect(store.put('a/'.concat('n'.repeat(241)), bytes('x'), 'text/plain')).rejects.toThrow(
      /longer than 240 bytes/,
    );
    await store.put('a/'.concat('n'.repeat(240)), bytes('x'), 'text/plain');
  });

  it('never lets a reader see half an object while a writer replaces it', async () => {
    const size = 1024 * 1024;
    await store.put('race/blob', new Uint8Array(size).fill(1), 'application/octet-stream');
    let writing = true;
    const writer = (async () => {
      for (let n = 2; n < 22; n++) await store.put('race/blob', new Uint8Array(size).fill(n), 'x/y');
      writing = false;
    })();
    let reads = 0;
    const reader = async () => {
      while (writing) {
        const read = await store.get('race/blob');
        reads++;
        // Whole and uniform: one put's complete content, never a truncated file or a mix.
        expect(read.length).toBe(size);
        expect(read[0]).toBe(read[size - 1]);
      }
    };
    await Promise.all([writer, reader(), reader()]);
    expect(reads).toBeGreaterThan(0);
    expect((await store.get('race/blob'))[0]).toBe(21);
    expect(readdirSync(join(dir, 'media', 'race')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
