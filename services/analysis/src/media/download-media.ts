// DownloadMedia: fetch one photo of a message from an allowed host, check it really is an image,
// and store it where Rekognition (S3) or the local models (files) read it.
import { XIdSchema } from '@murmur/events';
import type { BlobPort } from '@murmur/ports';
import { fileTypeFromBuffer } from 'file-type';
import { imageSize } from 'image-size';
import { z } from 'zod';
import { type AllowedHost, canonicalHostname, LOOPBACK_HOSTNAMES, type MediaLimits } from './media-config.js';
import { isTransientStatus, MediaDownloadError } from './media-errors.js';

/** The state machine's input for one photo (a Map item): validated, since anything may arrive there. */
export const DownloadMediaInputSchema = z.object({
  url: z.string().min(1).max(4096),
  mediaKey: z.string().min(1).max(128),
  messageId: XIdSchema,
  /** When the message was posted; decides the key's date folders (in UTC). */
  createdAt: z.iso.datetime({ offset: true }),
  /** Position of the photo in the message's media (X allows 4). */
  index: z.number().int().min(0).max(99),
});
export type DownloadMediaInput = z.infer<typeof DownloadMediaInputSchema>;

export interface DownloadedMedia {
  /** Where it is stored: Rekognition's `S3Object.Bucket` / `Name`. */
  bucket: string;
  key: string;
  /** The URL asked for (before any redirect). */
  url: string;
  mediaKey: string;
  /** Sniffed from the bytes; one of `MEDIA_CONTENT_TYPES`. */
  contentType: MediaContentType;
  /** Size in bytes. */
  bytes: number;
  /** Pixel size as encoded (before any EXIF rotation). Present whenever a download succeeds. */
  width?: number;
  height?: number;
}

export interface DownloadMediaDeps {
  blobs: BlobPort;
  limits: MediaLimits;
  fetch?: typeof fetch;
}

/**
 * What is accepted, with the key's extension. WebP and GIF are kept for the local models (sharp
 * decodes them) but Rekognition refuses them: the workflow must check `REKOGNITION_CONTENT_TYPES`
 * before calling it. X serves photos as JPEG or PNG, so on AWS this is the rare case.
 */
export const MEDIA_CONTENT_TYPES = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
} as const;
export type MediaContentType = keyof typeof MEDIA_CONTENT_TYPES;

/** The formats Rekognition reads. */
export const REKOGNITION_CONTENT_TYPES = [
  'image/jpeg',
  'image/png',
] as const satisfies readonly MediaContentType[];

/** file-type's mime -> what is stored. An animated PNG is a PNG (decoders show its default image). */
const SNIFFED: Record<string, MediaContentType> = {
  'image/jpeg': 'image/jpeg',
  'image/png': 'image/png',
  'image/apng': 'image/png',
  'image/webp': 'image/webp',
  'image/gif': 'image/gif',
};

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const ACCEPT = Object.keys(MEDIA_CONTENT_TYPES).join(', ');

export async function downloadMedia(
  input: DownloadMediaInput,
  deps: DownloadMediaDeps,
): Promise<DownloadedMedia> {
  const parsed = DownloadMediaInputSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || '(input)'}: ${issue.message}`)
      .join('; ');
    throw new MediaDownloadError('MediaInvalidInput', `invalid DownloadMedia input: ${issues}`);
  }
  const item = parsed.data;
  let start: URL;
  try {
    start = new URL(item.url);
  } catch {
    throw new MediaDownloadError('MediaInvalidInput', `invalid DownloadMedia input: url is not a URL`);
  }
  assertAllowedMediaUrl(start, deps.limits.allowedHosts);

  const body = await fetchLimited(start, deps.limits, deps.fetch ?? fetch);
  const type = await sniffImage(body, item.url);
  const key = mediaBlobKey(item, MEDIA_CONTENT_TYPES[type.contentType]);
  await deps.blobs.put(key, body, type.contentType);
  return {
    bucket: deps.blobs.bucket,
    key,
    url: item.url,
    mediaKey: item.mediaKey,
    contentType: type.contentType,
    bytes: body.byteLength,
    width: type.width,
    height: type.height,
  };
}

/**
 * `media/YYYY/MM/DD/<messageId>/<index>-<mediaKey>.<ext>`, dated by when the message was posted,
 * in UTC: a retry, a replay or another region writes the very same key.
 */
export function mediaBlobKey(
  item: Pick<DownloadMediaInput, 'createdAt' | 'messageId' | 'index' | 'mediaKey'>,
  ext: string,
): string {
  const at = new Date(item.createdAt);
  const yyyy = String(at.getUTCFullYear()).padStart(4, '0');
  const mm = String(at.getUTCMonth() + 1).padStart(2, '0');
  const dd = String(at.getUTCDate()).padStart(2, '0');
  const safeMediaKey = item.mediaKey.replace(/[^A-Za-z0-9_-]/gu, '_');
  return `media/${yyyy}/${mm}/${dd}/${item.messageId}/${item.index}-${safeMediaKey}.${ext}`;
}

/**
 * Throws `MediaHostNotAllowed` unless `url` is https (or http to an allowed loopback host) on an
 * allowed host and port, with no credentials. Checked before every connection, redirects included.
 */
export function assertAllowedMediaUrl(url: URL, allowedHosts: readonly AllowedHost[]): void {
  const refuse = (why: string) =>
    new MediaDownloadError('MediaHostNotAllowed', `refused ${url.href}: ${why}`, { url: url.href });
  const hostname = canonicalHostname(url.hostname);
  const loopback = LOOPBACK_HOSTNAMES.has(hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw refuse(loopback ? 'only http(s) is allowed' : 'only https is allowed');
  }
  if (url.username || url.password) throw refuse('credentials in the URL are not allowed');
  const defaultPort = url.protocol === 'https:' ? 443 : 80;
  const port = url.port ? Number(url.port) : defaultPort;
  const allowed = allowedHosts.some(
    (entry) => entry.hostname === hostname && (entry.port ?? defaultPort) === port,
  );
  if (!allowed) throw refuse(`${hostname}:${port} is not an allowed media host`);
}

/** GET with manual redirects (each hop re-checked), one deadline for everything, a capped body. */
async function fetchLimited(start: URL, limits: MediaLimits, fetchImpl: typeof fetch): Promise<Uint8Array> {
  const controller = new AbortController();
  const timeout = new MediaDownloadError(
    'MediaTimeout',
    `download of ${start.href} took longer than ${limits.timeoutMs} ms`,
    { url: start.href },
  );
  const timer = setTimeout(() => controller.abort(timeout), limits.timeoutMs);
  let url = start;
  try {
    for (let redirects = 0; ; redirects++) {
      const response = await fetchImpl(url, {
        redirect: 'manual',
        signal: controller.signal,
        headers: { accept: ACCEPT },
      });
      if (REDIRECT_STATUSES.has(response.status)) {
        await response.body?.cancel();
        url = nextHop(url, response, redirects, limits);
        continue;
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw httpError(url, response.status);
      }
      return await readCapped(url, response, limits.maxBytes, controller);
    }
  } catch (error) {
    // However the abort surfaced (fetch, a read, a cancel), a timeout is reported as one.
    if (controller.signal.aborted && controller.signal.reason === timeout) throw timeout;
    if (error instanceof MediaDownloadError) throw error;
    // fetch's own failures are TypeErrors: refused, reset, DNS, TLS. The host may recover.
    // (By name: under a VM context, such as Jest's, undici's TypeError is another realm's.)
    if ((error as Error | undefined)?.name === 'TypeError') {
      const typeError = error as TypeError;
      const cause = (typeError.cause as { code?: string; message?: string } | undefined) ?? {};
      throw new MediaDownloadError(
        'MediaUnavailable',
        `could not fetch ${url.href}: ${cause.code ?? cause.message ?? typeError.message}`,
        { url: url.href, cause: error },
      );
    }
    throw error;
  } finally {
    clearTimeout(timer);
    // Frees any connection still open; a no-op once the body has been read.
    controller.abort();
  }
}

function nextHop(from: URL, response: Response, redirects: number, limits: MediaLimits): URL {
  const location = response.headers.get('location');
  if (!location) {
    throw new MediaDownloadError(
      'MediaHttpError',
      `${from.href} answered ${response.status} with no Location`,
      {
        status: response.status,
        url: from.href,
      },
    );
  }
  if (redirects >= limits.maxRedirects) {
    throw new MediaDownloadError(
      'MediaTooManyRedirects',
      `more than ${limits.maxRedirects} redirects, the last from ${from.href}`,
      { status: response.status, url: from.href },
    );
  }
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    throw new MediaDownloadError('MediaHttpError', `${from.href} redirected to an invalid Location`, {
      status: response.status,
      url: from.href,
    });
  }
  assertAllowedMediaUrl(next, limits.allowedHosts);
  return next;
}

function httpError(url: URL, status: number): MediaDownloadError {
  const transient = isTransientStatus(status);
  return new MediaDownloadError(
    transient ? 'MediaUnavailable' : 'MediaHttpError',
    `${url.href} answered HTTP ${status}`,
    { status, url: url.href },
  );
}

/** The body, read as a stream and abandoned as soon as it passes `maxBytes`. */
async function readCapped(
  url: URL,
  response: Response,
  maxBytes: number,
  controller: AbortController,
): Promise<Uint8Array> {
  const tooLarge = (size: string) =>
    new MediaDownloadError('MediaTooLarge', `${url.href} is ${size}, over the ${maxBytes}-byte limit`, {
      url: url.href,
    });
  const declared = response.headers.get('content-length');
  if (declared && /^\d+$/u.test(declared) && Number(declared) > maxBytes) {
    controller.abort();
    throw tooLarge(`${declared} bytes (Content-Length)`);
  }
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      controller.abort();
      throw tooLarge(`more than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

/** The real format, from the bytes: the server's Content-Type is never trusted. */
async function sniffImage(
  body: Uint8Array,
  url: string,
): Promise<{ contentType: MediaContentType; width: number; height: number }> {
  const detected = await fileTypeFromBuffer(body);
  const contentType = detected ? SNIFFED[detected.mime] : undefined;
  if (!contentType) {
    throw new MediaDownloadError(
      'MediaNotAnImage',
      `${url} is ${detected ? detected.mime : 'no known format'}, not JPEG, PNG, WebP or GIF`,
      { url },
    );
  }
  // A valid signature on a broken file still fails here: no readable size, no image.
  try {
    const { width, height } = imageSize(body);
    if (width > 0 && height > 0) return { contentType, width, height };
  } catch {
    // fall through
  }
  throw new MediaDownloadError(
    'MediaNotAnImage',
    `${url} starts like ${contentType} but has no readable size`,
    {
      url,
    },
  );
}
