// The chat bot, declared once. CDK renders it as a Lex V2 bot; the embedded runtime trains an
// nlp.js classifier from the same intents and utterances. Fulfilment is ours on both.

/** Lex's built-in fallback intent: what answers below the confidence threshold. */
export const FALLBACK_INTENT = 'FallbackIntent';

export interface SlotDefinition {
  name: string;
  /** A custom slot type: its values and their synonyms. */
  values: Record<string, string[]>;
}

export interface IntentDefinition {
  /** Lex intent name: letters, digits and `_`, starting with a letter. */
  name: string;
  description: string;
  /** Sample utterances; `{slot}` marks where a slot value goes (Lex's syntax). */
  utterances: string[];
  slots?: SlotDefinition[];
  /** What fulfils it: a corpus to draw from, or fixed responses. */
  fulfilment: { corpus: 'jokes' | 'facts' } | { responses: string[] };
}

export interface ChatbotDefinition {
  name: string;
  description: string;
  /** Lex locale id. */
  locale: 'en_US';
  /** Below this confidence the fallback answers (Lex's nluIntentConfidenceThreshold). */
  confidenceThreshold: number;
  intents: IntentDefinition[];
  /**
   * `examples`: off-topic messages. Lex's FallbackIntent takes no utterances; the local classifier
   * learns from these what is out of scope.
   */
  fallback: { responses: string[]; examples: string[] };
}

const TOPICS: SlotDefinition = {
  name: 'topic',
  values: {
    space: ['space', 'planets', 'stars', 'the moon', 'astronomy'],
    animals: ['animals', 'animal', 'nature', 'wildlife'],
    science: ['science', 'physics', 'chemistry', 'computers'],
    history: ['history', 'the past'],
  },
};

export const CHATBOT: ChatbotDefinition = {
  name: 'MurmurBot',
  description: 'Answers mentions and DMs: jokes, facts and help.',
  locale: 'en_US',
  confidenceThreshold: 0.6,
  intents: [
    {
      name: 'TellJoke',
      description: 'The user wants a joke.',
      utterances: [
        'tell me a joke',
        'tell a joke',
        'make me laugh',
        'say something funny',
        'do you know any jokes',
        'joke please',
        'I need a laugh',
        'got any jokes',
      ],
      fulfilment: { corpus: 'jokes' },
    },
    {
      name: 'TellFact',
      description: 'The user wants a fact, maybe on a topic.',
      utterances: [
        'tell me a fact',
        'give me a fun fact',
        'teach me something',
        'tell me something interesting',
        'any fun facts',
        'tell me a fact about {topic}',
        'a fact about {topic} please',
        'what is something interesting about {topic}',
      ],
      slots: [TOPICS],
      fulfilment: { corpus: 'facts' },
    },
    {
      name: 'Help',
      description: 'The user asks what the bot does.',
      utterances: [
        'help',
        'what can you do',
        'hello what can you do',
        'how does this work',
        'what are your commands',
        'who are you',
      ],
      fulfilment: {
        responses: [
          'I tell jokes and facts (try "tell me a fact about space"), and I name the people I know in photos.',
        ],
      },
    },
    {
      name: 'Greeting',
      description: 'The user says hello.',
      utterances: ['hello', 'hi there', 'hey', 'good morning', 'hi bot'],
      fulfilment: { responses: ['Hello! Ask me for a joke or a fact.'] },
    },
    {
      name: 'Thanks',
      description: 'The user says thank you: a short answer, not a fallback.',
      utterances: ['thanks', 'thank you', 'thanks a lot', 'cheers', 'much appreciated', 'thank you so much'],
      fulfilment: { responses: ["You're welcome!"] },
    },
    {
      name: 'Complaint',
      description:
        'The user is unhappy. The alert on NEGATIVE sentiment tells a person; the bot only says so, never a joke.',
      // Words that carry the complaint, not "this is": that would pull in every sentence.
      utterances: [
        'worst service ever',
        'I hate it',
        'terrible service',
        'awful experience',
        'my order never arrived',
        'nobody answers me',
        'where is my parcel',
        'I want a refund',
        'give me my money back',
        'absolutely terrible',
        'broken again',
        'still not fixed',
      ],
      fulfilment: {
        responses: ["I'm sorry to hear that. I've passed this on to a person, who will get back to you."],
      },
    },
  ],
  fallback: {
    responses: ['Sorry, I didn\'t get that. I can tell a joke or a fact; say "help" for more.'],
    examples: [
      'the weather is nice today',
      'my train is late again',
      'I am going to the shops',
      'what a game last night',
      'I love this song',
      'the match starts at eight',
      'I had pasta for lunch',
      'this is a long question about something else',
      'this, exactly',
    ],
  },
};
