import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpResponse, Logger, RouteContext, RouteDeclaration, RouteHandler } from '@murmur/ports';

export interface MountedRoute {
  route: RouteDeclaration;
  handler: RouteHandler;
  context: Omit<RouteContext, 'requestId'>;
}

export interface HttpServerOptions {
  host?: string;
  port: number;
  routes: MountedRoute[];
  log: Logger;
}

/**
 * The runtime's HTTP server: the local stand-in for API Gateway. It enforces each route's body
 * limit and content types before the handler runs, and never lets a handler error escape as
 * anything but a 500.
 */
export class RuntimeHttpServer {
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async listen(options: HttpServerOptions): Promise<RuntimeHttpServer> {
    const server = createServer((req, res) => {
      void handle(req, res, options).catch((error: unknown) => {
        options.log.error('http handler failed', { error: String(error) });
        if (!res.headersSent) send(res, { status: 500, body: { error: 'internal error' } });
      });
    });
    // Slow or stalled clients must not hold sockets open for long.
    server.requestTimeout = 10_000;
    server.headersTimeout = 5_000;
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
    });
    const address = server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return new RuntimeHttpServer(server, `http://${host}:${address.port}`);
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.server.closeIdleConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

// A plain path (no query, dots, escapes or empty segments) reads the same with or without
// URL parsing, which is a measurable share of a small request.
const PLAIN_PATH = /^\/(?:[\w-]+(?:\/[\w-]+)*\/?)?$/;

function parseTarget(target: string): { path: string; query: Record<string, string> } {
  if (PLAIN_PATH.test(target)) return { path: target, query: {} };
  const url = new URL(target, 'http://localhost');
  return { path: url.pathname, query: Object.fromEntries(url.searchParams) };
}

async function handle(req: IncomingMessage, res: ServerResponse, options: HttpServerOptions): Promise<void> {
  const { path, query } = parseTarget(req.url ?? '/');
  const method = (req.method ?? 'GET').toUpperCase();
  const forPath = options.routes.filter((r) => r.route.path === path);
  if (forPath.length === 0) return send(res, { status: 404, body: { error: 'not found' } });
  const mounted = forPath.find((r) => r.route.method === method);
  if (!mounted) {
    return send(res, {
      status: 405,
      headers: { allow: forPath.map((r) => r.route.method).join(', ') },
      body: { error: 'method not allowed' },
    });
  }
  const { route } = mounted;

  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > route.maxBodyBytes) {
    return refuseBody(req, res, route.maxBodyBytes);
  }
  if (route.contentTypes && hasBody(req)) {
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (!route.contentTypes.includes(type)) {
      req.resume();
      return send(res, {
        status: 415,
        body: { error: `content type must be ${route.contentTypes.join(' or ')}` },
      });
    }
  }
  const rawBody = await readBody(req, route.maxBodyBytes);
  if (rawBody === null) return refuseBody(req, res, route.maxBodyBytes);

  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const response = await mounted.handler(
    { method, path, query, headers, rawBody },
    { ...mounted.context, requestId: randomUUID() },
  );
  send(res, response);
}

function hasBody(req: IncomingMessage): boolean {
  return req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
}

/** The body, or null once it passes `limit` (the rest is not read). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!over) resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

function refuseBody(req: IncomingMessage, res: ServerResponse, limit: number): void {
  // Answer at once and close: reading the rest of an oversized body is what the limit prevents.
  res.setHeader('connection', 'close');
  send(res, { status: 413, body: { error: `body larger than ${limit} bytes` } });
  req.resume();
}

function send(res: ServerResponse, response: HttpResponse): void {
  const isText = typeof response.body === 'string';
  const body =
    response.body === undefined ? '' : isText ? (response.body as string) : JSON.stringify(response.body);
  res.statusCode = response.status;
  for (const [name, value] of Object.entries(response.headers ?? {})) res.setHeader(name, value);
  if (body.length > 0 && !res.hasHeader('content-type')) {
    res.setHeader('content-type', isText ? 'text/plain; charset=utf-8' : 'application/json');
  }
  res.end(body);
}
