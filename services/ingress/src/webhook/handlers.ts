import { randomUUID } from 'node:crypto';
import type { HttpResponse, RouteHandler } from '@murmur/ports';
import { InvalidActivityError, translateActivity } from '../activity/index.js';
import type { IngressConfig } from '../config.js';
import { publishOnce } from '../publish-once.js';
import { crcResponseToken, isCrcToken } from './crc.js';
import { checkSignature, type SignatureCheck } from './signature.js';

const reject = (status: number, error: string): HttpResponse => ({ status, body: { error } });

/** GET /twitter: the CRC challenge, only for token-like input (see crc.ts for why). */
export function crcHandler(getConfig: () => IngressConfig): RouteHandler {
  return async (request) => {
    const config = getConfig();
    const token = request.query.crc_token;
    if (token === undefined) return reject(400, 'crc_token is required');
    if (!isCrcToken(token)) return reject(400, 'crc_token is not a CRC token');
    return { status: 200, body: { response_token: crcResponseToken(config.consumerSecret, token) } };
  };
}

/** Which signature header proves the delivery: the app secret's, or the OAuth 2 client secret's when configured. */
function verify(config: IngressConfig, headers: Record<string, string>, rawBody: Buffer): SignatureCheck {
  const checks: SignatureCheck[] = [
    checkSignature(config.consumerSecret, rawBody, headers['x-twitter-webhooks-signature']),
  ];
  if (config.clientSecret) {
    checks.push(checkSignature(config.clientSecret, rawBody, headers['x-twitter-webhooks-signature-oauth2']));
  }
  if (checks.includes('valid')) return 'valid';
  if (checks.includes('mismatch')) return 'mismatch';
  return checks.includes('malformed') ? 'malformed' : 'missing';
}

/**
 * POST /twitter: verify, translate, drop what was seen before, publish, answer. Nothing else
 * happens here, so the answer comes well within X's 3 seconds whatever the consumers are doing.
 * Refusals are 4xx (X does not retry those); only a failure to store is a 500, so X retries.
 */
export function deliveryHandler(getConfig: () => IngressConfig): RouteHandler {
  return async (request, ctx) => {
    const config = getConfig();
    const signature = verify(config, request.headers, request.rawBody);
    if (signature !== 'valid') {
      ctx.log.warn('webhook delivery refused: bad signature', { reason: signature });
      return reject(401, signature === 'missing' ? 'signature missing' : 'signature invalid');
    }
    let body: unknown;
    try {
      body = JSON.parse(request.rawBody.toString('utf8'));
    } catch {
      return reject(400, 'body is not JSON');
    }
    const correlationId = `whd-${randomUUID()}`;
    let translation: ReturnType<typeof translateActivity>;
    try {
      translation = translateActivity(body, {
        correlationId,
        accountIds: config.accountIds,
        ingress: 'webhook',
      });
    } catch (error) {
      if (error instanceof InvalidActivityError) return reject(400, error.message);
      throw error;
    }
    for (const note of translation.notes) ctx.log.info('webhook payload note', { note, correlationId });

    let result: { published: number; duplicates: number };
    try {
      result = await publishOnce(translation.events, ctx);
    } catch (error) {
      ctx.log.error('webhook delivery not stored; X will retry', { error: String(error), correlationId });
      return reject(500, 'not stored');
    }
    ctx.log.info('webhook delivery', {
      correlationId,
      forUserId: translation.forUserId,
      ...result,
    });
    return { status: 200, body: result };
  };
}
