// Wink's tokens with what every API here needs: their text, kind, part of speech and where they
// sit in the input (wink gives token indexes, Comprehend gives character offsets).
import type { Document, WinkMethods } from 'wink-nlp';

export interface Token {
  text: string;
  /** Lower-cased, as wink's lexicon sees it. */
  normal: string;
  /** wink's token type: word, number, punctuation, emoji, emoticon, mention, hashtag, url, email, … */
  type: string;
  pos: string;
  negated: boolean;
  /** UTF-16 offsets into the text read: `text.slice(begin, end) === token.text`. */
  begin: number;
  end: number;
}

export function tokensOf(nlp: WinkMethods, doc: Document, text: string): Token[] {
  const its = nlp.its;
  const tokens = doc.tokens();
  const values = tokens.out();
  const normals = tokens.out(its.normal);
  const types = tokens.out(its.type);
  const pos = tokens.out(its.pos);
  const negated = tokens.out(its.negationFlag) as unknown as boolean[];
  const result: Token[] = [];
  let cursor = 0;
  values.forEach((value, i) => {
    // Wink keeps each token's characters as written, so the next occurrence is the token itself.
    const found = text.indexOf(value, cursor);
    const begin = found < 0 ? cursor : found;
    cursor = begin + value.length;
    result.push({
      text: value,
      normal: normals[i] ?? value.toLowerCase(),
      type: types[i] ?? 'word',
      pos: pos[i] ?? 'X',
      negated: negated[i] === true,
      begin,
      end: cursor,
    });
  });
  return result;
}

/** Sentences as inclusive token-index spans. */
export function sentenceSpans(nlp: WinkMethods, doc: Document): [number, number][] {
  return doc.sentences().out(nlp.its.span) as unknown as [number, number][];
}

/** Tokens that are X furniture, not language: they never carry sentiment or make phrases. */
export const NON_LANGUAGE_TYPES: ReadonlySet<string> = new Set(['mention', 'hashtag', 'url', 'email']);
