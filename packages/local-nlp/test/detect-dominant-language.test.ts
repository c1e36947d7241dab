import type { DetectDominantLanguageResponse } from '@aws-sdk/client-comprehend';
import { describe, expect, it } from '@jest/globals';
import { ComprehendError, createLocalComprehend, NO_LETTERS_SCORE } from '../src/index.js';

const comprehend = createLocalComprehend();
const languagesOf = async (Text: string) =>
  (await comprehend.detectDominantLanguage({ Text })).Languages ?? [];

function assertShape(response: DetectDominantLanguageResponse): void {
  const languages = response.Languages ?? [];
  expect(languages.length).toBeGreaterThan(0);
  for (const language of languages) {
    expect(language).toEqual({
      LanguageCode: expect.stringMatching(/^[a-z]{2,3}(-[A-Z]{2})?$/),
      Score: expect.any(Number),
    });
    expect(language.Score).toBeGreaterThan(0);
    expect(language.Score).toBeLessThanOrEqual(1);
  }
  const scores = languages.map((l) => l.Score!);
  expect(scores).toEqual([...scores].sort((a, b) => b - a));
}

describe('detectDominantLanguage', () => {
  it.each([
    ['@bot can you tell me a joke?', 'en'],
    ['what time is it in London', 'en'],
    ['lol', 'en'],
    ['great job team', 'en'],
    ['Bob lives in Seattle. He is a software engineer at Amazon.', 'en'],
    ['este servicio es terrible, lo odio', 'es'],
    ['merci beaucoup pour votre aide', 'fr'],
    ['ich liebe dich', 'de'],
    ['Buongiorno a tutti', 'it'],
    ['que horas são agora?', 'pt'],
    ['dank je wel', 'nl'],
    ['Привет, как дела?', 'ru'],
    ['こんにちは元気ですか', 'ja'],
    ['你好吗', 'zh'],
    ['안녕하세요', 'ko'],
  ])('finds %j to be %s', async (text, code) => {
    const response = await comprehend.detectDominantLanguage({ Text: text });
    assertShape(response);
    expect(response.Languages?.[0]?.LanguageCode).toBe(code);
  });

  it('is confident on a clear sentence and less so on one word', async () => {
    const [sentence] = await languagesOf('Bob lives in Seattle. He is a software engineer at Amazon.');
    expect(sentence?.Score).toBeGreaterThan(0.9);
    const [word] = await languagesOf('Paris');
    expect(word?.Score).toBeLessThan(0.6);
  });

  it('ignores handles and links, which are not language', async () => {
    const [top] = await languagesOf(
      '@gracias_amigo @hola_mundo https://ejemplo.es/hola the weather is nice today',
    );
    expect(top?.LanguageCode).toBe('en');
  });

  it('answers English with a no-evidence score for text without letters, never an empty list', async () => {
    for (const text of ['😡😡😡', '🎉🎉', '12345 !!!', '@bot 🔥 https://t.co/x']) {
      const response = await comprehend.detectDominantLanguage({ Text: text });
      assertShape(response);
      expect(response.Languages).toEqual([{ LanguageCode: 'en', Score: NO_LETTERS_SCORE }]);
    }
  });

  it('refuses empty text as InvalidRequestException', async () => {
    const refusal = comprehend.detectDominantLanguage({ Text: '' });
    await expect(refusal).rejects.toBeInstanceOf(ComprehendError);
    await expect(refusal).rejects.toMatchObject({ name: 'InvalidRequestException' });
    await expect(comprehend.detectDominantLanguage({ Text: undefined })).rejects.toMatchObject({
      name: 'InvalidRequestException',
    });
  });

  it('refuses text over 100,000 UTF-8 bytes as TextSizeLimitExceededException', async () => {
    await expect(comprehend.detectDominantLanguage({ Text: 'a'.repeat(100_001) })).rejects.toMatchObject({
      name: 'TextSizeLimitExceededException',
    });
  });
});
