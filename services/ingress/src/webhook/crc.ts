import { createHmac } from 'node:crypto';

// X's crc_token is a short random token. Anything else is refused: an endpoint that signs
// any string is a signing oracle, since the CRC answer is HMAC-SHA256(consumer secret, input),
// exactly the signature X puts on webhook deliveries. Sign a request body as a "token" and
// you hold a valid signature for a forged delivery.
const TOKEN = /^[A-Za-z0-9+/=_-]{8,128}$/;

export function isCrcToken(token: unknown): token is string {
  return typeof token === 'string' && TOKEN.test(token);
}

/** `sha256=` + base64(HMAC-SHA256(consumer secret, token)), as X expects in `response_token`. */
export function crcResponseToken(consumerSecret: string, token: string): string {
  return `sha256=${createHmac('sha256', consumerSecret).update(token).digest('base64')}`;
}
