// How far DownloadMedia may reach, and how much it may take: read once from the environment.
import { z } from 'zod';

/** One allowed origin. `port: null` means the scheme's default port (443, or 80 for loopback http). */
export interface AllowedHost {
  /** Lowercase; IPv6 in brackets (`[::1]`), as `URL.hostname` spells it. */
  hostname: string;
  port: number | null;
}

export interface MediaLimits {
  allowedHosts: readonly AllowedHost[];
  /** Largest body accepted, in bytes (decoded). */
  maxBytes: number;
  /** The whole download, all redirect hops and the body included. */
  timeoutMs: number;
  /** Redirects followed before giving up; 0 refuses any redirect. */
  maxRedirects: number;
}

/** Where X serves photos (pbs) and DM media (ton). */
export const DEFAULT_MEDIA_HOSTS = 'pbs.twimg.com,ton.twitter.com';

/**
 * 5 MiB. X itself caps uploaded photos at 5 MB, so no genuine photo is refused. Rekognition
 * reads the photo from S3 (limit 15 MB; the 5 MB limit is only for inline `Bytes`), so this
 * leaves room; and the local models decode the whole image in memory, where smaller is safer.
 */
export const DEFAULT_MEDIA_MAX_BYTES = 5 * 1024 * 1024;

/** Rekognition's limit for an image in S3 (decimal MB, to be safe either way it is read). */
export const MEDIA_MAX_BYTES_CEILING = 15_000_000;

export const DEFAULT_MEDIA_TIMEOUT_MS = 10_000;
export const DEFAULT_MEDIA_MAX_REDIRECTS = 3;

export class MediaConfigError extends Error {
  override readonly name = 'MediaConfigError';
}

/** The hostnames that may be fetched over plain http: only this machine. */
export const LOOPBACK_HOSTNAMES: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** `URL.hostname` without a trailing root dot, so `pbs.twimg.com.` and `pbs.twimg.com` compare equal. */
export function canonicalHostname(hostname: string): string {
  return hostname.endsWith('.') ? hostname.slice(0, -1) : hostname;
}

const HOST_ENTRY = /^(?<host>\[[0-9a-f:.]+\]|[^:[\]/@?#\s]+)(?::(?<port>\d{1,5}))?$/iu;

/** `host` or `host:port`, normalised as the WHATWG URL parser would (lowercase, punycode, IPv4 forms). */
export function parseAllowedHost(entry: string): AllowedHost {
  const match = HOST_ENTRY.exec(entry.trim());
  if (!match?.groups?.host) throw new Error(`"${entry}" is not a host or host:port`);
  let hostname: string;
  try {
    hostname = new URL(`https://${match.groups.host}/`).hostname;
  } catch {
    throw new Error(`"${entry}" is not a valid host name`);
  }
  // The URL parser lets `*` and `_` through; a wildcard here would silently match nothing.
  if (!/^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*\.?|\[[0-9a-f:.]+\])$/u.test(hostname)) {
    throw new Error(`"${entry}" is not a host name (no wildcards: list each host)`);
  }
  // `pbs.twimg.com.` is the same host; compare without the root dot (see `canonicalHostname`).
  hostname = canonicalHostname(hostname);
  const port = match.groups.port === undefined ? null : Number(match.groups.port);
  if (port !== null && (port < 1 || port > 65535)) throw new Error(`"${entry}" has a port outside 1-65535`);
  return { hostname, port };
}

const hostsSchema = z.string().transform((value, ctx) => {
  const hosts: AllowedHost[] = [];
  for (const entry of value.split(',')) {
    if (entry.trim().length === 0) continue;
    try {
      hosts.push(parseAllowedHost(entry));
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
    }
  }
  if (hosts.length === 0) ctx.addIssue({ code: 'custom', message: 'names no host' });
  return hosts;
});

const wholeNumber = (min: number, max: number, unit: string) =>
  z
    .string()
    .regex(/^\s*\d+\s*$/u, `must be a whole number of ${unit}`)
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, `must be between ${min} and ${max} ${unit}`)
        .max(max, `must be between ${min} and ${max} ${unit}`),
    );

const VARIABLES = {
  MURMUR_MEDIA_HOSTS: { schema: hostsSchema, fallback: DEFAULT_MEDIA_HOSTS },
  MURMUR_MEDIA_MAX_BYTES: {
    schema: wholeNumber(1, MEDIA_MAX_BYTES_CEILING, 'bytes'),
    fallback: String(DEFAULT_MEDIA_MAX_BYTES),
  },
  MURMUR_MEDIA_TIMEOUT_MS: {
    schema: wholeNumber(100, 300_000, 'milliseconds'),
    fallback: String(DEFAULT_MEDIA_TIMEOUT_MS),
  },
  MURMUR_MEDIA_MAX_REDIRECTS: {
    schema: wholeNumber(0, 10, 'redirects'),
    fallback: String(DEFAULT_MEDIA_MAX_REDIRECTS),
  },
} as const;

function read<K extends keyof typeof VARIABLES>(
  env: NodeJS.ProcessEnv,
  name: K,
): z.output<(typeof VARIABLES)[K]['schema']> {
  const { schema, fallback } = VARIABLES[name];
  const raw = env[name];
  // Unset and empty mean the same: env files and CDK often write `NAME=`.
  const value = raw === undefined || raw.trim().length === 0 ? fallback : raw;
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((issue) => issue.message).join('; ');
    throw new MediaConfigError(`${name}=${JSON.stringify(raw)}: ${reasons}`);
  }
  return parsed.data as z.output<(typeof VARIABLES)[K]['schema']>;
}

/**
 * The limits for DownloadMedia from `MURMUR_MEDIA_HOSTS` (comma-separated `host` or `host:port`),
 * `MURMUR_MEDIA_MAX_BYTES`, `MURMUR_MEDIA_TIMEOUT_MS` and `MURMUR_MEDIA_MAX_REDIRECTS`. Throws
 * `MediaConfigError` naming the variable at fault. On AWS, keep the Lambda's timeout above
 * `timeoutMs` plus the S3 put, or a slow host ends as `Sandbox.Timedout` instead of `MediaTimeout`.
 */
export function mediaLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): MediaLimits {
  return {
    allowedHosts: read(env, 'MURMUR_MEDIA_HOSTS'),
    maxBytes: read(env, 'MURMUR_MEDIA_MAX_BYTES'),
    timeoutMs: read(env, 'MURMUR_MEDIA_TIMEOUT_MS'),
    maxRedirects: read(env, 'MURMUR_MEDIA_MAX_REDIRECTS'),
  };
}
