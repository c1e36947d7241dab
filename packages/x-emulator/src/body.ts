import type { z } from 'zod';
import type { HandlerContext } from './context.js';
import { invalidRequest } from './errors.js';
import type { Reply } from './http-types.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; reply: Reply };

/**
 * JSON bodies are validated with zod at the boundary; failures come back in X's
 * invalid-request shape, with `$.path: message` like X's schema validator writes them.
 */
export function parseJsonBody<T>(ctx: HandlerContext, schema: z.ZodType<T>): Parsed<T> {
  let raw: unknown;
  try {
    raw = ctx.rawBody.length ? JSON.parse(ctx.rawBody.toString('utf8')) : {};
  } catch {
    return { ok: false, reply: invalidRequest([{ message: 'Request body is not valid JSON' }]) };
  }
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    reply: invalidRequest(
      result.error.issues.map((issue) => {
        if (issue.code === 'unrecognized_keys') {
          const where = ['$', ...issue.path.map(String)].join('.');
          return {
            message: `${where}.${issue.keys.join(', ')}: is not defined in the schema and the schema does not allow additional properties`,
          };
        }
        return { message: `${['$', ...issue.path.map(String)].join('.')}: ${issue.message}` };
      }),
    ),
  };
}

export interface FormPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

/** Minimal multipart/form-data parser: enough for media upload, which is all that uses it. */
export function parseMultipart(body: Buffer, contentType: string): Map<string, FormPart> | undefined {
  const boundaryMatch = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const boundary = boundaryMatch?.[1] ?? boundaryMatch?.[2];
  if (!boundary) return undefined;
  const delimiter = Buffer.from(`--${boundary}`);
  const parts = new Map<string, FormPart>();
  let cursor = body.indexOf(delimiter);
  if (cursor < 0) return undefined;
  while (cursor >= 0) {
    const start = cursor + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    // Each part: CRLF, headers, CRLF CRLF, data, CRLF, then the next delimiter.
    const section = body.subarray(start + 2, next - 2);
    const headerEnd = section.indexOf('\r\n\r\n');
    if (headerEnd >= 0) {
      const headerText = section.subarray(0, headerEnd).toString('utf8');
      const data = section.subarray(headerEnd + 4);
      const name = /name="([^"]*)"/i.exec(headerText)?.[1];
      if (name !== undefined) {
        parts.set(name, {
          name,
          filename: /filename="([^"]*)"/i.exec(headerText)?.[1],
          contentType: /content-type:\s*([^\r\n]+)/i.exec(headerText)?.[1]?.trim(),
          data: Buffer.from(data),
        });
      }
    }
    cursor = next;
  }
  return parts;
}

/** Media upload accepts JSON, multipart or url-encoded fields; this reads any of them as strings. */
export function readFields(ctx: HandlerContext): {
  fields: Map<string, string>;
  files: Map<string, FormPart>;
} {
  const type = String(ctx.headers['content-type'] ?? '');
  const fields = new Map<string, string>();
  const files = new Map<string, FormPart>();
  if (type.startsWith('multipart/form-data')) {
    for (const part of parseMultipart(ctx.rawBody, type)?.values() ?? []) {
      if (part.filename !== undefined || part.contentType === 'application/octet-stream')
        files.set(part.name, part);
      else fields.set(part.name, part.data.toString('utf8'));
    }
  } else if (type.startsWith('application/x-www-form-urlencoded')) {
    for (const [k, v] of new URLSearchParams(ctx.rawBody.toString('utf8'))) fields.set(k, v);
  } else if (ctx.rawBody.length) {
    try {
      const parsed: unknown = JSON.parse(ctx.rawBody.toString('utf8'));
      if (parsed && typeof parsed === 'object') {
        for (const [k, v] of Object.entries(parsed)) {
          if (v !== undefined && v !== null) fields.set(k, Array.isArray(v) ? v.join(',') : String(v));
        }
      }
    } catch {
      // Not JSON: leave the fields empty and let the handler report what is missing.
    }
  }
  for (const [k, v] of ctx.search) if (!fields.has(k)) fields.set(k, v);
  return { fields, files };
}
