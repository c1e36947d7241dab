// @nlpjs/language ships no types; only what language.ts uses is declared.
declare module '@nlpjs/language' {
  export const Language: {
    /** Trigram distances per language of the text's script, as [ISO 639-3 code, relative score 0..1], best first. */
    detectAll(
      text: string,
      settings?: { minLength?: number; allowList?: string[]; denyList?: string[] },
    ): [string, number][];
  };
}
