import { createHmac } from 'node:crypto';

/**
 * X's two HMAC-SHA256 constructions, both keyed with the app's consumer secret (or the
 * OAuth 2 client secret for the `-oauth2` header variant) and base64-encoded with a
 * `sha256=` prefix.
 */

/** The `x-twitter-webhooks-signature` value for a delivery's raw body. */
export function signWebhookBody(secret: string, rawBody: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('base64')}`;
}

/** The `response_token` a webhook must answer to a CRC GET with `crc_token`. */
export function crcResponseToken(secret: string, crcToken: string): string {
  return `sha256=${createHmac('sha256', secret).update(crcToken).digest('base64')}`;
}
