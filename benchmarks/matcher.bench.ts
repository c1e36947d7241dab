// Event-pattern matcher benchmark: events/s for 5 rules of each operator kind over ~1 KB Murmur events,
// and a 300-rule mixed bus through RuleIndex (with how many patterns it actually evaluates per event).
// Run: npx tsx -e "import('./benchmarks/matcher.bench.ts').then(m=>m.runMatcherBench())"
import { type CompiledPattern, compilePattern, RuleIndex } from '@murmur/event-pattern';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

const RUN_MS = 1500;
const WARMUP_MS = 300;

/** Deterministic PRNG (pure-rand's xoroshiro128+): the same events and rules on every run. */
function prng(seed: number): () => number {
  const rng = xoroshiro128plus(seed);
  return () => uniformFloat64(rng);
}

const rand = prng(42);
const int = (n: number) => Math.floor(rand() * n);
const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
const id = () => String(1_600_000_000_000_000_000n + BigInt(int(1e9)));

const WORDS =
  'hello thanks great awful service love hate cat dog photo today please help why when bot murmur reply quick'.split(
    ' ',
  );
const SCREEN_NAMES = ['alice', 'bob_the_bot', 'carol', 'dave42', 'erin_news', 'frank', 'grace_bot', 'heidi'];
const TYPES = [
  ['murmur.ingress', 'MESSAGE_RECEIVED', 50],
  ['murmur.analysis', 'MESSAGE_ANALYSED', 20],
  ['murmur.responding', 'SEND_TWEET', 15],
  ['murmur.egress', 'TWEET_SENT', 8],
  ['murmur.egress', 'TWEET_FAILED', 2],
  ['murmur.ingress', 'TWITTER_FAVORITE', 5],
] as const;

function weightedType(): (typeof TYPES)[number] {
  let roll = int(100);
  for (const type of TYPES) {
    roll -= type[2];
    if (roll < 0) return type;
  }
  return TYPES[0];
}

function text(): string {
  const words = Array.from({ length: 25 + int(20) }, () => pick(WORDS));
  return `${rand() < 0.5 ? '@murmur ' : ''}${words.join(' ')}${rand() < 0.3 ? '?' : '.'}`;
}

/** A Murmur envelope of about 1 KB: a message with its author and 0-3 images. */
function murmurEvent(): Record<string, unknown> {
  const [source, detailType] = weightedType();
  const messageId = id();
  return {
    version: '0',
    id: crypto.randomUUID(),
    'detail-type': detailType,
    source,
    account: '123456789012',
    time: '2026-01-02T03:04:05Z',
    region: 'eu-west-1',
    resources: [],
    detail: {
      messageId,
      accountId: '1234567890',
      kind: pick(['mention', 'reply', 'quote', 'directMessage']),
      ingress: pick(['webhook', 'poll']),
      tweetId: messageId,
      text: text(),
      lang: pick(['en', 'en', 'fr', 'und']),
      author: {
        id: id(),
        screenName: pick(SCREEN_NAMES),
        name: 'Some Person',
        verified: rand() < 0.1,
        followers: int(100_000),
      },
      createdAt: '2026-01-02T03:04:04Z',
      sourceIp: `${pick(['10.0', '192.168', '203.0'])}.${int(256)}.${int(256)}`,
      media: Array.from({ length: int(4) }, (_, i) => ({
        type: pick(['photo', 'photo', 'video', 'animated_gif']),
        url: `https://pbs.twimg.com/media/${messageId}-${i}.jpg`,
        mediaKey: `3_${messageId}${i}`,
        width: 1200,
        height: 675,
      })),
    },
  };
}

/** Five rules per operator kind, in the shapes Murmur's services would declare. */
const KINDS: Record<string, object[]> = {
  exact: [
    { source: ['murmur.ingress'], 'detail-type': ['MESSAGE_RECEIVED'] },
    { source: ['murmur.analysis'], 'detail-type': ['MESSAGE_ANALYSED'] },
    { 'detail-type': ['SEND_TWEET'] },
    { 'detail-type': ['TWEET_SENT', 'TWEET_FAILED'] },
    { source: ['murmur.ingress'], detail: { kind: ['directMessage'] } },
  ],
  prefix: [
    { 'detail-type': [{ prefix: 'TWITTER_' }] },
    { detail: { text: [{ prefix: '@murmur' }] } },
    { source: [{ prefix: 'murmur.' }], detail: { lang: [{ prefix: 'en' }] } },
    { detail: { author: { screenName: [{ prefix: 'bob' }] } } },
    { 'detail-type': [{ prefix: 'TWEET_' }] },
  ],
  suffix: [
    { detail: { author: { screenName: [{ suffix: '_bot' }] } } },
    { detail: { text: [{ suffix: '?' }] } },
    { 'detail-type': [{ suffix: '_RECEIVED' }] },
    { detail: { media: { url: [{ suffix: '.png' }] } } },
    { source: [{ suffix: '.egress' }] },
  ],
  'equals-ignore-case': [
    { 'detail-type': [{ 'equals-ignore-case': 'message_received' }] },
    { detail: { lang: [{ 'equals-ignore-case': 'EN' }] } },
    { detail: { author: { screenName: [{ 'equals-ignore-case': 'ALICE' }] } } },
    { detail: { kind: [{ prefix: { 'equals-ignore-case': 'DIRECT' } }] } },
    { source: [{ suffix: { 'equals-ignore-case': '.INGRESS' } }] },
  ],
  wildcard: [
    { detail: { text: [{ wildcard: '*help*' }] } },
    { detail: { media: { url: [{ wildcard: 'https://pbs.twimg.com/media/*-0.jpg' }] } } },
    { 'detail-type': [{ wildcard: 'MESSAGE_*' }] },
    { detail: { author: { screenName: [{ wildcard: '*_*' }] } } },
    { source: [{ wildcard: 'murmur.*ss' }] },
  ],
  'anything-but': [
    { 'detail-type': [{ 'anything-but': 'MESSAGE_RECEIVED' }] },
    { detail: { lang: [{ 'anything-but': ['en', 'und'] }] } },
    { detail: { author: { screenName: [{ 'anything-but': { suffix: '_bot' } }] } } },
    { source: [{ 'anything-but': { prefix: 'murmur.' } }] },
    { detail: { kind: [{ 'anything-but': { 'equals-ignore-case': ['MENTION', 'reply'] } }] } },
  ],
  numeric: [
    { detail: { author: { followers: [{ numeric: ['>=', 10_000] }] } } },
    { detail: { author: { followers: [{ numeric: ['>', 100, '<=', 1000] }] } } },
    { detail: { media: { width: [{ numeric: ['=', 1200] }] } } },
    { detail: { author: { followers: [{ numeric: ['<', 10] }] } } },
    { 'detail-type': ['MESSAGE_RECEIVED'], detail: { author: { followers: [{ numeric: ['>', 50_000] }] } } },
  ],
  exists: [
    { detail: { tweetId: [{ exists: true }] } },
    { detail: { dmId: [{ exists: true }] } },
    { detail: { inReplyToTweetId: [{ exists: false }] } },
    { 'replay-name': [{ exists: false }], 'detail-type': ['MESSAGE_RECEIVED'] },
    { detail: { media: { altText: [{ exists: false }], type: ['photo'] } } },
  ],
  cidr: [
    { detail: { sourceIp: [{ cidr: '10.0.0.0/8' }] } },
    { detail: { sourceIp: [{ cidr: '192.168.0.0/16' }] } },
    { detail: { sourceIp: [{ cidr: '203.0.113.0/24' }] } },
    { detail: { sourceIp: [{ cidr: '2001:db8::/32' }] } },
    { detail: { sourceIp: [{ cidr: '10.0.128.0/17' }] } },
  ],
  $or: [
    {
      source: ['murmur.ingress'],
      $or: [{ detail: { kind: ['mention'] } }, { detail: { text: [{ prefix: '@murmur' }] } }],
    },
    { $or: [{ 'detail-type': ['TWEET_SENT'] }, { 'detail-type': ['TWEET_FAILED'] }] },
    { detail: { $or: [{ lang: ['fr'] }, { author: { verified: [true] } }] } },
    { $or: [{ source: ['murmur.analysis'] }, { detail: { media: { type: ['video'] } } }] },
    { 'detail-type': ['MESSAGE_RECEIVED'], detail: { $or: [{ kind: ['reply'] }, { kind: ['quote'] }] } },
  ],
};

interface Timing {
  events: number;
  seconds: number;
}

/** Runs `fn` over the events, cycling, for about `ms`. */
function time(events: readonly unknown[], ms: number, fn: (event: unknown) => void): Timing {
  const start = performance.now();
  let done = 0;
  while (performance.now() - start < ms) {
    for (let i = 0; i < 1000; i++) fn(events[(done + i) % events.length]);
    done += 1000;
  }
  return { events: done, seconds: (performance.now() - start) / 1000 };
}

const perSecond = (t: Timing) => Math.round(t.events / t.seconds).toLocaleString('en-US');

function benchKind(
  events: readonly unknown[],
  patterns: readonly CompiledPattern[],
): { rate: string; matchRate: string } {
  let matched = 0;
  const run = (event: unknown) => {
    for (const p of patterns) if (p.matches(event)) matched++;
  };
  time(events, WARMUP_MS, run);
  matched = 0;
  const t = time(events, RUN_MS, run);
  return { rate: perSecond(t), matchRate: (matched / t.events).toFixed(2) };
}

/** 300 rules as a grown Murmur bus might hold: most pin a detail-type, some only a source, a few neither. */
function mixedBus(): object[] {
  const types = [...TYPES.map(([, t]) => t), ...Array.from({ length: 34 }, (_, i) => `FUTURE_EVENT_${i}`)];
  const detailConditions: object[] = [
    {},
    { detail: { kind: [pick(['mention', 'reply'])] } },
    { detail: { text: [{ prefix: '@murmur' }] } },
    { detail: { author: { followers: [{ numeric: ['>', int(50_000)] }] } } },
    { detail: { media: { type: ['photo'] } } },
    { detail: { lang: [{ 'anything-but': 'und' }] } },
    { 'replay-name': [{ exists: false }] },
  ];
  return Array.from({ length: 300 }, (_, i) => {
    const extra = pick(detailConditions);
    if (i % 20 === 0) return { source: [{ prefix: 'murmur.' }], ...extra };
    if (i % 10 === 5) return { source: [pick(TYPES)[0]], ...extra };
    const type = i < 60 ? pick(TYPES)[1] : pick(types);
    return { 'detail-type': [type], ...extra };
  });
}

export async function runMatcherBench(): Promise<void> {
  const events = Array.from({ length: 2000 }, murmurEvent);
  const avgSize = Math.round(events.reduce((n, e) => n + JSON.stringify(e).length, 0) / events.length);
  console.log(`event-pattern matcher: ${events.length} Murmur events, average ${avgSize} bytes of JSON`);
  console.log('5 rules per kind, every rule evaluated for every event:');
  for (const [kind, specs] of Object.entries(KINDS)) {
    const { rate, matchRate } = benchKind(
      events,
      specs.map((s) => compilePattern(s)),
    );
    console.log(`  ${kind.padEnd(20)} ${rate.padStart(11)} events/s  (${matchRate} matches/event)`);
  }

  const bus = mixedBus().map((s) => compilePattern(s));
  const index = new RuleIndex<number>();
  for (const [i, p] of bus.entries()) index.add(i, p);
  let matches = 0;
  const run = (event: unknown) => {
    matches += index.match(event).length;
  };
  time(events, WARMUP_MS, run);
  const before = index.stats;
  matches = 0;
  const t = time(events, RUN_MS, run);
  const evaluated = (index.stats.evaluations - before.evaluations) / (index.stats.events - before.events);
  console.log(`300-rule mixed bus through RuleIndex: ${perSecond(t)} events/s`);
  console.log(
    `  patterns evaluated per event: ${evaluated.toFixed(1)} of ${bus.length}; matches per event: ${(matches / t.events).toFixed(2)}`,
  );
  const naive = time(events, RUN_MS, (event) => {
    for (const p of bus) p.matches(event);
  });
  console.log(`  (evaluating all 300 patterns instead: ${perSecond(naive)} events/s)`);
}
