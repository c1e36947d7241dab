import type { IncomingHttpHeaders } from 'node:http';

/** What a handler answers; the server turns it into bytes and adds the rate-limit headers. */
export interface Reply {
  status: number;
  /** JSON body. Absent with `raw`, or for bodiless answers. */
  body?: unknown;
  raw?: { contentType: string; data: Buffer };
  headers?: Record<string, string>;
}

export function json(status: number, body: unknown): Reply {
  return { status, body };
}

export interface RequestLogEntry {
  method: string;
  path: string;
  query: string;
  status: number;
  endpoint: string | null;
  at: number;
}

export type Headers = IncomingHttpHeaders;
