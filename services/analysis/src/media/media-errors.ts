// DownloadMedia's failures. Step Functions matches Retry and Catch on the error's `name`, so each
// name is a stable code, and one name is never transient for some causes and permanent for others.

export const MEDIA_ERROR_NAMES = [
  /** The state machine input is malformed (bad URL, id, date...). Permanent. */
  'MediaInvalidInput',
  /** The URL (or a redirect) leaves the allow list: another host or port, or not https. Permanent. */
  'MediaHostNotAllowed',
  /** The host answered with a status that will not change on retry (404, 403, 410, a 3xx without Location...). Permanent. */
  'MediaHttpError',
  /** The host could not deliver now: 5xx, 408, 429, or the connection failed. Transient. */
  'MediaUnavailable',
  /** The whole download took longer than the configured timeout. Transient. */
  'MediaTimeout',
  /** More redirects than allowed (a loop, or a chain longer than the limit). Permanent. */
  'MediaTooManyRedirects',
  /** The body is over the size limit (declared or actual). Permanent. */
  'MediaTooLarge',
  /** The bytes are not a JPEG, PNG, WebP or GIF (whatever the server's Content-Type said). Permanent. */
  'MediaNotAnImage',
] as const;

export type MediaErrorName = (typeof MEDIA_ERROR_NAMES)[number];

/** The names worth an ASL `Retry` (with backoff); every other media error fails the same way again. */
export const TRANSIENT_MEDIA_ERRORS = [
  'MediaUnavailable',
  'MediaTimeout',
] as const satisfies readonly MediaErrorName[];

export function isTransientMediaError(name: string): boolean {
  return (TRANSIENT_MEDIA_ERRORS as readonly string[]).includes(name);
}

/** HTTP statuses that may well succeed on a later attempt. */
export function isTransientStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 425 || status === 429;
}

export class MediaDownloadError extends Error {
  override readonly name: MediaErrorName;
  /** The HTTP status, for MediaHttpError and MediaUnavailable when the host answered. */
  readonly status: number | undefined;
  /** The URL being fetched when it failed (a redirect target, possibly). */
  readonly url: string | undefined;

  constructor(
    name: MediaErrorName,
    message: string,
    details: { status?: number; url?: string; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = name;
    this.status = details.status;
    this.url = details.url;
  }

  get transient(): boolean {
    return isTransientMediaError(this.name);
  }
}
