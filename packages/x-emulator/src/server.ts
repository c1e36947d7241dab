import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TokenBindings } from './auth.js';
import type { HandlerContext, Services } from './context.js';
import { problem, tooManyRequests, unauthorized, unknownRoute, unsupportedAuthentication } from './errors.js';
import type { Reply, RequestLogEntry } from './http-types.js';
import type { DailyUserLimiter, FailureQueue, RateLimiter, RateLimitStatus } from './rate-limits.js';
import type { Router } from './router.js';

/** Media chunks are at most a few MB; anything far beyond is a client bug, not an upload. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

export interface Pipeline {
  router: Router;
  rateLimiter: RateLimiter;
  dailyLimits: DailyUserLimiter;
  failures: FailureQueue;
  tokens: TokenBindings;
  services: Services;
  log(entry: RequestLogEntry): void;
}

function rateHeaders(status: RateLimitStatus): Record<string, string> {
  return {
    'x-rate-limit-limit': String(status.limit),
    'x-rate-limit-remaining': String(status.remaining),
    'x-rate-limit-reset': String(status.reset),
  };
}

function dailyHeaders(status: RateLimitStatus): Record<string, string> {
  return {
    'x-user-limit-24hour-limit': String(status.limit),
    'x-user-limit-24hour-remaining': String(status.remaining),
    'x-user-limit-24hour-reset': String(status.reset),
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * The request pipeline, in X's order: route, forced failure, authentication, rate limit,
 * handler. Every answer of a rate-limited endpoint carries X's three rate-limit headers.
 */
export async function dispatch(
  pipeline: Pipeline,
  req: IncomingMessage,
  rawBody: Buffer,
): Promise<Reply & { endpoint: string | null }> {
  const url = new URL(req.url ?? '/', 'http://emulator.invalid');
  const method = req.method ?? 'GET';
  const matched = pipeline.router.match(method, url.pathname);
  if (!matched) return { ...unknownRoute(), endpoint: null };
  const { route, params } = matched;
  const endpoint = route.endpoint;

  const principal =
    route.auth === 'none'
      ? undefined
      : pipeline.tokens.resolve(req.headers, pipeline.services.state.authenticatedUserId);
  const principalKey = principal?.kind === 'app' ? 'app' : (principal?.userId ?? 'anonymous');

  if (endpoint) {
    const forced = pipeline.failures.take(endpoint);
    if (forced) {
      const base =
        forced.body === undefined ? problem(forced.status) : { status: forced.status, body: forced.body };
      const limits = pipeline.rateLimiter.peek(endpoint, principalKey);
      if (forced.status === 429) limits.remaining = 0;
      return { ...base, headers: rateHeaders(limits), endpoint };
    }
  }
  if (route.auth !== 'none') {
    // A revoked or invalid token gets the same 401 as no credentials at all.
    if (!principal || pipeline.tokens.isRevoked(principal.token)) return { ...unauthorized(), endpoint };
    if (route.auth === 'user' && principal.kind === 'app')
      return { ...unsupportedAuthentication('app'), endpoint };
    if (route.auth === 'app' && principal.kind === 'user')
      return { ...unsupportedAuthentication('user'), endpoint };
  }
  let headers: Record<string, string> = {};
  if (endpoint) {
    const limits = pipeline.rateLimiter.take(endpoint, principalKey);
    headers = rateHeaders(limits);
    if (!limits.allowed) return { ...tooManyRequests(), headers, endpoint };
    // Users only: app-only callers have no per-user day.
    const daily = principal?.userId ? pipeline.dailyLimits.take(endpoint, principal.userId) : undefined;
    if (daily) {
      headers = { ...headers, ...dailyHeaders(daily) };
      if (!daily.allowed) return { ...tooManyRequests(), headers, endpoint };
    }
  }
  const ctx: HandlerContext = {
    method,
    path: url.pathname,
    params,
    search: url.searchParams,
    headers: req.headers,
    rawBody,
    principal,
    userId: principal?.userId,
    services: pipeline.services,
  };
  const reply = await route.handle(ctx);
  return { ...reply, headers: { ...headers, ...reply.headers }, endpoint };
}

function write(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...reply.headers };
  let data: Buffer | undefined;
  if (reply.raw) {
    headers['content-type'] = reply.raw.contentType;
    data = reply.raw.data;
  } else if (reply.body !== undefined) {
    // X answers v2 errors and data alike as JSON.
    headers['content-type'] = 'application/json; charset=utf-8';
    data = Buffer.from(JSON.stringify(reply.body));
  }
  headers['content-length'] = String(data?.length ?? 0);
  res.writeHead(reply.status, headers);
  res.end(data);
}

export function createEmulatorServer(pipeline: Pipeline): Server {
  return createServer((req, res) => {
    const started = pipeline.services.now();
    readBody(req)
      .then((body) => dispatch(pipeline, req, body))
      .catch((error: unknown) => {
        // A handler bug must still answer like a server, never hang the client.
        console.error('[x-emulator] handler failed', error);
        return { ...problem(500, 'Internal Server Error'), endpoint: null };
      })
      .then((reply) => {
        const url = new URL(req.url ?? '/', 'http://emulator.invalid');
        pipeline.log({
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.search,
          status: reply.status,
          endpoint: reply.endpoint,
          at: started,
        });
        const { endpoint: _endpoint, ...rest } = reply;
        write(res, rest);
      });
  });
}

export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // twitter-api-v2 keeps sockets alive through the agent; do not wait for them to idle out.
    server.closeAllConnections();
  });
}
