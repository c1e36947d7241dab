// downloadMedia against real HTTP servers on loopback, storing into real files.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { FileBlobStore } from '@murmur/embedded-runtime';
import { pictureJpeg } from '@murmur/x-emulator';
import {
  type DownloadMediaInput,
  downloadMedia,
  isTransientMediaError,
  MediaDownloadError,
  type MediaLimits,
  mediaLimitsFromEnv,
  TRANSIENT_MEDIA_ERRORS,
} from '../../src/media/index.js';
import { GIF_1X1, png, startServer, type TestServer, WEBP_1X1 } from './support.js';

const JPEG = pictureJpeg('3_1790000000000000099', 64, 48);
const PNG = png(3, 2);
const HTML = Buffer.from('<!doctype html><html><body>Not a photo</body></html>');
const BROKEN_JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 0x41)]);

const send = (res: import('node:http').ServerResponse, body: Buffer, contentType: string, status = 200) => {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': body.length });
  res.end(body);
};
const redirect = (res: import('node:http').ServerResponse, location: string | undefined, status = 302) => {
  res.writeHead(status, location === undefined ? {} : { Location: location });
  res.end();
};

describe('downloadMedia', () => {
  let photos: TestServer; // allowed
  let mirror: TestServer; // allowed, another port
  let outsider: TestServer; // not allowed: must never see a request
  let endlessBytesWritten = 0;
  let dir: string;
  let blobs: FileBlobStore;
  let limits: MediaLimits;
  let fetched: string[];
  const countingFetch: typeof fetch = (input, init) => {
    fetched.push(String(input));
    return fetch(input, init);
  };

  beforeAll(async () => {
    outsider = await startServer((_req, res) => send(res, JPEG, 'image/jpeg'));
    mirror = await startServer((req, res) =>
      req.url === '/photo.jpg' ? send(res, JPEG, 'image/jpeg') : send(res, HTML, 'text/html', 404),
    );
    photos = await startServer((req, res) => {
      const path = req.url ?? '/';
      const hop = /^\/hop\/(\d+)$/u.exec(path);
      if (hop) {
        const left = Number(hop[1]);
        return redirect(
          res,
          left > 1 ? `/hop/${left - 1}` : '/photo.jpg',
          [301, 302, 303, 307, 308][left % 5],
        );
      }
      switch (path) {
        case '/photo.jpg':
          return send(res, JPEG, 'image/jpeg');
        case '/lying.jpg':
          return send(res, PNG, 'image/jpeg');
        case '/anim.gif':
          return send(res, GIF_1X1, 'application/octet-stream');
        case '/tiny.webp':
          return send(res, WEBP_1X1, 'image/webp');
        case '/png-chunked':
          // write() before end(): no Content-Length, the body comes chunked.
          res.writeHead(200, { 'Content-Type': 'image/png' });
          res.write(PNG.subarray(0, 20));
          res.end(PNG.subarray(20));
          return;
        case '/page.jpg':
          return send(res, HTML, 'image/jpeg');
        case '/broken.jpg':
          return send(res, BROKEN_JPEG, 'image/jpeg');
        case '/missing.jpg':
          return send(res, HTML, 'text/html', 404);
        case '/busy.jpg':
          return send(res, HTML, 'text/html', 503);
        case '/endless': {
          res.writeHead(200, { 'Content-Type': 'image/jpeg' });
          const pump = () => {
            while (!res.destroyed && res.write(JPEG)) endlessBytesWritten += JPEG.length;
            if (!res.destroyed) res.once('drain', pump);
          };
          res.write(JPEG.subarray(0, 3));
          pump();
          return;
        }
        case '/huge-declared':
          res.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': 50_000_000 });
          res.write(JPEG);
          return; // never ends: only the header may decide
        case '/slow-headers':
          return; // never answers
        case '/slow-body': {
          res.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': JPEG.length });
          let sent = 0;
          const trickle = setInterval(() => {
            if (res.destroyed || sent >= JPEG.length) return clearInterval(trickle);
            res.write(JPEG.subarray(sent, sent + 8));
            sent += 8;
          }, 40);
          return;
        }
        case '/to-mirror':
          return redirect(res, `${mirror.origin}/photo.jpg`);
        case '/to-outsider':
          return redirect(res, `${outsider.origin}/photo.jpg`, 307);
        case '/to-elsewhere':
          return redirect(res, 'https://pbs.twimg.com.evil.example/photo.jpg', 301);
        case '/to-plain-http':
          return redirect(res, 'http://pbs.twimg.com/media/x.jpg', 301);
        case '/relative':
          return redirect(res, 'photo.jpg');
        case '/loop':
          return redirect(res, '/loop');
        case '/no-location':
          return redirect(res, undefined);
        default:
          return send(res, HTML, 'text/html', 404);
      }
    });
  });
  afterAll(async () => {
    await Promise.all([photos.close(), mirror.close(), outsider.close()]);
  });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'murmur-media-'));
    blobs = new FileBlobStore(join(dir, 'media'));
    fetched = [];
    limits = {
      allowedHosts: [
        { hostname: '127.0.0.1', port: photos.port },
        { hostname: '127.0.0.1', port: mirror.port },
        { hostname: 'pbs.twimg.com', port: null },
      ],
      maxBytes: 100_000,
      timeoutMs: 2_000,
      maxRedirects: 3,
    };
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const item = (url: string, over: Partial<DownloadMediaInput> = {}): DownloadMediaInput => ({
    url,
    mediaKey: '3_1790000000000000099',
    messageId: '1790000000000000001',
    createdAt: '2024-05-01T12:00:00.000Z',
    index: 0,
    ...over,
  });
  const download = (input: DownloadMediaInput, over: Partial<MediaLimits> = {}) =>
    downloadMedia(input, { blobs, limits: { ...limits, ...over }, fetch: countingFetch });
  /** The MediaDownloadError a download fails with. */
  const failure = async (input: DownloadMediaInput, over: Partial<MediaLimits> = {}) => {
    const error = await download(input, over).then(
      () => {
        throw new Error('expected the download to fail');
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MediaDownloadError);
    return error as MediaDownloadError;
  };
  const storedFiles = () => {
    try {
      return readdirSync(join(dir, 'media'), { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile() && !e.name.startsWith('.'))
        .map((e) => e.name);
    } catch {
      return [];
    }
  };

  it('stores a JPEG under its UTC date, message and index, and says what it stored', async () => {
    const result = await download(item(`${photos.origin}/photo.jpg`));
    const key = 'media/2024/05/01/1790000000000000001/0-3_1790000000000000099.jpg';
    expect(result).toEqual({
      bucket: 'murmur-media',
      key,
      url: `${photos.origin}/photo.jpg`,
      mediaKey: '3_1790000000000000099',
      contentType: 'image/jpeg',
      bytes: JPEG.length,
      width: 64,
      height: 48,
    });
    expect(Buffer.from(await blobs.get(key)).equals(JPEG)).toBe(true);
    expect(await blobs.contentTypeOf(key)).toBe('image/jpeg');
  });

  it('dates the key in UTC with zero padding, and makes the media key safe', async () => {
    const result = await download(
      item(`${photos.origin}/photo.jpg`, {
        // 01:30 in UTC+2 on 1 March is 23:30 on 29 February (a leap year) in UTC.
        createdAt: '2024-03-01T01:30:00+02:00',
        mediaKey: '../3_17/x y',
        index: 2,
      }),
    );
    expect(result.key).toBe('media/2024/02/29/1790000000000000001/2-___3_17_x_y.jpg');
    expect(result.mediaKey).toBe('../3_17/x y');
  });

  it('writes the same key again on a retry (idempotent)', async () => {
    const first = await download(item(`${photos.origin}/photo.jpg`));
    const second = await download(item(`${photos.origin}/photo.jpg`));
    expect(second).toEqual(first);
    expect(storedFiles()).toEqual(['0-3_1790000000000000099.jpg']);
  });

  it("sniffs the type from the bytes, never the server's Content-Type", async () => {
    const lying = await download(item(`${photos.origin}/lying.jpg`));
    expect(lying).toMatchObject({ contentType: 'image/png', width: 3, height: 2 });
    expect(lying.key).toMatch(/\.png$/u);
    expect(await download(item(`${photos.origin}/anim.gif`, { index: 1 }))).toMatchObject({
      contentType: 'image/gif',
      width: 1,
      height: 1,
    });
    expect(await download(item(`${photos.origin}/tiny.webp`, { index: 2 }))).toMatchObject({
      contentType: 'image/webp',
      width: 1,
      height: 1,
    });
    expect(await download(item(`${photos.origin}/png-chunked`, { index: 3 }))).toMatchObject({
      contentType: 'image/png',
      bytes: PNG.length,
    });
  });

  it('refuses bytes that are not an image, whatever they are served as', async () => {
    const html = await failure(item(`${photos.origin}/page.jpg`));
    expect(html.name).toBe('MediaNotAnImage');
    const broken = await failure(item(`${photos.origin}/broken.jpg`));
    expect(broken.name).toBe('MediaNotAnImage');
    expect(broken.message).toMatch(/starts like image\/jpeg but has no readable size/u);
    expect(storedFiles()).toEqual([]);
  });

  it('reports HTTP failures: 404 permanent, 503 transient, both with their status', async () => {
    const missing = await failure(item(`${photos.origin}/missing.jpg`));
    expect(missing).toMatchObject({ name: 'MediaHttpError', status: 404, transient: false });
    const busy = await failure(item(`${photos.origin}/busy.jpg`));
    expect(busy).toMatchObject({ name: 'MediaUnavailable', status: 503, transient: true });
  });

  it('reports a refused connection as transient', async () => {
    const gone = await startServer(() => {});
    await gone.close();
    const error = await failure(item(`${gone.origin}/photo.jpg`), {
      allowedHosts: [{ hostname: '127.0.0.1', port: gone.port }],
    });
    expect(error).toMatchObject({ name: 'MediaUnavailable', transient: true });
    expect(error.message).toMatch(/ECONNREFUSED/u);
  });

  describe('size', () => {
    it('accepts a body of exactly the limit, with or without Content-Length', async () => {
      await download(item(`${photos.origin}/lying.jpg`), { maxBytes: PNG.length });
      await download(item(`${photos.origin}/png-chunked`), { maxBytes: PNG.length });
    });

    it('refuses one byte over, from the Content-Length or while reading', async () => {
      const declared = await failure(item(`${photos.origin}/lying.jpg`), { maxBytes: PNG.length - 1 });
      expect(declared.name).toBe('MediaTooLarge');
      expect(declared.message).toMatch(/Content-Length/u);
      const streamed = await failure(item(`${photos.origin}/png-chunked`), { maxBytes: PNG.length - 1 });
      expect(streamed.name).toBe('MediaTooLarge');
      expect(streamed.message).not.toMatch(/Content-Length/u);
      expect(storedFiles()).toEqual([]);
    });

    it('trusts a huge Content-Length without reading the body', async () => {
      const error = await failure(item(`${photos.origin}/huge-declared`));
      expect(error.name).toBe('MediaTooLarge');
      expect(error.message).toMatch(/50000000 bytes \(Content-Length\)/u);
    });

    it('stops reading an endless body soon after the limit, and drops the connection', async () => {
      endlessBytesWritten = 0;
      const started = Date.now();
      const error = await failure(item(`${photos.origin}/endless`));
      expect(error.name).toBe('MediaTooLarge');
      expect(Date.now() - started).toBeLessThan(1_500);
      await waitFor(() => photos.aborted.includes('/endless'));
      // The server wrote what the socket buffers on loopback hold (a few MB), then was cut off.
      const written = endlessBytesWritten;
      expect(written).toBeLessThan(32 * 1024 * 1024);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(endlessBytesWritten).toBe(written);
    });
  });

  describe('timeout', () => {
    it('gives up on a host that never answers', async () => {
      const started = Date.now();
      const error = await failure(item(`${photos.origin}/slow-headers`), { timeoutMs: 300 });
      expect(error).toMatchObject({ name: 'MediaTimeout', transient: true });
      expect(Date.now() - started).toBeLessThan(1_500);
    });

    it('counts the body too: a trickle that started in time still times out', async () => {
      const error = await failure(item(`${photos.origin}/slow-body`), { timeoutMs: 300 });
      expect(error.name).toBe('MediaTimeout');
      await waitFor(() => photos.aborted.includes('/slow-body'));
    });
  });

  describe('redirects', () => {
    it('follows up to the limit, re-checking each hop, and keeps the URL asked for', async () => {
      const result = await download(item(`${photos.origin}/hop/3`));
      expect(result).toMatchObject({ url: `${photos.origin}/hop/3`, contentType: 'image/jpeg' });
      expect(fetched.map((u) => new URL(u).pathname)).toEqual(['/hop/3', '/hop/2', '/hop/1', '/photo.jpg']);
      await download(item(`${photos.origin}/relative`));
    });

    it('follows a redirect to another allowed host', async () => {
      const before = mirror.hits.length;
      expect((await download(item(`${photos.origin}/to-mirror`))).bytes).toBe(JPEG.length);
      expect(mirror.hits.slice(before)).toEqual(['/photo.jpg']);
    });

    it('refuses more redirects than allowed', async () => {
      const error = await failure(item(`${photos.origin}/hop/4`));
      expect(error.name).toBe('MediaTooManyRedirects');
      expect(fetched).toHaveLength(4);
      expect((await failure(item(`${photos.origin}/loop`))).name).toBe('MediaTooManyRedirects');
      expect((await failure(item(`${photos.origin}/hop/1`), { maxRedirects: 0 })).name).toBe(
        'MediaTooManyRedirects',
      );
    });

    it('refuses a redirect off the allow list without connecting to it', async () => {
      for (const path of ['/to-outsider', '/to-elsewhere', '/to-plain-http']) {
        fetched = [];
        const error = await failure(item(`${photos.origin}${path}`));
        expect(error.name).toBe('MediaHostNotAllowed');
        expect(fetched).toHaveLength(1);
      }
      expect(outsider.hits).toEqual([]);
    });

    it('reports a redirect with no Location as an HTTP error', async () => {
      expect(await failure(item(`${photos.origin}/no-location`))).toMatchObject({
        name: 'MediaHttpError',
        status: 302,
      });
    });
  });

  describe('allow list', () => {
    it.each([
      ['a host not on the list', () => 'https://video.twimg.com/media/x.jpg'],
      ['an allowed host on another port', () => `${outsider.origin}/photo.jpg`],
      ['an allowed loopback host by another name', () => `http://localhost:${photos.port}/photo.jpg`],
      ['plain http to a non-loopback host', () => 'http://pbs.twimg.com/media/x.jpg'],
      ['https to an allowed host on a port not listed', () => 'https://pbs.twimg.com:8443/media/x.jpg'],
      ['credentials in the URL', () => 'https://user:secret@pbs.twimg.com/media/x.jpg'],
      ['a look-alike host', () => 'https://pbs.twimg.com.evil.example/media/x.jpg'],
      ['a file URL', () => 'file:///etc/passwd'],
      ['a data URL', () => `data:image/jpeg;base64,${JPEG.toString('base64')}`],
    ])('refuses %s before any connection', async (_why, url) => {
      const error = await failure(item(url()));
      expect(error).toMatchObject({ name: 'MediaHostNotAllowed', transient: false });
      expect(fetched).toEqual([]);
      expect(outsider.hits).toEqual([]);
    });

    it('allows the default hosts only over https on 443', () => {
      const defaults = mediaLimitsFromEnv({}).allowedHosts;
      expect(defaults.map((h) => h.hostname)).toEqual(['pbs.twimg.com', 'ton.twitter.com']);
    });
  });

  it.each([
    ['a url that is not a URL', { url: 'not a url' }, /url is not a URL/u],
    ['a message id that is not an X id', { messageId: '../../etc' }, /messageId: expected an X id/u],
    ["X's v1.1 date format", { createdAt: 'Wed May 01 12:00:00 +0000 2024' }, /createdAt: /u],
    ['a negative index', { index: -1 }, /index: /u],
    ['an empty media key', { mediaKey: '' }, /mediaKey: /u],
  ])('refuses %s as MediaInvalidInput', async (_why, over, reason) => {
    const error = await failure(item(`${photos.origin}/photo.jpg`, over as Partial<DownloadMediaInput>));
    expect(error.name).toBe('MediaInvalidInput');
    expect(error.message).toMatch(reason);
    expect(fetched).toEqual([]);
  });

  it('refuses input that is not an object at all', async () => {
    const error = await downloadMedia(null as never, { blobs, limits }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'MediaInvalidInput' });
  });
});

describe('transient media errors', () => {
  it('are the ones a later attempt can fix: unavailable hosts and timeouts', () => {
    expect([...TRANSIENT_MEDIA_ERRORS]).toEqual(['MediaUnavailable', 'MediaTimeout']);
    expect(isTransientMediaError('MediaTimeout')).toBe(true);
    for (const name of ['MediaHttpError', 'MediaNotAnImage', 'MediaTooLarge', 'MediaHostNotAllowed']) {
      expect(isTransientMediaError(name)).toBe(false);
    }
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
