import { describe, expect, it } from '@jest/globals';
import {
  messageFromPolledTweet,
  type PolledIncludes,
  type PolledTweet,
  translateActivity,
} from '../../src/activity/index.js';
import { ADA, BOT, BOT2, ctx, expectAllValid, fixture, GRACE } from './support.js';

interface MentionsPage {
  data: PolledTweet[];
  includes: PolledIncludes;
}

const page = () => fixture<MentionsPage>('polled-mentions.json');
const pollCtx = {
  correlationId: 'poll-2026-03-14T12:00:00Z-1590000000000000001',
  accountId: BOT,
  accountIds: new Set([BOT, BOT2]),
};
const polled = (id: string, body = page()) => {
  const tweet = body.data.find((t) => t.id === id);
  if (!tweet) throw new Error(`no polled tweet ${id}`);
  return messageFromPolledTweet(tweet, body.includes, pollCtx);
};
const eventOf = (result: ReturnType<typeof messageFromPolledTweet>) => {
  if (!result.event) throw new Error(`expected an event, got: ${result.reason}`);
  return result.event;
};
const detailOf = (result: ReturnType<typeof messageFromPolledTweet>) =>
  eventOf(result).entry.detail as unknown as Record<string, unknown>;

/** The webhook's MESSAGE_RECEIVED for the same tweet. */
function webhookMessage(file: string) {
  const event = translateActivity(fixture(file), ctx()).events.find(
    (e) => e.entry.detailType === 'MESSAGE_RECEIVED',
  );
  if (!event) throw new Error(`no webhook message in ${file}`);
  return event;
}

/** What the two ingresses must agree on (correlation id and ingress say where it came from). */
function comparable(detail: unknown) {
  const { correlationId: _c, ingress: _i, ...rest } = detail as Record<string, unknown>;
  return rest;
}

describe('messageFromPolledTweet', () => {
  it.each([
    ['1900000000000000103', 'mention-photos.json'],
    ['1900000000000000106', 'reply.json'],
    ['1900000000000000104', 'mention-video.json'],
    ['1900000000000000102', 'mention-truncated.json'],
  ])('gives tweet %s the same key and message as the webhook gives %s', (id, file) => {
    const fromPoll = eventOf(polled(id));
    const fromWebhook = webhookMessage(file);

    expectAllValid([fromPoll]);
    expect(fromPoll.idempotencyKey).toBe(`tweet:${BOT}:${id}`);
    expect(fromPoll.idempotencyKey).toBe(fromWebhook.idempotencyKey);
    expect(fromPoll.entry.detailType).toBe(fromWebhook.entry.detailType);
    expect(comparable(fromPoll.entry.detail)).toEqual(comparable(fromWebhook.entry.detail));
    expect(fromPoll.entry.detail).toMatchObject({ ingress: 'poll', correlationId: pollCtx.correlationId });
  });

  it('reads a polled mention with four photos in attachment order', () => {
    const detail = detailOf(polled('1900000000000000103'));

    expect(detail).toMatchObject({
      kind: 'mention',
      author: { id: ADA, screenName: 'ada_l', name: 'Ada Lovelace' },
    });
    expect((detail.media as { mediaKey: string }[]).map((m) => m.mediaKey)).toEqual([
      '3_1900000000000000201',
      '3_1900000000000000202',
      '3_1900000000000000203',
      '3_1900000000000000204',
    ]);
  });

  it("makes a reply to the account kind reply, and a quote of the account's tweet kind quote", () => {
    expect(detailOf(polled('1900000000000000106'))).toMatchObject({
      kind: 'reply',
      inReplyToTweetId: '1899999999999990001',
      inReplyToUserId: BOT,
      author: { id: GRACE },
    });
    expect(detailOf(polled('1900000000000000112'))).toMatchObject({
      kind: 'quote',
      quotedTweetId: '1899999999999990001',
    });
  });

  it('gives no message for a retweet, or for the account’s own tweet, and says why', () => {
    const retweet = polled('1900000000000000109');
    const own = polled('1900000000000000108');

    expect(retweet).toMatchObject({ event: null, reason: expect.stringMatching(/plain retweet/) });
    expect(own).toMatchObject({ event: null, reason: expect.stringMatching(/own tweet/) });
  });

  it('gives no message for a tweet by another account Murmur runs', () => {
    const body = page();
    const tweet = { ...body.data[0]!, author_id: BOT2 };
    const includes = {
      ...body.includes,
      users: [...(body.includes.users ?? []), { id: BOT2, name: 'Murmur Helper', username: 'MurmurHelper' }],
    };

    expect(messageFromPolledTweet(tweet, includes, pollCtx)).toMatchObject({
      event: null,
      reason: expect.stringMatching(/own tweet/),
    });
  });

  it('takes the whole text of a long post from note_tweet', () => {
    const body = page();
    const long = `@MurmurBot ${'a very long thought '.repeat(20).trim()}`;
    const tweet = {
      ...body.data[0]!,
      text: `${long.slice(0, 270)}…`,
      note_tweet: { text: long },
      attachments: {},
    };

    const detail = detailOf(messageFromPolledTweet(tweet, body.includes, pollCtx));
    expect(detail.text).toBe(long);
    expect(detail.media).toEqual([]);
  });

  it.each([
    [
      'no author in includes',
      (t: PolledTweet, i: PolledIncludes) => [t, { ...i, users: [] }],
      /not in includes\.users/,
    ],
    ['no id', (t: PolledTweet, i: PolledIncludes) => [{ ...t, id: undefined }, i], /no id/],
    [
      'a numeric id',
      (t: PolledTweet, i: PolledIncludes) => [
        { ...t, id: Number('1900000000000000103') as unknown as string },
        i,
      ],
      /no id/,
    ],
    [
      'no created_at',
      (t: PolledTweet, i: PolledIncludes) => [{ ...t, created_at: undefined }, i],
      /no readable created_at/,
    ],
    ['no text', (t: PolledTweet, i: PolledIncludes) => [{ ...t, text: undefined }, i], /no text/],
    ['no includes at all', (t: PolledTweet) => [t, undefined], /not in includes\.users/],
  ] as const)('gives null with a reason for a tweet with %s, never a crash', (_name, edit, reason) => {
    const body = page();
    const [tweet, includes] = edit(body.data[0]!, body.includes) as [PolledTweet, PolledIncludes | undefined];

    expect(messageFromPolledTweet(tweet, includes, pollCtx)).toMatchObject({
      event: null,
      reason: expect.stringMatching(reason),
    });
  });

  it('keeps the message but notes media missing from includes', () => {
    const body = page();
    const includes = { ...body.includes, media: body.includes.media?.slice(1) };

    const result = messageFromPolledTweet(body.data[0]!, includes, pollCtx);

    expect((detailOf(result).media as unknown[]).length).toBe(3);
    expect(result.notes.join('\n')).toMatch(/3_1900000000000000201 is not in includes\.media/);
  });

  it('publishes a tweet seen by both ingresses once: the keys the dedup store sees are equal', () => {
    const webhookKeys = translateActivity(fixture('mention-photos.json'), ctx()).events.map(
      (e) => `${e.entry.detailType}:${e.idempotencyKey}`,
    );
    const poll = eventOf(polled('1900000000000000103'));

    expect(webhookKeys).toContain(`${poll.entry.detailType}:${poll.idempotencyKey}`);
  });
});
