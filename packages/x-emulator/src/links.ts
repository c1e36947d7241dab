import { createHash } from 'node:crypto';

/** A t.co link, deterministic for its seed. */
export function tcoLink(seed: string): string {
  return `https://t.co/${createHash('sha1').update(seed).digest('base64url').slice(0, 10)}`;
}

/**
 * What X stores for a message: every http(s) link replaced by a t.co link, so the text an API
 * client reads back is not the text it sent.
 */
export function wrapLinks(text: string, seed: string): string {
  let n = 0;
  return text.replace(/\bhttps?:\/\/[^\s]+/g, () => tcoLink(`${seed}:${n++}`));
}
