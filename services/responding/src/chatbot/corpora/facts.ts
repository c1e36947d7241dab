// The chat bot's facts, some on a topic (the TellFact intent's topic slot values). A module rather than a JSON file: it is bundled into the
// fulfilment Lambda like any code, and read the same way by the local bot.
import type { Corpus } from './corpus.js';

export const FACTS: Corpus = {
  source: 'Written for Murmur from general knowledge; no third-party API or corpus.',
  entries: [
    {
      topic: 'space',
      text: 'A day on Venus is longer than its year: it turns once in 243 Earth days and orbits the Sun in 225.',
    },
    {
      topic: 'space',
      text: 'Light from the Sun takes about 8 minutes and 20 seconds to reach Earth.',
    },
    {
      topic: 'space',
      text: 'Jupiter is so big that all the other planets of the solar system would fit inside it.',
    },
    {
      topic: 'space',
      text: 'The footprints on the Moon will last millions of years: there is no wind to blow them away.',
    },
    {
      topic: 'animals',
      text: 'Octopuses have three hearts and blue blood.',
    },
    {
      topic: 'animals',
      text: 'A group of flamingos is called a flamboyance.',
    },
    {
      topic: 'animals',
      text: "Sea otters hold hands while they sleep so they don't drift apart.",
    },
    {
      topic: 'animals',
      text: 'Honeybees can recognise human faces.',
    },
    {
      topic: 'science',
      text: 'Water expands by about 9% when it freezes, which is why ice floats.',
    },
    {
      topic: 'science',
      text: 'The first computer bug was a real moth, found in a Harvard relay in 1947.',
    },
    {
      topic: 'science',
      text: 'A teaspoon of a neutron star would weigh about a billion tonnes on Earth.',
    },
    {
      topic: 'history',
      text: 'Ada Lovelace published the first algorithm meant for a machine in 1843.',
    },
    {
      topic: 'history',
      text: 'The Great Pyramid of Giza was the tallest building made by people for about 3,800 years.',
    },
    {
      topic: 'history',
      text: 'Oxford University is older than the Aztec Empire.',
    },
    {
      topic: 'history',
      text: 'The shortest war on record, between Britain and Zanzibar in 1896, lasted under an hour.',
    },
  ],
};
