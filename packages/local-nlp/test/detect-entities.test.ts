import { describe, expect, it } from '@jest/globals';
import { ComprehendEntitySchema } from '@murmur/events';
import { createLocalComprehend } from '../src/index.js';

const comprehend = createLocalComprehend();

async function entitiesOf(Text: string) {
  const { Entities } = await comprehend.detectEntities({ Text, LanguageCode: 'en' });
  return (Entities ?? []).map((entity) => ComprehendEntitySchema.parse(entity));
}

const brief = (entities: { Type: string; Text: string }[]) => entities.map((e) => `${e.Type}:${e.Text}`);

describe('detectEntities', () => {
  it('finds people, places, organisations, dates and quantities with Comprehend types', async () => {
    expect(brief(await entitiesOf('I met Sarah at Starbucks in London yesterday'))).toEqual([
      'PERSON:Sarah',
      'ORGANIZATION:Starbucks',
      'LOCATION:London',
      'DATE:yesterday',
    ]);
    expect(brief(await entitiesOf('Hi, I am Dr. Jane Smith from the University of Oxford'))).toEqual([
      'PERSON:Dr. Jane Smith',
      'ORGANIZATION:University of Oxford',
    ]);
    expect(brief(await entitiesOf('Tesla will sell 2 million cars in 2025, up 20%'))).toEqual(
      expect.arrayContaining(['QUANTITY:2 million', 'DATE:2025', 'QUANTITY:20%']),
    );
    expect(brief(await entitiesOf('Meeting moved to Tuesday at 3pm'))).toEqual(['DATE:Tuesday', 'DATE:3pm']);
  });

  it('names the whole name, not the part compromise knows', async () => {
    expect(brief(await entitiesOf('Taylor Swift played at Wembley Stadium'))).toEqual([
      'PERSON:Taylor Swift',
      'LOCATION:Wembley Stadium',
    ]);
  });

  it('leaves punctuation out of names', async () => {
    expect(brief(await entitiesOf('Bob lives in Seattle. He works at Microsoft.'))).toEqual([
      'PERSON:Bob',
      'LOCATION:Seattle',
      'ORGANIZATION:Microsoft',
    ]);
  });

  it('gives offsets into the input, counted in UTF-16 code units like JavaScript strings, after emoji too', async () => {
    const text = '😡😡 Tim Cook, from Apple, flew to Paris on March 3 😀 #WWDC @tim';
    const entities = await entitiesOf(text);
    expect(entities.length).toBeGreaterThanOrEqual(4);
    for (const entity of entities) {
      expect(text.slice(entity.BeginOffset, entity.EndOffset)).toBe(entity.Text);
    }
    expect(entities.find((e) => e.Text === 'Tim Cook')).toMatchObject({
      Type: 'PERSON',
      BeginOffset: 5,
      EndOffset: 13,
    });
    const begins = entities.map((e) => e.BeginOffset!);
    expect(begins).toEqual([...begins].sort((a, b) => a - b));
  });

  it('reports handles, hashtags, links and emails as OTHER, and emoji not at all', async () => {
    const entities = await entitiesOf('@airline lost my bag #fail 😡 https://t.co/abc mail help@example.com');
    expect(brief(entities)).toEqual([
      'OTHER:@airline',
      'OTHER:#fail',
      'OTHER:https://t.co/abc',
      'OTHER:help@example.com',
    ]);
  });

  it('never reports overlapping entities', async () => {
    const entities = await entitiesOf(
      'see you next week in New York City, March 3 at 5pm with President Biden',
    );
    for (const [i, a] of entities.entries()) {
      for (const b of entities.slice(i + 1)) expect(a.EndOffset! <= b.BeginOffset!).toBe(true);
    }
  });

  it('finds nothing in emoji-only text, without failing', async () => {
    expect(await entitiesOf('😡😡😡')).toEqual([]);
    expect(await entitiesOf('🎉🎉')).toEqual([]);
  });

  it('refuses languages other than English as UnsupportedLanguageException', async () => {
    await expect(
      comprehend.detectEntities({ Text: 'este servicio es terrible en Madrid', LanguageCode: 'es' }),
    ).rejects.toMatchObject({ name: 'UnsupportedLanguageException' });
  });

  it('refuses empty text as InvalidRequestException and text over 100,000 bytes as TextSizeLimitExceededException', async () => {
    await expect(comprehend.detectEntities({ Text: '', LanguageCode: 'en' })).rejects.toMatchObject({
      name: 'InvalidRequestException',
    });
    await expect(
      comprehend.detectEntities({ Text: 'é'.repeat(50_001), LanguageCode: 'en' }),
    ).rejects.toMatchObject({ name: 'TextSizeLimitExceededException' });
  });
});
