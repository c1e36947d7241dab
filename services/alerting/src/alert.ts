// One ALERT_RAISED detail from one condition and one analysed message. Deterministic: the same
// condition and message always give the same alert, so a redelivery can be recognised.
import type { AlertRaisedDetail, MessageAnalysedDetail, MessageKind } from '@murmur/events';
import type { AlertCondition } from './conditions.js';

/** Quoted text is cut here: alerts are read on phones, and chat messages have limits (Discord: 2000). */
export const QUOTE_LIMIT = 280;
const SUMMARY_LIMIT = 1000;

const KIND_WORDS: Record<MessageKind, string> = {
  mention: 'mention',
  reply: 'reply',
  quote: 'quote',
  directMessage: 'DM',
};

/** `<condition>:<messageId>`: a redelivery, a replay or a second runtime raise the same alert. */
export function alertIdOf(condition: AlertCondition, messageId: string): string {
  return `${condition.name}:${messageId}`;
}

/** The tweet on X; DMs have no public address. */
export function tweetUrl(detail: MessageAnalysedDetail): string | undefined {
  const tweetId = detail.twitter.tweetId;
  return tweetId ? `https://x.com/${detail.author.screenName}/status/${tweetId}` : undefined;
}

/**
 * What strangers wrote, made safe for one line in a chat: whitespace collapsed (one line), and
 * `<` `>` replaced by look-alikes, since Slack reads `<!channel>` or `<@U123>` as a ping or a link.
 * Discord's pings are switched off in the webhook body instead (`allowed_mentions`).
 */
export function quotable(text: string, limit = QUOTE_LIMIT): string {
  const oneLine = text.replace(/\s+/g, ' ').trim().replaceAll('<', '‹').replaceAll('>', '›');
  const chars = [...oneLine];
  return chars.length <= limit ? oneLine : `${chars.slice(0, limit - 1).join('')}…`;
}

/** At most `max` UTF-16 units (what the schema's max counts), never splitting a character. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = '';
  for (const char of text) {
    if (out.length + char.length > max - 1) break;
    out += char;
  }
  return `${out}…`;
}

export function buildAlert(condition: AlertCondition, detail: MessageAnalysedDetail): AlertRaisedDetail {
  const reasons = condition.reasons(detail);
  const url = tweetUrl(detail);
  const said = detail.text.trim() === '' ? '(no text)' : `"${quotable(detail.text)}"`;
  const summary = [
    `${KIND_WORDS[detail.kind]} from @${detail.author.screenName}: ${said}`,
    `(${quotable(reasons.join('; '), 300)})`,
    ...(url ? [url] : []),
  ].join(' ');
  return {
    schemaVersion: 1,
    correlationId: detail.correlationId,
    alertId: alertIdOf(condition, detail.messageId),
    rule: condition.name,
    severity: condition.severity,
    summary: cut(summary, SUMMARY_LIMIT),
    reasons,
    accountId: detail.accountId,
    messageId: detail.messageId,
    author: detail.author,
    text: detail.text,
    ...(url ? { url } : {}),
  };
}
