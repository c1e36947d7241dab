import { randomBytes } from 'node:crypto';
import type { CrcResult } from './context.js';
import { send } from './http-client.js';
import { crcResponseToken, signWebhookBody } from './signing.js';

/** X's CRC: GET `<url>?crc_token=…&nonce=…`, expect 200 JSON `{ response_token }` signed with the secret. */
export async function crcCheck(url: string, secret: string, timeoutMs: number): Promise<CrcResult> {
  const crcToken = randomBytes(24).toString('base64url');
  const target = new URL(url);
  target.searchParams.set('crc_token', crcToken);
  target.searchParams.set('nonce', randomBytes(8).toString('hex'));
  let response: Awaited<ReturnType<typeof send>>;
  try {
    response = await send(target.toString(), {
      method: 'GET',
      timeoutMs,
      headers: { 'user-agent': 'X-Emulator-CRC' },
    });
  } catch (error) {
    return { ok: false, reason: `CRC request failed: ${(error as Error).message}` };
  }
  if (response.status !== 200)
    return { ok: false, reason: `Non-200 response code during CRC GET request (${response.status})` };
  let token: unknown;
  try {
    token = (JSON.parse(response.body) as { response_token?: unknown }).response_token;
  } catch {
    return { ok: false, reason: 'CRC response is not JSON' };
  }
  if (token !== crcResponseToken(secret, crcToken)) return { ok: false, reason: 'Invalid response_token' };
  return { ok: true };
}

export interface DeliverOptions {
  /** Where to POST; defaults to the first valid registered webhook. */
  url?: string;
  /** Signs with this secret instead of the emulator's consumer secret. */
  secret?: string;
  /** Sends this signature verbatim (to forge one). */
  signature?: string;
  /** Also sends `x-twitter-webhooks-signature-oauth2`, signed with this OAuth 2 client secret. */
  oauth2Secret?: string;
  /** Extra or overriding headers; a header set to '' is left out. */
  headers?: Record<string, string>;
  /** Sends this exact body instead of `JSON.stringify(payload)` (for malformed-body tests). */
  rawBody?: string;
  timeoutMs?: number;
}

export interface DeliveryResult {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
  latencyMs: number;
}

/** One signed Account Activity POST, with the headers X sends. */
export async function postSigned(
  url: string,
  rawBody: string,
  secret: string,
  options: DeliverOptions,
): Promise<DeliveryResult> {
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'user-agent': 'X-Emulator-Webhooks',
    'x-twitter-webhooks-signature': options.signature ?? signWebhookBody(options.secret ?? secret, rawBody),
  };
  if (options.oauth2Secret) {
    headers['x-twitter-webhooks-signature-oauth2'] = signWebhookBody(options.oauth2Secret, rawBody);
  }
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (value === '') delete headers[name.toLowerCase()];
    else headers[name.toLowerCase()] = value;
  }
  const started = performance.now();
  const response = await send(url, {
    method: 'POST',
    headers,
    body: rawBody,
    timeoutMs: options.timeoutMs ?? 10_000,
  });
  return {
    status: response.status,
    body: response.body,
    headers: response.headers,
    latencyMs: performance.now() - started,
  };
}
