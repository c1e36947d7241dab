import { beforeAll, describe, expect, it } from '@jest/globals';
import { FACTS } from '../src/chatbot/corpora/facts.js';
import { JOKES } from '../src/chatbot/corpora/jokes.js';
import {
  CHATBOT,
  checkCorpus,
  FALLBACK_INTENT,
  fitReply,
  isValidLexSessionId,
  type LocalChatbot,
  lexSessionId,
  loadCorpora,
  MAX_TWEET_WEIGHT,
  trainLocalChatbot,
  tweetWeight,
} from '../src/index.js';

const corpus = (name: 'jokes' | 'facts') => (name === 'jokes' ? JOKES : FACTS).entries;

describe('the local chat bot, trained from the one definition', () => {
  let bot: LocalChatbot;
  beforeAll(async () => {
    bot = await trainLocalChatbot(CHATBOT);
  });

  it.each([
    ['@murmurbot tell me a joke!', 'TellJoke'],
    ['can you make me laugh?', 'TellJoke'],
    ['any fun facts?', 'TellFact'],
    ['tell me a fact about space', 'TellFact'],
    ['hello! what can you do?', 'Help'],
    ['hi there', 'Greeting'],
    ['thanks!', 'Thanks'],
    ['@murmurbot this is the worst service ever, I hate it', 'Complaint'],
    ['my parcel never arrived and nobody answers', 'Complaint'],
    ['I want my money back, this is terrible', 'Complaint'],
    ['the weather in Leeds is grim today', FALLBACK_INTENT],
    ['this is my cat on the sofa', FALLBACK_INTENT],
    ['this, exactly', FALLBACK_INTENT],
    [
      '@murmurbot this is a long question that goes on past the old limit of one hundred and forty characters, so X truncates it',
      FALLBACK_INTENT,
    ],
  ])('%s -> %s', async (text, intent) => {
    const answer = await bot.recognizeText({ sessionId: 'x-1', text, seed: text });
    expect(answer.sessionState.intent.name).toBe(intent);
    expect(answer.sessionState.intent.state).toBe('Fulfilled');
    expect(answer.messages[0]!.content.length).toBeGreaterThan(0);
  });

  it('answers a joke from the corpus shipped in the repository, the same one for the same message', async () => {
    const a = await bot.recognizeText({ sessionId: 'x-1', text: 'tell me a joke', seed: 'message-1' });
    const b = await bot.recognizeText({ sessionId: 'x-1', text: 'tell me a joke', seed: 'message-1' });
    expect(corpus('jokes').map((j) => j.text)).toContain(a.messages[0]!.content);
    expect(b.messages[0]!.content).toBe(a.messages[0]!.content);
  });

  it('fills the topic slot as Lex does, and draws the fact from that topic', async () => {
    const answer = await bot.recognizeText({
      sessionId: 'x-1',
      text: 'tell me a fact about animals',
      seed: 's',
    });
    expect(answer.sessionState.intent.slots.topic?.value.interpretedValue).toBe('animals');
    const animalFacts = corpus('facts')
      .filter((f) => f.topic === 'animals')
      .map((f) => f.text);
    expect(animalFacts).toContain(answer.messages[0]!.content);
  });

  it('falls back, with no confidence score, below the threshold', async () => {
    const answer = await bot.recognizeText({ sessionId: 'x-1', text: 'qwerty zxcv', seed: 's' });
    expect(answer.sessionState.intent.name).toBe(FALLBACK_INTENT);
    expect(answer.messages[0]!.content).toBe(CHATBOT.fallback.responses[0]);
    expect(answer.interpretations[0]).toEqual({ intent: { name: FALLBACK_INTENT } });
  });
});

describe('the corpora', () => {
  it('are checked when first used, and the shipped ones pass', () => {
    expect(loadCorpora().jokes.entries.length).toBe(JOKES.entries.length);
    expect(loadCorpora().facts.entries.length).toBe(FACTS.entries.length);
  });

  it('refuse an empty entry, naming the corpus and the entry', () => {
    const corpus = { source: 'hand-edited', entries: [{ text: 'A joke.' }, { text: '  ' }] };
    expect(() => checkCorpus('jokes', corpus)).toThrow('corpus jokes: entries.1.text:');
    expect(() => checkCorpus('facts', { source: 'x', entries: [] })).toThrow('corpus facts: entries:');
  });
});

describe('lexSessionId', () => {
  it.each([
    ['ada_l', '2244994945'],
    ['a', '7'],
  ])('gives Lex a valid session id for @%s, keyed on the author id', (screenName, authorId) => {
    expect(isValidLexSessionId(lexSessionId(authorId))).toBe(true);
    expect(lexSessionId(authorId)).not.toContain(screenName === 'a' ? 'x-a' : screenName);
  });

  it('refuses what Lex refuses: one character, or characters outside [0-9a-zA-Z._:-]', () => {
    expect(isValidLexSessionId('a')).toBe(false);
    expect(isValidLexSessionId('ada l')).toBe(false);
    expect(isValidLexSessionId('ada_l')).toBe(true);
  });
});

describe('fitReply', () => {
  it('keeps a short reply whole, with the @mention', () => {
    expect(fitReply('ada_l', 'Hello!')).toBe('@ada_l Hello!');
  });

  it('cuts a reply that would pass 280 weighted characters, the @mention included', () => {
    const long = 'word '.repeat(100).trim();
    const reply = fitReply('a', long);
    expect(tweetWeight(`@a ${long}`)).toBeGreaterThan(MAX_TWEET_WEIGHT);
    expect(tweetWeight(reply)).toBeLessThanOrEqual(MAX_TWEET_WEIGHT);
    expect(reply.startsWith('@a word')).toBe(true);
    expect(reply.endsWith('word…')).toBe(true);
  });

  it('counts as X does: emoji and CJK weigh 2', () => {
    const cjk = '漢'.repeat(150); // 300 weighted, 150 characters
    const reply = fitReply('bot', cjk);
    expect(tweetWeight(reply)).toBeLessThanOrEqual(MAX_TWEET_WEIGHT);
    expect(Array.from(reply).length).toBeLessThan(150);
  });
});
