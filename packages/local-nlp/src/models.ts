// The local models, each loaded once per process on first use: wink's English model and
// compromise each take a few hundred milliseconds to load, so importing this package costs
// nothing until a call needs them.
import type { englishDataset, RegExpMatcher } from 'obscenity';
import type { Document, WinkMethods } from 'wink-nlp';

/** One sentiment-bearing token run that wink's lexicon matched: token indexes (inclusive), score in [-1, 1]. */
export interface LexiconHit {
  start: number;
  end: number;
  score: number;
}

export interface WinkReading {
  doc: Document;
  /** Wink's own per-match polarities, before it averages them into a sentence score. */
  hits: LexiconHit[];
}

export interface Wink {
  nlp: WinkMethods;
  read(text: string): WinkReading;
}

interface SaModel {
  machines: unknown;
  setter: (px: [number, number, string | number][], ...rest: unknown[]) => void;
}

let wink: Promise<Wink> | undefined;

/**
 * wink-nlp with its English web model. Its document API only exposes averaged sentence
 * sentiment, which turns one mildly positive word ("joke") into a confidently positive text;
 * so the model's sentiment setter is wrapped to also record each lexicon match, and
 * sentiment.ts weighs those itself. readDoc is synchronous, so one capture slot is enough.
 */
export function loadWink(): Promise<Wink> {
  wink ??= (async () => {
    const [{ default: winkNLP }, { default: baseModel }] = await Promise.all([
      import('wink-nlp'),
      import('wink-eng-lite-web-model'),
    ]);
    let captured: LexiconHit[] = [];
    const loadSa = baseModel.sa as unknown as () => SaModel;
    const model = Object.assign(Object.create(null), baseModel, {
      sa: (): SaModel => {
        const sa = loadSa();
        return {
          machines: sa.machines,
          setter: (px, ...rest) => {
            // Read before wink's setter, which rewrites the scores in place.
            captured = px.map(([start, end, score]) => ({ start, end, score: Number(score) / 1000 }));
            sa.setter(px, ...rest);
          },
        };
      },
    });
    const nlp = winkNLP(model);
    return {
      nlp,
      read(text: string): WinkReading {
        captured = [];
        const doc = nlp.readDoc(text);
        const hits = captured;
        captured = [];
        return { doc, hits };
      },
    };
  })();
  return wink;
}

export type Compromise = typeof import('compromise/two').default;

let compromise: Promise<Compromise> | undefined;

/**
 * compromise's tagger ("two"): it already tags people, places and organisations; the full build
 * ("three") adds phrase methods entities.ts does not use, and doubles the time per text.
 */
export function loadCompromise(): Promise<Compromise> {
  compromise ??= import('compromise/two').then((m) => m.default);
  return compromise;
}

export interface Obscenity {
  matcher: RegExpMatcher;
  dataset: typeof englishDataset;
}

let obscenity: Promise<Obscenity> | undefined;

/** obscenity's English profanity matcher, with its recommended leet-speak and look-alike handling. */
export function loadObscenity(): Promise<Obscenity> {
  obscenity ??= import('obscenity').then(
    ({ RegExpMatcher, englishDataset, englishRecommendedTransformers }) => ({
      matcher: new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers }),
      dataset: englishDataset,
    }),
  );
  return obscenity;
}
