import type { BusPort } from './bus.js';
import type { IdempotencyPort } from './idempotency.js';
import type { Logger } from './logger.js';

/** An HTTP request as a route handler sees it: API Gateway's proxy event and node:http both map to this. */
export interface HttpRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Header names in lower case (HTTP header names are case-insensitive). */
  headers: Record<string, string>;
  /** The body exactly as received: signatures are computed over these bytes. */
  rawBody: Buffer;
}

export interface HttpResponse {
  status: number;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
}

export interface RouteContext {
  bus: BusPort;
  log: Logger;
  idempotency: IdempotencyPort;
  /** Id of this request (API Gateway's request id, or a local uuid). */
  requestId: string;
}

export type RouteHandler = (request: HttpRequest, ctx: RouteContext) => Promise<HttpResponse>;

export interface RouteDeclaration {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  /** Key into `ServiceDeclaration.routeHandlers`. */
  handler: string;
  /** Larger bodies are refused with 413 before the handler runs. */
  maxBodyBytes: number;
  /** Content types accepted for a body (415 otherwise); omit to accept any. */
  contentTypes?: string[];
}
