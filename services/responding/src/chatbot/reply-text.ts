// X counts a tweet's length with weights (most CJK and emoji count 2) and the reply's @mention
// counts too. twitter-text is X's own counter.
import twitterText from 'twitter-text';

export const MAX_TWEET_WEIGHT = 280;
const ELLIPSIS = '…';

export function tweetWeight(text: string): number {
  return twitterText.parseTweet(text).weightedLength;
}

/**
 * `@screenName text`, cut at a word boundary (with an ellipsis) when it would pass 280
 * weighted characters. Never cuts inside the handle.
 */
export function fitReply(screenName: string, text: string): string {
  const prefix = `@${screenName} `;
  const full = `${prefix}${text.trim()}`;
  if (tweetWeight(full) <= MAX_TWEET_WEIGHT) return full;
  const chars = Array.from(text.trim());
  let lo = 0;
  let hi = chars.length;
  // The longest prefix of the text that fits with the ellipsis.
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (tweetWeight(`${prefix}${chars.slice(0, mid).join('').trimEnd()}${ELLIPSIS}`) <= MAX_TWEET_WEIGHT)
      lo = mid;
    else hi = mid - 1;
  }
  let cut = chars.slice(0, lo).join('');
  const space = cut.lastIndexOf(' ');
  if (space > cut.length * 0.6) cut = cut.slice(0, space);
  return `${prefix}${cut.trimEnd()}${ELLIPSIS}`;
}
