import { describe, expect, it } from '@jest/globals';
import { SentimentSchema, SentimentScoreSchema } from '@murmur/events';
import { ComprehendError, createLocalComprehend, SENTIMENT_READ_CHARS } from '../src/index.js';

const comprehend = createLocalComprehend();
const sentimentOf = (Text: string) => comprehend.detectSentiment({ Text, LanguageCode: 'en' });

// Posts as they reach the bot, with the label a reader (and Comprehend) would give them.
const POSTS: [string, 'POSITIVE' | 'NEGATIVE' | 'NEUTRAL' | 'MIXED'][] = [
  ['@bot this is the worst service ever, I hate it', 'NEGATIVE'],
  ['@bot can you tell me a joke?', 'NEUTRAL'],
  ['what time is it in London', 'NEUTRAL'],
  ['I absolutely love this app, best update ever! 🎉', 'POSITIVE'],
  ['@AcmeSupport my order arrived broken and nobody answers. Terrible.', 'NEGATIVE'],
  ['this is not good', 'NEGATIVE'],
  ['not bad at all, pretty impressed tbh', 'POSITIVE'],
  ['The food was great but the service was terrible', 'MIXED'],
  ['I love the camera but the battery life is awful', 'MIXED'],
  ['Thanks so much for the quick help! 🙏', 'POSITIVE'],
  ['Flight delayed 3 hours again @airline #fail', 'NEGATIVE'],
  ['Just landed in Paris https://t.co/abc123', 'NEUTRAL'],
  ['Can someone explain how the new pricing works?', 'NEUTRAL'],
  ["omg I can't believe we won!!! so proud of this team 💪", 'POSITIVE'],
  ["I'm so disappointed with the update, everything crashes now 😢", 'NEGATIVE'],
  ['Meeting moved to Tuesday at 3pm', 'NEUTRAL'],
  ['please help me reset my password', 'NEUTRAL'],
  ['why is your app so slow?? fix it', 'NEGATIVE'],
  ['@Delta lost my bag again. Thanks a lot.', 'NEGATIVE'],
  ['Is the store open on Sunday?', 'NEUTRAL'],
];

describe('detectSentiment', () => {
  it.each(POSTS)('reads %j as %s', async (text, expected) => {
    const result = await sentimentOf(text);
    expect(result.Sentiment).toBe(expected);
  });

  it("answers in Comprehend's shape, with scores that sum to 1 and a label that is the top score", async () => {
    for (const [text] of POSTS) {
      const { Sentiment, SentimentScore } = await sentimentOf(text);
      SentimentSchema.parse(Sentiment);
      const scores = SentimentScoreSchema.parse(SentimentScore);
      expect(scores.Positive + scores.Negative + scores.Neutral + scores.Mixed).toBeCloseTo(1, 6);
      const key = { POSITIVE: 'Positive', NEGATIVE: 'Negative', NEUTRAL: 'Neutral', MIXED: 'Mixed' } as const;
      const top = Math.max(scores.Positive, scores.Negative, scores.Neutral, scores.Mixed);
      expect(scores[key[Sentiment!]]).toBe(top);
    }
  });

  it('turns a sentiment word around after a negation', async () => {
    expect((await sentimentOf('this is good')).Sentiment).toBe('POSITIVE');
    expect((await sentimentOf('this is not good')).Sentiment).toBe('NEGATIVE');
    expect((await sentimentOf('I like it')).Sentiment).toBe('POSITIVE');
    expect((await sentimentOf("I don't like it")).Sentiment).toBe('NEGATIVE');
  });

  it('reads emoji-only posts from the emoji, without failing', async () => {
    expect((await sentimentOf('😡😡😡')).Sentiment).toBe('NEGATIVE');
    expect((await sentimentOf('🎉🎉')).Sentiment).toBe('POSITIVE');
    expect((await sentimentOf('🤔')).Sentiment).toBe('NEUTRAL');
  });

  it('gives handles, hashtags and links no sentiment of their own', async () => {
    const furniture = await sentimentOf('@love_machine #happy #blessed https://example.com/awesome');
    expect(furniture.Sentiment).toBe('NEUTRAL');
    expect(furniture.SentimentScore?.Neutral).toBeGreaterThan(0.99);
  });

  it('makes a stronger case stronger: more evidence, higher score', async () => {
    const one = await sentimentOf('good');
    const many = await sentimentOf('good, great, wonderful!');
    expect(many.SentimentScore!.Positive!).toBeGreaterThan(one.SentimentScore!.Positive!);
  });

  it(`reads only the first ${SENTIMENT_READ_CHARS} characters, as Comprehend does`, async () => {
    const filler = 'The meeting is on the calendar. '.repeat(20);
    expect(filler.length).toBeGreaterThan(SENTIMENT_READ_CHARS);
    const late = await sentimentOf(`${filler}I hate this, it is awful and terrible.`);
    expect(late.Sentiment).toBe('NEUTRAL');
    const early = await sentimentOf(`I hate this, it is awful and terrible. ${filler}`);
    expect(early.Sentiment).toBe('NEGATIVE');
  });

  it('refuses languages the local model cannot read, as UnsupportedLanguageException', async () => {
    const refusal = comprehend.detectSentiment({
      Text: 'este servicio es terrible, lo odio',
      LanguageCode: 'es',
    });
    await expect(refusal).rejects.toBeInstanceOf(ComprehendError);
    await expect(refusal).rejects.toMatchObject({ name: 'UnsupportedLanguageException', $fault: 'client' });
  });

  it('refuses text over 5,000 UTF-8 bytes as TextSizeLimitExceededException, counting bytes not characters', async () => {
    await expect(sentimentOf('a'.repeat(5_000))).resolves.toMatchObject({ Sentiment: 'NEUTRAL' });
    await expect(sentimentOf('a'.repeat(5_001))).rejects.toMatchObject({
      name: 'TextSizeLimitExceededException',
    });
    // 1,251 emoji are 2,502 UTF-16 characters but 5,004 bytes.
    await expect(sentimentOf('😀'.repeat(1_251))).rejects.toMatchObject({
      name: 'TextSizeLimitExceededException',
    });
  });

  it('refuses empty text and a missing language as InvalidRequestException', async () => {
    await expect(sentimentOf('')).rejects.toMatchObject({ name: 'InvalidRequestException' });
    await expect(
      comprehend.detectSentiment({ Text: 'hello', LanguageCode: undefined }),
    ).rejects.toMatchObject({
      name: 'InvalidRequestException',
    });
  });
});
