import { describe, expect, it } from '@jest/globals';
import { ToxicitySchema } from '@murmur/events';
import { createLocalComprehend } from '../src/index.js';

const comprehend = createLocalComprehend();
const COMPREHEND_LABELS = [
  'PROFANITY',
  'HATE_SPEECH',
  'INSULT',
  'GRAPHIC',
  'HARASSMENT_OR_ABUSE',
  'SEXUAL',
  'VIOLENCE_OR_THREAT',
];

async function toxicityOf(...texts: string[]) {
  const { ResultList } = await comprehend.detectToxicContent({
    TextSegments: texts.map((Text) => ({ Text })),
    LanguageCode: 'en',
  });
  return (ResultList ?? []).map((result) => ToxicitySchema.parse(result));
}

/** The labels that scored above "no evidence", highest first. */
async function flagged(text: string): Promise<string[]> {
  const [result] = await toxicityOf(text);
  return result!.Labels.filter((l) => l.Score > 0.2)
    .sort((a, b) => b.Score - a.Score)
    .map((l) => l.Name);
}

describe('detectToxicContent', () => {
  it('answers one result per segment, in order, each with all seven of Comprehend labels', async () => {
    const results = await toxicityOf('have a nice day', 'what the fuck is this shit', 'I will kill you');
    expect(results).toHaveLength(3);
    for (const result of results) expect(result.Labels.map((l) => l.Name)).toEqual(COMPREHEND_LABELS);
    expect(results[0]!.Toxicity).toBeLessThan(0.05);
    expect(results[1]!.Toxicity).toBeGreaterThan(0.8);
    expect(results[2]!.Toxicity).toBeGreaterThan(0.8);
  });

  it('finds profanity with obscenity, through leet-speak and masking', async () => {
    expect(await flagged('what the fuck is this shit')).toEqual(['PROFANITY']);
    expect(await flagged('f*ck this')).toEqual(['PROFANITY']);
    expect(await flagged('you stupid b1tch')).toEqual(expect.arrayContaining(['PROFANITY', 'INSULT']));
  });

  it('does not see profanity inside innocent words', async () => {
    expect(await flagged('Scunthorpe is a lovely town, we were assessing the class')).toEqual([]);
  });

  it('scores insults and threats higher when they are aimed at someone', async () => {
    const [aimed, about] = await toxicityOf('you are an idiot', 'this app is garbage');
    const insult = (r: typeof aimed) => r!.Labels.find((l) => l.Name === 'INSULT')!.Score;
    expect(insult(aimed)).toBeGreaterThan(insult(about));
    expect(await flagged('I will kill you')).toEqual(['VIOLENCE_OR_THREAT']);
    const [threat, figure] = await toxicityOf('I will kill you', 'this traffic is killing me');
    expect(threat!.Toxicity).toBeGreaterThan(figure!.Toxicity);
  });

  it('labels harassment, slurs, sexual and graphic content', async () => {
    expect(await flagged('shut up, nobody likes you')).toEqual(['HARASSMENT_OR_ABUSE']);
    expect(await flagged('kill yourself')).toEqual(
      expect.arrayContaining(['HARASSMENT_OR_ABUSE', 'VIOLENCE_OR_THREAT']),
    );
    expect(await flagged('go back home you retard')).toEqual(
      expect.arrayContaining(['HATE_SPEECH', 'PROFANITY']),
    );
    expect(await flagged('send me your pussy pics')).toEqual(expect.arrayContaining(['SEXUAL']));
    expect(await flagged('the video shows a decapitated body')).toEqual(['GRAPHIC']);
  });

  it('sees nothing toxic in emoji-only text', async () => {
    const [result] = await toxicityOf('😡😡😡');
    expect(result!.Toxicity).toBeLessThan(0.05);
  });

  it('reads English only, as Comprehend does: other languages are UnsupportedLanguageException', async () => {
    await expect(
      comprehend.detectToxicContent({ TextSegments: [{ Text: 'eres un idiota' }], LanguageCode: 'es' }),
    ).rejects.toMatchObject({ name: 'UnsupportedLanguageException' });
  });

  it("enforces Comprehend's segment limits", async () => {
    const request = (texts: string[]) =>
      comprehend.detectToxicContent({ TextSegments: texts.map((Text) => ({ Text })), LanguageCode: 'en' });
    await expect(request([])).rejects.toMatchObject({ name: 'InvalidRequestException' });
    await expect(request([''])).rejects.toMatchObject({ name: 'InvalidRequestException' });
    await expect(request(Array(11).fill('hello'))).rejects.toMatchObject({ name: 'InvalidRequestException' });
    await expect(request(['a'.repeat(1_001)])).rejects.toMatchObject({
      name: 'TextSizeLimitExceededException',
    });
    await expect(request(Array(10).fill('a'.repeat(1_000)))).resolves.toMatchObject({
      ResultList: expect.any(Array),
    });
  });
});
