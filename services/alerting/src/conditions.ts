// The alert conditions, as EventBridge event patterns on MESSAGE_ANALYSED: what both runtimes
// match (the embedded bus with @murmur/event-pattern, EventBridge on AWS), never re-decided in
// code. Each condition also says how to explain a match (its reasons), read from the same fields.
//
// What EventBridge can and cannot express shaped them:
// - numeric matching compares Toxicity and moderation confidence (`{"numeric": [">=", n]}`);
// - arrays of objects: `images.analysis.moderationLabels.Confidence` matches when any label of
//   any photo qualifies;
// - `equals-ignore-case` matches screen names the way X compares them (case-insensitively);
// - there is no case-insensitive substring match: `wildcard` is case-sensitive and
//   `equals-ignore-case` compares whole values. A keyword is therefore matched as typed, in lower
//   case, Capitalised and in UPPER case (`*refund*`, `*Refund*`, `*REFUND*`); "rEfUnD" is missed.
//   A wildcard also matches inside words ("refund" in "refunded").

import { compilePattern, DEFAULT_MAX_PATTERN_LENGTH } from '@murmur/event-pattern';
import { type AlertRaisedDetail, type MessageAnalysedDetail, SOURCES } from '@murmur/events';
import type { EventPattern } from '@murmur/ports';
import type { AlertingConfig } from './config.js';
import { ALERTING_ENV, AlertingConfigError } from './variables.js';

export type AlertConditionName =
  | 'negative-sentiment'
  | 'toxic-text'
  | 'image-moderation'
  | 'keyword'
  | 'watched-author';

export interface AlertCondition {
  name: AlertConditionName;
  /** `alerting-<name>`: the rule on the bus (the handler reads it as `ctx.ruleName`). */
  ruleName: string;
  description: string;
  severity: AlertRaisedDetail['severity'];
  eventPattern: EventPattern;
  /** Why this message matched, in words; at least one. */
  reasons(detail: MessageAnalysedDetail): string[];
}

const ANALYSED = { source: [SOURCES.analysis], 'detail-type': ['MESSAGE_ANALYSED'] };

const fixed = (n: number, digits = 2) => n.toFixed(digits).replace(/\.?0+$/, '') || '0';

function negativeSentiment(): AlertCondition {
  return {
    name: 'negative-sentiment',
    ruleName: 'alerting-negative-sentiment',
    description: 'MESSAGE_ANALYSED with NEGATIVE text sentiment -> ALERT_RAISED',
    severity: 'warning',
    eventPattern: { ...ANALYSED, detail: { analysis: { textSentiment: ['NEGATIVE'] } } },
    reasons: (d) => {
      const score = d.analysis.sentimentScore?.Negative;
      return [`sentiment NEGATIVE${score === undefined ? '' : ` (${fixed(score)})`}`];
    },
  };
}

function toxicText(threshold: number): AlertCondition {
  return {
    name: 'toxic-text',
    ruleName: 'alerting-toxic-text',
    description: `MESSAGE_ANALYSED with Toxicity >= ${threshold} -> ALERT_RAISED`,
    severity: 'critical',
    eventPattern: {
      ...ANALYSED,
      detail: { analysis: { toxicity: { Toxicity: [{ numeric: ['>=', threshold] }] } } },
    },
    reasons: (d) => {
      const toxicity = d.analysis.toxicity;
      if (!toxicity) return [`toxicity at least ${threshold}`];
      const labels = [...toxicity.Labels]
        .filter((l) => l.Score >= threshold)
        .sort((a, b) => b.Score - a.Score)
        .map((l) => `${l.Name} ${fixed(l.Score)}`);
      return [`toxicity ${fixed(toxicity.Toxicity)}${labels.length > 0 ? ` (${labels.join(', ')})` : ''}`];
    },
  };
}

function imageModeration(minConfidence: number): AlertCondition {
  return {
    name: 'image-moderation',
    ruleName: 'alerting-image-moderation',
    description: `MESSAGE_ANALYSED with a photo moderation label at >= ${minConfidence}% -> ALERT_RAISED`,
    severity: 'critical',
    eventPattern: {
      ...ANALYSED,
      detail: {
        analysis: {
          images: { analysis: { moderationLabels: { Confidence: [{ numeric: ['>=', minConfidence] }] } } },
        },
      },
    },
    reasons: (d) => {
      const reasons = d.analysis.images.flatMap((image, index) =>
        image.analysis.moderationLabels
          .filter((l) => l.Confidence >= minConfidence)
          .map((l) => `photo ${index + 1}: ${l.Name} (${fixed(l.Confidence, 1)}%)`),
      );
      return reasons.length > 0 ? reasons : [`a photo moderation label at ${minConfidence}% or more`];
    },
  };
}

/** The spellings a keyword is matched in: as typed, lower, Capitalised, UPPER. */
export function keywordSpellings(keyword: string): string[] {
  const lower = keyword.toLowerCase();
  const capitalised = lower.charAt(0).toUpperCase() + lower.slice(1);
  return [...new Set([keyword, lower, capitalised, keyword.toUpperCase()])];
}

function keyword(keywords: readonly string[]): AlertCondition {
  return {
    name: 'keyword',
    ruleName: 'alerting-keyword',
    description: 'MESSAGE_ANALYSED whose text contains a watched keyword -> ALERT_RAISED',
    severity: 'info',
    eventPattern: {
      ...ANALYSED,
      detail: {
        text: keywords.flatMap((k) => keywordSpellings(k).map((s) => ({ wildcard: `*${s}*` }))),
      },
    },
    reasons: (d) => {
      const found = keywords.filter((k) => keywordSpellings(k).some((s) => d.text.includes(s)));
      return found.length > 0 ? found.map((k) => `keyword "${k}"`) : ['a watched keyword'];
    },
  };
}

function watchedAuthor(screenNames: readonly string[], ids: readonly string[]): AlertCondition {
  const byName = { screenName: screenNames.map((n) => ({ 'equals-ignore-case': n })) };
  const byId = { id: [...ids] };
  const author =
    screenNames.length > 0 && ids.length > 0
      ? { $or: [{ author: byName }, { author: byId }] }
      : { author: screenNames.length > 0 ? byName : byId };
  return {
    name: 'watched-author',
    ruleName: 'alerting-watched-author',
    description: 'MESSAGE_ANALYSED from a watched author -> ALERT_RAISED',
    severity: 'info',
    eventPattern: { ...ANALYSED, detail: author },
    reasons: (d) => [`watched author @${d.author.screenName}`],
  };
}

/** The conditions a config turns on; NEGATIVE sentiment is always one. Each pattern is checked as EventBridge would. */
export function alertConditions(config: AlertingConfig): AlertCondition[] {
  const conditions = [negativeSentiment()];
  if (config.toxicityThreshold !== null) conditions.push(toxicText(config.toxicityThreshold));
  if (config.moderationMinConfidence !== null)
    conditions.push(imageModeration(config.moderationMinConfidence));
  if (config.keywords.length > 0) conditions.push(keyword(config.keywords));
  if (config.watchedScreenNames.length > 0 || config.watchedAuthorIds.length > 0) {
    conditions.push(watchedAuthor(config.watchedScreenNames, config.watchedAuthorIds));
  }
  for (const condition of conditions) checkPattern(condition);
  return conditions;
}

/** What to shorten, as the environment and the config (stack props) call it. */
const VARIABLE_OF: Partial<Record<AlertConditionName, string>> = {
  keyword: `${ALERTING_ENV.keywords} (keywords)`,
  'watched-author': `${ALERTING_ENV.authors} (watchedScreenNames, watchedAuthorIds)`,
};

/** A pattern EventBridge would refuse (too long, mostly) fails here, naming what to shorten. */
function checkPattern(condition: AlertCondition): void {
  const length = JSON.stringify(condition.eventPattern).length;
  if (length > DEFAULT_MAX_PATTERN_LENGTH) {
    const variable = VARIABLE_OF[condition.name];
    throw new AlertingConfigError(
      `${variable ?? condition.name}: the ${condition.ruleName} pattern would be ${length} characters; ` +
        `EventBridge takes at most ${DEFAULT_MAX_PATTERN_LENGTH}: list fewer or shorter entries`,
    );
  }
  compilePattern(condition.eventPattern);
}
