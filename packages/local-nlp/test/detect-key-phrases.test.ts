import { describe, expect, it } from '@jest/globals';
import { KeyPhraseSchema } from '@murmur/events';
import { createLocalComprehend } from '../src/index.js';

const comprehend = createLocalComprehend();

async function phrasesOf(Text: string) {
  const { KeyPhrases } = await comprehend.detectKeyPhrases({ Text, LanguageCode: 'en' });
  return (KeyPhrases ?? []).map((phrase) => KeyPhraseSchema.parse(phrase));
}

const texts = async (Text: string) => (await phrasesOf(Text)).map((p) => p.Text);

describe('detectKeyPhrases', () => {
  it('returns noun phrases with their determiners and modifiers, as Comprehend does', async () => {
    expect(await texts('@bot this is the worst service ever, I hate it')).toEqual(['the worst service']);
    expect(await texts('@bot can you tell me a joke?')).toEqual(['a joke']);
    expect(await texts("I'm at the Bank of America with my brother")).toEqual([
      'the Bank of America',
      'my brother',
    ]);
  });

  it('keeps a date or an amount together as one phrase', async () => {
    expect(await texts('Amazon was founded July 5th, 1994 by Jeff Bezos')).toEqual(
      expect.arrayContaining(['July 5th, 1994', 'Jeff Bezos']),
    );
    expect(await texts('Flight delayed 3 hours again')).toContain('3 hours');
  });

  it('leaves out pronouns, handles, hashtags, links and emoji', async () => {
    const phrases = await texts('@bot I love it 😍 #blessed https://t.co/abc');
    expect(phrases).toEqual([]);
  });

  it('gives offsets into the input, after emoji too', async () => {
    const text = '🎉🎉 the new phone from my favourite brand arrived 🙌 with a cracked screen';
    const phrases = await phrasesOf(text);
    expect(phrases.map((p) => p.Text)).toEqual(['the new phone', 'my favourite brand', 'a cracked screen']);
    for (const phrase of phrases) expect(text.slice(phrase.BeginOffset, phrase.EndOffset)).toBe(phrase.Text);
  });

  it('finds nothing in emoji-only text, without failing', async () => {
    expect(await phrasesOf('😡😡😡')).toEqual([]);
  });

  it('refuses languages other than English as UnsupportedLanguageException', async () => {
    await expect(
      comprehend.detectKeyPhrases({ Text: 'el servicio es terrible', LanguageCode: 'es' }),
    ).rejects.toMatchObject({
      name: 'UnsupportedLanguageException',
    });
  });

  it('refuses empty text as InvalidRequestException', async () => {
    await expect(comprehend.detectKeyPhrases({ Text: '', LanguageCode: 'en' })).rejects.toMatchObject({
      name: 'InvalidRequestException',
    });
  });
});
