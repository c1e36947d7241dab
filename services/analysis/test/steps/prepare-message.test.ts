import { describe, expect, it } from '@jest/globals';
import { type EventEnvelope, loadExamples } from '@murmur/events';
import { InvalidMessageError, parseCallPlan, planText, prepareMessage } from '../../src/index.js';

const FULL = parseCallPlan('full');
const LEAN = parseCallPlan('lean');

const example = (name: string): EventEnvelope => {
  const found = loadExamples().find((e) => e.detailType === 'MESSAGE_RECEIVED' && e.name === name);
  if (!found) throw new Error(`no example ${name}`);
  return found.envelope;
};

describe('planText', () => {
  it.each([
    [
      'English text with X’s language',
      '@bot this is awful',
      'en',
      { sentiment: true, words: true, detectLanguage: false, languageCode: 'en' },
    ],
    [
      'text with no language from X',
      'este servicio es terrible',
      undefined,
      { words: true, detectLanguage: true, languageCode: null },
    ],
    ['X’s "und"', 'hola', 'und', { detectLanguage: true, languageCode: null }],
    [
      'emoji only: sentiment in English, nothing else',
      '@bot 😡😡😡',
      'und',
      { sentiment: true, words: false, detectLanguage: false, languageCode: 'en' },
    ],
    [
      'only a handle and a link',
      '@bot https://t.co/abc',
      'en',
      { sentiment: false, words: false, detectLanguage: false },
    ],
    [
      'empty text',
      '',
      undefined,
      { sentiment: false, words: false, detectLanguage: false, languageCode: null },
    ],
    ['punctuation only', '?!', undefined, { sentiment: false, words: false }],
  ])('%s', (_label, text, lang, expected) => {
    expect(planText(text, lang, FULL)).toMatchObject(expected);
  });

  it('blanks handles and links with spaces, so offsets still point into the original text', () => {
    const original = '@MurmurBot look at https://t.co/aB3 the Science Museum';
    const { text } = planText(original, 'en', FULL);
    expect(text).toHaveLength(original.length);
    expect(text.indexOf('Science Museum')).toBe(original.indexOf('Science Museum'));
    expect(text).not.toMatch(/@MurmurBot|https/);
  });

  it('plans entities and key phrases only when the plan has them and there are words', () => {
    expect(planText('the Science Museum in London', 'en', FULL)).toMatchObject({
      entities: true,
      keyPhrases: true,
      toxicity: true,
    });
    expect(planText('the Science Museum in London', 'en', LEAN)).toMatchObject({
      entities: false,
      keyPhrases: false,
      toxicity: false,
    });
    expect(planText('😡😡', 'en', FULL)).toMatchObject({ entities: false, keyPhrases: false });
  });
});

describe('prepareMessage', () => {
  it('keeps the identity for the result, and lists the photos (not videos) to download', () => {
    const event = example('valid-mention-with-photos');
    const detail = event.detail as { media: unknown[] };
    detail.media.push({ type: 'video', url: 'https://pbs.twimg.com/v.jpg', mediaKey: '7_1' });
    const prepared = prepareMessage(event, { calls: LEAN });
    expect(prepared.message).toMatchObject({
      messageId: '1900000000000000123',
      tweetId: '1900000000000000123',
      kind: 'mention',
      author: { screenName: 'ada_l' },
    });
    expect(prepared.photos).toEqual([
      expect.objectContaining({
        mediaKey: '3_1900000000000000201',
        index: 0,
        createdAt: '2026-03-14T09:26:52Z',
      }),
      expect.objectContaining({ mediaKey: '3_1900000000000000202', index: 1 }),
    ]);
    expect(prepared.text.toxicity).toBe(false);
    // Every photo carries the plan the Map's Choice rules read.
    expect(prepared.photos.map((p) => p.plan)).toEqual([
      { text: true, celebrities: true, faces: false, moderation: false },
      { text: true, celebrities: true, faces: false, moderation: false },
    ]);
  });

  it('carries the DM ids of a direct message', () => {
    const prepared = prepareMessage(example('valid-direct-message'), { calls: FULL });
    expect(prepared.message.dmId).toBeDefined();
    expect(prepared.message.conversationId).toBeDefined();
    expect(prepared.message.tweetId).toBeUndefined();
  });

  it.each([
    ['no detail', (e: EventEnvelope) => ({ ...e, detail: undefined }), 'detail'],
    [
      'another detail-type',
      (e: EventEnvelope) => ({ ...e, 'detail-type': 'MESSAGE_ANALYSED' }),
      'detail-type',
    ],
    [
      'a detail without its author',
      (e: EventEnvelope) => ({ ...e, detail: { ...e.detail, author: undefined } }),
      'detail.author',
    ],
    ['not an object', () => 'MESSAGE_RECEIVED', '(input)'],
  ])('refuses an input with %s, naming the field', (_label, mutate, field) => {
    const input = mutate(example('valid-mention-with-photos'));
    expect(() => prepareMessage(input, { calls: FULL })).toThrow(InvalidMessageError);
    expect(() => prepareMessage(input, { calls: FULL })).toThrow(field);
  });
});
