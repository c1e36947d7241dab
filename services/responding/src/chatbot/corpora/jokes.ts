// The chat bot's jokes. A module rather than a JSON file: it is bundled into the
// fulfilment Lambda like any code, and read the same way by the local bot.
import type { Corpus } from './corpus.js';

export const JOKES: Corpus = {
  source: 'Written for Murmur; no third-party API or corpus.',
  entries: [
    {
      text: "I told my computer I needed a break. It said: no problem, I'll go to sleep.",
    },
    {
      text: 'Why do programmers prefer dark mode? Because light attracts bugs.',
    },
    {
      text: 'I would tell you a UDP joke, but you might not get it.',
    },
    {
      text: 'Why did the developer go broke? He used up all his cache.',
    },
    {
      text: 'A SQL query walks into a bar, goes up to two tables and asks: may I join you?',
    },
    {
      text: "Why was the JavaScript developer sad? He didn't know how to null his feelings.",
    },
    {
      text: "There are 10 kinds of people: those who understand binary and those who don't.",
    },
    {
      text: "Why don't skeletons fight each other? They don't have the guts.",
    },
    {
      text: "I'm reading a book about anti-gravity. It's impossible to put down.",
    },
    {
      text: 'Why did the scarecrow win an award? He was outstanding in his field.',
    },
    {
      text: 'What do you call a fish with no eyes? A fsh.',
    },
    {
      text: 'I used to play piano by ear, but now I use my hands.',
    },
    {
      text: "Why can't a bicycle stand on its own? It's two tired.",
    },
    {
      text: 'What did the ocean say to the beach? Nothing, it just waved.',
    },
    {
      text: "Parallel lines have so much in common. It's a shame they'll never meet.",
    },
  ],
};
