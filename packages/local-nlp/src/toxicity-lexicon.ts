// What DetectToxicContent's labels mean locally. PROFANITY, and the slurs and sexual terms among
// it, come from obscenity's English dataset (it handles leet-speak and look-alike letters); the
// other labels come from these short lists. A word scores more when it is aimed at someone
// ("you idiot", "I will kill you") than when it is about something ("this traffic is killing me").

/** obscenity dataset words that are slurs: HATE_SPEECH as well as PROFANITY. */
export const SLURS: ReadonlySet<string> = new Set([
  'abeed',
  'africoon',
  'arabush',
  'boonga',
  'chingchong',
  'chink',
  'dyke',
  'fag',
  'kike',
  'negro',
  'nigger',
  'retard',
  'spastic',
  'tranny',
]);

/** obscenity dataset words that are sexual: SEXUAL as well as PROFANITY. */
export const SEXUAL_TERMS: ReadonlySet<string> = new Set([
  'anal',
  'anus',
  'bestiality',
  'blowjob',
  'boob',
  'buttplug',
  'cock',
  'cum',
  'deepthroat',
  'dick',
  'dildo',
  'doggystyle',
  'double penetration',
  'ejaculate',
  'felch',
  'fellatio',
  'finger bang',
  'fisting',
  'gangbang',
  'handjob',
  'hentai',
  'hooker',
  'incest',
  'jerk off',
  'jizz',
  'lubejob',
  'masturbate',
  'orgasm',
  'orgy',
  'penis',
  'porn',
  'pussy',
  'scat',
  'semen',
  'sex',
  'slut',
  'tit',
  'vagina',
  'wank',
  'whore',
]);

/** Sexual terms that are words for things rather than vulgarity: mildly SEXUAL, not PROFANITY. */
export const PLAIN_SEXUAL_TERMS: ReadonlySet<string> = new Set([
  'anal',
  'anus',
  'bestiality',
  'ejaculate',
  'hentai',
  'incest',
  'masturbate',
  'orgasm',
  'penis',
  'porn',
  'semen',
  'sex',
  'vagina',
]);

/** obscenity dataset words that are also insults when aimed at someone. */
export const INSULTING_PROFANITY: ReadonlySet<string> = new Set([
  'bastard',
  'bitch',
  'cuck',
  'cunt',
  'dick',
  'prick',
  'slut',
  'twat',
  'whore',
  'retard',
]);

/** obscenity dataset words that are threats in themselves. */
export const VIOLENT_PROFANITY: ReadonlySet<string> = new Set(['rape']);

export const INSULTS: ReadonlySet<string> = new Set([
  'idiot',
  'idiots',
  'moron',
  'morons',
  'stupid',
  'dumb',
  'dumbass',
  'loser',
  'losers',
  'pathetic',
  'imbecile',
  'clown',
  'worthless',
  'ugly',
  'fool',
  'jerk',
  'scum',
  'coward',
  'incompetent',
  'trash',
  'garbage',
  'disgusting',
]);

export const VIOLENT_WORDS: ReadonlySet<string> = new Set([
  'kill',
  'killing',
  'murder',
  'shoot',
  'stab',
  'beat',
  'hurt',
  'die',
  'bomb',
  'strangle',
  'choke',
  'punch',
  'burn',
  'hang',
]);

/** Abuse aimed at a person, as whole phrases (lower case, single spaces). */
export const HARASSMENT_PHRASES: readonly string[] = [
  'kill yourself',
  'kys',
  'shut up',
  'nobody likes you',
  'no one likes you',
  'go away',
  'get lost',
  'go to hell',
  'you should be ashamed',
  'delete your account',
];

export const GRAPHIC_WORDS: ReadonlySet<string> = new Set([
  'gore',
  'gory',
  'decapitated',
  'beheaded',
  'mutilated',
  'dismembered',
  'disemboweled',
  'bloodbath',
]);

/** Who a word can be aimed at. */
export const TARGETS: ReadonlySet<string> = new Set([
  'you',
  'u',
  'ya',
  'your',
  "you're",
  'youre',
  'ur',
  'yourself',
  "y'all",
  'him',
  'her',
  'them',
]);
