// Each alert condition against real MESSAGE_ANALYSED events, through the real matcher
// (@murmur/event-pattern, EventBridge's semantics): it matches what it should and nothing else.
import { describe, expect, it } from '@jest/globals';
import { compilePattern } from '@murmur/event-pattern';
import {
  type AlertCondition,
  type AlertConditionName,
  type AlertingConfig,
  alertConditions,
  DEFAULT_ALERTING_CONFIG,
  keywordSpellings,
} from '../src/index.js';
import { type AnalysedEvent, analysed, flaggedPhotoMessage, toxicMessage, variant } from './support.js';

function condition(name: AlertConditionName, config: Partial<AlertingConfig> = {}): AlertCondition {
  const found = alertConditions({ ...DEFAULT_ALERTING_CONFIG, ...config }).find((c) => c.name === name);
  if (!found) throw new Error(`condition ${name} is off with this config`);
  return found;
}

const matches = (c: AlertCondition, event: AnalysedEvent) => compilePattern(c.eventPattern).matches(event);

const negative = () => analysed('valid-negative-text-only');
const photo = () => analysed('valid-mention-with-photo');
const dm = () => analysed('valid-direct-message-partial-failure');

describe('the conditions a config turns on', () => {
  it('are NEGATIVE sentiment, toxic text and photo moderation by default', () => {
    expect(alertConditions(DEFAULT_ALERTING_CONFIG).map((c) => c.name)).toEqual([
      'negative-sentiment',
      'toxic-text',
      'image-moderation',
    ]);
  });

  it('always include NEGATIVE sentiment, and add keyword and author rules only when listed', () => {
    // Prepare
    const off: AlertingConfig = {
      toxicityThreshold: null,
      moderationMinConfidence: null,
      keywords: [],
      watchedScreenNames: [],
      watchedAuthorIds: [],
    };
    // Act
    const minimal = alertConditions(off).map((c) => c.ruleName);
    const all = alertConditions({ ...off, keywords: ['refund'], watchedAuthorIds: ['783214'] }).map(
      (c) => c.ruleName,
    );
    // Assess
    expect(minimal).toEqual(['alerting-negative-sentiment']);
    expect(all).toEqual(['alerting-negative-sentiment', 'alerting-keyword', 'alerting-watched-author']);
  });

  it('only ever match MESSAGE_ANALYSED from murmur.analysis', () => {
    const all = alertConditions({
      ...DEFAULT_ALERTING_CONFIG,
      keywords: ['order'],
      watchedScreenNames: ['g'],
    });
    const forged = { ...negative(), source: 'murmur.responding' };
    const otherType = { ...negative(), 'detail-type': 'MESSAGE_RECEIVED' };
    for (const c of all) {
      expect(c.eventPattern).toMatchObject({
        source: ['murmur.analysis'],
        'detail-type': ['MESSAGE_ANALYSED'],
      });
      expect(matches(c, forged)).toBe(false);
      expect(matches(c, otherType)).toBe(false);
    }
  });
});

describe('negative-sentiment', () => {
  const c = condition('negative-sentiment');

  it('matches the NEGATIVE complaint, and says how negative', () => {
    expect(matches(c, negative())).toBe(true);
    expect(c.reasons(negative().detail)).toEqual(['sentiment NEGATIVE (0.98)']);
    expect(c.severity).toBe('warning');
  });

  it('does not match POSITIVE, MIXED, or a message whose sentiment failed (null)', () => {
    expect(matches(c, photo())).toBe(false);
    expect(matches(c, dm())).toBe(false);
    const mixed = variant('valid-negative-text-only', (d) => {
      d.analysis.textSentiment = 'MIXED';
    });
    expect(matches(c, mixed)).toBe(false);
  });
});

describe('toxic-text', () => {
  it('matches Toxicity at or above the threshold (numeric matching), with the labels over it as reasons', () => {
    // Prepare
    const c = condition('toxic-text', { toxicityThreshold: 0.6 });
    const atThreshold = variant('valid-negative-text-only', (d) => {
      d.analysis.toxicity = { Toxicity: 0.6, Labels: [] };
    });
    // Act / Assess
    expect(matches(c, toxicMessage())).toBe(true);
    expect(matches(c, atThreshold)).toBe(true);
    expect(c.reasons(toxicMessage().detail)).toEqual(['toxicity 0.82 (INSULT 0.79, PROFANITY 0.64)']);
    expect(c.severity).toBe('critical');
  });

  it('does not match below the threshold (the complaint is 0.31), nor messages without toxicity analysis', () => {
    const c = condition('toxic-text');
    expect(matches(c, negative())).toBe(false);
    expect(matches(c, photo())).toBe(false);
    expect(matches(c, dm())).toBe(false);
  });

  it('follows the configured threshold', () => {
    expect(matches(condition('toxic-text', { toxicityThreshold: 0.3 }), negative())).toBe(true);
    expect(matches(condition('toxic-text', { toxicityThreshold: 0.9 }), toxicMessage())).toBe(false);
  });
});

describe('image-moderation', () => {
  const c = condition('image-moderation');

  it('matches a moderation label on any photo (an array of objects), naming the photo and label', () => {
    expect(matches(c, flaggedPhotoMessage())).toBe(true);
    expect(c.reasons(flaggedPhotoMessage().detail)).toEqual(['photo 1: Graphic Violence (91.3%)']);
  });

  it('matches when only the second of two photos is flagged', () => {
    const second = variant('valid-mention-with-photo', (d) => {
      const clean = structuredClone(d.analysis.images[0]!);
      const flagged = structuredClone(clean);
      flagged.key = 'media/2026/03/14/1900000000000000123/3_1900000000000000202.jpg';
      flagged.analysis.moderationLabels = [{ Name: 'Explicit', Confidence: 77.5 }];
      d.analysis.images = [clean, flagged];
    });
    expect(matches(c, second)).toBe(true);
    expect(c.reasons(second.detail)).toEqual(['photo 2: Explicit (77.5%)']);
  });

  it('does not match photos without labels, labels under the minimum confidence, or text only', () => {
    expect(matches(c, photo())).toBe(false);
    expect(matches(c, flaggedPhotoMessage(41))).toBe(false);
    expect(matches(c, negative())).toBe(false);
    expect(
      matches(condition('image-moderation', { moderationMinConfidence: 95 }), flaggedPhotoMessage()),
    ).toBe(false);
  });
});

describe('keyword', () => {
  it('is matched as typed, in lower case, Capitalised and UPPER case', () => {
    expect(keywordSpellings('MurmurBot')).toEqual(['MurmurBot', 'murmurbot', 'Murmurbot', 'MURMURBOT']);
    expect(keywordSpellings('order')).toEqual(['order', 'Order', 'ORDER']);
  });

  it('matches a keyword inside the text, and names the keyword', () => {
    // Prepare: the complaint says "my order never arrived"
    const c = condition('keyword', { keywords: ['refund', 'Order'] });
    // Act / Assess
    expect(matches(c, negative())).toBe(true);
    expect(c.reasons(negative().detail)).toEqual(['keyword "Order"']);
    expect(c.severity).toBe('info');
  });

  it('matches the UPPER and Capitalised spellings of a keyword', () => {
    const c = condition('keyword', { keywords: ['terrible'] });
    const shouting = variant('valid-negative-text-only', (d) => {
      d.text = '@MurmurBot TERRIBLE service';
    });
    const sentenceStart = variant('valid-negative-text-only', (d) => {
      d.text = 'Terrible service, @MurmurBot';
    });
    expect(matches(c, shouting)).toBe(true);
    expect(matches(c, sentenceStart)).toBe(true);
  });

  it('misses mixed case, as documented: EventBridge has no case-insensitive substring match', () => {
    const c = condition('keyword', { keywords: ['terrible'] });
    const mixed = variant('valid-negative-text-only', (d) => {
      d.text = 'tErRiBlE service';
    });
    expect(matches(c, mixed)).toBe(false);
  });

  it('does not match texts without the keyword', () => {
    const c = condition('keyword', { keywords: ['refund'] });
    expect(matches(c, negative())).toBe(false);
    expect(matches(c, photo())).toBe(false);
    expect(matches(c, dm())).toBe(false);
  });
});

describe('watched-author', () => {
  it('matches a screen name in any case (equals-ignore-case), as X compares them', () => {
    const c = condition('watched-author', { watchedScreenNames: ['G', 'Someone_else'] });
    expect(matches(c, negative())).toBe(true);
    expect(c.reasons(negative().detail)).toEqual(['watched author @g']);
    expect(matches(c, photo())).toBe(false);
  });

  it('matches an author id', () => {
    const c = condition('watched-author', { watchedAuthorIds: ['2244994945'] });
    expect(matches(c, photo())).toBe(true);
    expect(matches(c, dm())).toBe(true);
    expect(matches(c, negative())).toBe(false);
  });

  it('matches either a name or an id when both are listed ($or)', () => {
    const c = condition('watched-author', { watchedScreenNames: ['g'], watchedAuthorIds: ['2244994945'] });
    expect(c.eventPattern.detail).toHaveProperty('$or');
    expect(matches(c, negative())).toBe(true);
    expect(matches(c, photo())).toBe(true);
    const stranger = variant('valid-negative-text-only', (d) => {
      d.author = { id: '42', screenName: 'stranger', name: 'A Stranger' };
      d.twitter.userId = '42';
    });
    expect(matches(c, stranger)).toBe(false);
  });
});
