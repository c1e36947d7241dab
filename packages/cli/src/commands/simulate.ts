import { type Account, activityPayloads, signWebhookBody } from '@murmur/x-emulator';
import type { Command } from 'commander';
import { DEMO_PHOTOS } from '../demo-media.js';
import { CliError, type CliIO, homeOf } from '../io.js';
import { resolveIngressConfig } from '../local-credentials.js';
import { renderTable } from '../table.js';

interface Delivery {
  kind: string;
  payload: Record<string, unknown>;
  /** Forge the signature, to show it is refused. */
  forged?: boolean;
}

export interface SimulationRow {
  kind: string;
  status: number;
  published: number | null;
  duplicates: number | null;
  expected: string;
  ok: boolean;
}

/**
 * One delivery of every Account Activity kind, a duplicate and a forgery, as X would send them.
 * Photos come from the demo media host of `murmur start`, so the local analysis can fetch them.
 */
function deliveries(bot: Account, mediaUrl: string): Delivery[] {
  const x = activityPayloads();
  const ada: Account = { id: '2244994945', username: 'ada', name: 'Ada' };
  const grace: Account = { id: '783214', username: 'grace', name: 'Grace' };
  const mention = x.mention({ forUser: bot, from: ada, text: `@${bot.username} hello! what can you do?` });
  const street = { url: `${mediaUrl}/${DEMO_PHOTOS.street}`, width: 1000, height: 560 };
  const photos = [1, 2, 3, 4].map((n) => ({
    kind: `mention with ${n} photo${n > 1 ? 's' : ''}`,
    payload: x.mention({
      forUser: bot,
      from: grace,
      text: `@${bot.username} who is in this picture?`,
      photos: Array.from({ length: n }, () => street),
    }),
  }));
  const complaint = x.mention({
    forUser: bot,
    from: grace,
    text: `@${bot.username} this is the worst service ever, I hate it`,
  });
  const joke = x.mention({ forUser: bot, from: ada, text: `@${bot.username} tell me a joke` });
  const own = x.ownTweet({ forUser: bot, text: 'Hello from the bot itself' });
  const ownId = ((own.tweet_create_events as { id_str: string }[])[0] ?? { id_str: '1' }).id_str;
  return [
    { kind: 'mention with text', payload: mention },
    { kind: 'negative mention', payload: complaint },
    { kind: 'joke request', payload: joke },
    ...photos,
    { kind: 'truncated mention', payload: x.truncatedMention({ forUser: bot, from: ada }) },
    { kind: 'reply', payload: x.reply({ forUser: bot, from: ada, text: 'thanks!', inReplyToId: ownId }) },
    { kind: "the bot's own tweet", payload: own },
    {
      kind: 'direct message',
      payload: x.directMessage({ forUser: bot, from: ada, text: 'hi, a private question' }),
    },
    { kind: 'like', payload: x.favorite({ forUser: bot, from: grace, tweetId: ownId }) },
    { kind: 'follow', payload: x.follow({ forUser: bot, source: grace, target: bot }) },
    { kind: 'unfollow', payload: x.unfollow({ forUser: bot, source: grace, target: bot }) },
    { kind: 'tweet deleted', payload: x.tweetDelete({ forUser: bot, tweetId: ownId, userId: bot.id }) },
    {
      kind: 'quote',
      payload: x.quote({ forUser: bot, from: grace, text: 'this, exactly', quotedId: ownId }),
    },
    // As X sends it: the account itself revoked the app, and the payload has no for_user_id.
    { kind: 'app access revoked', payload: x.revoke({ userId: bot.id }) },
    { kind: 'duplicate delivery', payload: mention },
    { kind: 'forged signature', payload: mention, forged: true },
  ];
}

function expectation(d: Delivery): {
  text: string;
  check: (status: number, published: number | null) => boolean;
} {
  if (d.forged) return { text: '401, nothing published', check: (s) => s === 401 };
  if (d.kind === 'duplicate delivery')
    return { text: '200, nothing new', check: (s, p) => s === 200 && p === 0 };
  return { text: '200', check: (s) => s === 200 };
}

export async function simulate(io: CliIO, url: string, mediaUrl: string): Promise<SimulationRow[]> {
  const { config } = resolveIngressConfig(io.env, homeOf(io).root);
  const [accountId] = [...config.accountIds];
  const bot: Account = { id: accountId!, username: 'murmurbot', name: 'Murmur' };
  const rows: SimulationRow[] = [];
  for (const delivery of deliveries(bot, mediaUrl.replace(/\/$/, ''))) {
    const body = JSON.stringify(delivery.payload);
    const signature = signWebhookBody(delivery.forged ? 'not-the-app-secret' : config.consumerSecret, body);
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', 'x-twitter-webhooks-signature': signature },
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      throw new CliError(`cannot reach ${url} (${(error as Error).message}); is \`murmur start\` running?`);
    }
    const answer = (await response.json().catch(() => ({}))) as { published?: number; duplicates?: number };
    const expected = expectation(delivery);
    rows.push({
      kind: delivery.kind,
      status: response.status,
      published: answer.published ?? null,
      duplicates: answer.duplicates ?? null,
      expected: expected.text,
      ok: expected.check(response.status, answer.published ?? null),
    });
  }
  return rows;
}

export function registerSimulate(program: Command, io: CliIO): void {
  program
    .command('simulate')
    .description(
      'Send signed Account Activity payloads of every kind to a running `murmur start` (no X account needed)',
    )
    .option('--url <url>', 'the webhook', `http://127.0.0.1:${io.env.MURMUR_PORT ?? 8787}/twitter`)
    .option(
      '--media-url <url>',
      'where `murmur start` serves the demo photos',
      `http://127.0.0.1:${io.env.MURMUR_DEMO_MEDIA_PORT ?? Number(io.env.MURMUR_PORT ?? 8787) + 1}`,
    )
    .option('--json', 'one result per line, as JSON')
    .action(async (opts: { url: string; mediaUrl: string; json?: boolean }) => {
      const rows = await simulate(io, opts.url, opts.mediaUrl);
      if (opts.json) {
        for (const row of rows) io.out(JSON.stringify(row));
      } else {
        io.out(
          renderTable(
            ['DELIVERY', 'STATUS', 'PUBLISHED', 'DUPLICATES', 'EXPECTED', ''],
            rows.map((r) => [
              r.kind,
              r.status,
              r.published ?? '-',
              r.duplicates ?? '-',
              r.expected,
              r.ok ? 'ok' : 'UNEXPECTED',
            ]),
          ),
        );
        io.err('watch them with: pnpm murmur events tail   (or list them: pnpm murmur events list)');
        io.err(
          `the analyses follow within seconds: pnpm murmur events list --json --pattern '{"detail-type":["MESSAGE_ANALYSED"]}'`,
        );
      }
      if (rows.some((r) => !r.ok)) throw new CliError('some deliveries were not answered as expected');
    });
}
