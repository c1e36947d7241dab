// Lex V2 session ids must match [0-9a-zA-Z._:-]+ and be 2 to 100 characters. Screen names can
// hold `_` and be one character long, so the session is keyed on the author's numeric id.
const LEX_SESSION_ID = /^[0-9a-zA-Z._:-]{2,100}$/;

export function lexSessionId(authorId: string): string {
  const id = `x-${authorId}`;
  if (!LEX_SESSION_ID.test(id)) throw new Error(`cannot make a Lex session id from author id "${authorId}"`);
  return id;
}

export function isValidLexSessionId(id: string): boolean {
  return LEX_SESSION_ID.test(id);
}

/**
 * The RecognizeText request attribute that carries the seed (the message answered) to the
 * fulfilment Lambda, so a retry picks the same joke there, as the local bot does. Names starting
 * `x-amz-lex:` are Lex's own.
 */
export const LEX_SEED_ATTRIBUTE = 'murmur-seed';
