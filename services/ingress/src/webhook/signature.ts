import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureCheck = 'valid' | 'missing' | 'malformed' | 'mismatch';

const SIGNATURE = /^sha256=([A-Za-z0-9+/]{43}=)$/;

/**
 * Checks an X webhook signature header (`sha256=` + base64 HMAC-SHA256 of the raw body) in
 * constant time. The body must be the bytes received: re-serialised JSON would not match.
 */
export function checkSignature(secret: string, rawBody: Buffer, header: string | undefined): SignatureCheck {
  if (header === undefined || header.length === 0) return 'missing';
  const match = SIGNATURE.exec(header.trim());
  if (!match) return 'malformed';
  const given = Buffer.from(match[1]!, 'base64');
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  return given.length === expected.length && timingSafeEqual(given, expected) ? 'valid' : 'mismatch';
}
