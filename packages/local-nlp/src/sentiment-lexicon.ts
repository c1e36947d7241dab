// Corrections to wink's sentiment lexicon for social posts. Wink scores emoji, but some common ones
// are missing (🤬, 🙄, 😭) or oddly weak (😡 is only -0.2, milder than "sad"), and a few words
// score as if they were praise when on X they are filler ("okay" +0.8, "please" +0.2).
// Scores are in wink's scale, -1..1 (an AFINN score / 5).

export const SCORE_OVERRIDES: ReadonlyMap<string, number> = new Map([
  // Anger and disgust.
  ['😡', -0.8],
  ['🤬', -0.9],
  ['😠', -0.7],
  ['😤', -0.5],
  ['🖕', -0.9],
  ['🤮', -0.8],
  ['🤢', -0.6],
  ['💩', -0.6],
  ['👎', -0.6],
  ['🙄', -0.4],
  ['🤡', -0.4],
  // Sadness and fear.
  ['😢', -0.5],
  ['😭', -0.5],
  ['😞', -0.5],
  ['😔', -0.4],
  ['😒', -0.5],
  ['😩', -0.5],
  ['💔', -0.6],
  ['😱', -0.3],
  ['😰', -0.4],
  ['😬', -0.2],
  // Faces that are not verdicts.
  ['😐', 0],
  ['😑', -0.1],
  ['🤔', 0],
  // Joy wink does not know.
  ['🥰', 0.8],
  ['🥳', 0.8],
  ['🙂', 0.4],
  ['🤣', 0.5],
  ['😂', 0.4],
  ['✅', 0.3],
  ['❌', -0.3],
  // Complaints about services that the general-purpose lexicon misses or scores faintly.
  ['delayed', -0.4],
  ['cancelled', -0.5],
  ['canceled', -0.5],
  ['slow', -0.4],
  ['laggy', -0.5],
  ['buggy', -0.5],
  ['crash', -0.5],
  ['crashes', -0.5],
  ['crashed', -0.5],
  ['crashing', -0.5],
  ['outage', -0.5],
  ['unusable', -0.6],
  // Politeness, filler and idiom ("can't believe it"), not opinions.
  ['okay', 0.2],
  ['ok', 0.1],
  ['please', 0],
  ['pls', 0],
  ['plz', 0],
  ['believe', 0],
]);

/** Words that strengthen the opinion right after them ("so good", "fucking awful"). */
export const INTENSIFIERS: ReadonlySet<string> = new Set([
  'very',
  'really',
  'so',
  'soo',
  'sooo',
  'extremely',
  'super',
  'totally',
  'absolutely',
  'completely',
  'incredibly',
  'truly',
  'fucking',
  'freaking',
  'damn',
  'bloody',
]);
export const INTENSIFIER_FACTOR = 1.3;

/**
 * First words that make a sentence a question or a request. Mild lexicon words there are
 * politeness or topic ("can you tell me a *joke*", "please *help*"), not the writer's mood.
 */
export const REQUEST_OPENERS: ReadonlySet<string> = new Set([
  'what',
  'when',
  'where',
  'who',
  'whom',
  'whose',
  'why',
  'how',
  'which',
  'can',
  'could',
  'would',
  'will',
  'do',
  'does',
  'did',
  'is',
  'are',
  'am',
  'was',
  'were',
  'should',
  'shall',
  'may',
  'might',
  'please',
  'pls',
  'plz',
  'tell',
  'show',
  'give',
  'send',
  'help',
  'let',
  'explain',
]);

/** Conjunctions that set two opinions against each other: with one between them, MIXED is likely. */
export const CONTRASTS: ReadonlySet<string> = new Set([
  'but',
  'however',
  'although',
  'though',
  'yet',
  'whereas',
]);

/** Verbs after which a negation is emphasis, not denial ("can't believe it", "can't wait"). */
export const NEGATION_IDIOMS: ReadonlySet<string> = new Set(['believe', 'wait']);
