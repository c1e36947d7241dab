import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TwitterApi } from 'twitter-api-v2';
import { XEmulator, type XEmulatorOptions } from '../src/index.js';

export const BOT = { id: '1500000000000000001', username: 'murmurbot', name: 'Murmur Bot' };
export const ADA = { id: '42', username: 'ada', name: 'Ada Lovelace' };
export const GRACE = { id: '43', username: 'grace', name: 'Grace Hopper' };

/** An emulator with the bot (authenticated user), Ada and Grace. */
export async function startEmulator(options: XEmulatorOptions = {}): Promise<XEmulator> {
  const emulator = await XEmulator.start({ me: BOT, ...options });
  emulator.addUser(ADA);
  emulator.addUser(GRACE);
  return emulator;
}

/** twitter-api-v2 with OAuth 1.0a user credentials, talking to the emulator. */
export function userClient(emulator: XEmulator, accessToken = 'bot-access-token'): TwitterApi {
  return new TwitterApi(
    { appKey: 'consumer-key', appSecret: 'consumer-secret', accessToken, accessSecret: 'access-secret' },
    { httpAgent: emulator.agent() },
  );
}

/** twitter-api-v2 with an app-only Bearer token, talking to the emulator. */
export function appClient(emulator: XEmulator, token = 'app-bearer-token'): TwitterApi {
  emulator.bindToken(token, 'app');
  return new TwitterApi(token, { httpAgent: emulator.agent() });
}

export interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A tiny webhook server for tests: records requests, answers with `respond`. */
export async function startWebhookServer(
  respond: (req: Received, res: ServerResponse) => void,
): Promise<{ url: string; received: Received[]; server: Server; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      };
      received.push(entry);
      respond(entry, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/twitter`,
    received,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Raw HTTP against the emulator, for what twitter-api-v2 does not expose (headers, bad bodies). */
// biome-ignore lint/suspicious/noExplicitAny: response bodies are read by X's shape in assertions, which check every value they touch.
type JsonBody = any;

export async function call(
  emulator: XEmulator,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; auth?: string | null } = {},
): Promise<{ status: number; headers: Headers; json: JsonBody; text: string }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.auth !== null) headers.authorization = options.auth ?? 'Bearer test-token';
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${emulator.url}${path}`, { method, headers, body });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json, text };
}
