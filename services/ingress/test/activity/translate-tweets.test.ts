import { describe, expect, it } from '@jest/globals';
import { translateActivity } from '../../src/activity/index.js';
import { ADA, BOT, BOT2, ctx, expectAllValid, fixture, GRACE, only, typesOf } from './support.js';

type Tweet = Record<string, unknown> & { extended_entities: { media: unknown[] } };

describe('tweet_create_events', () => {
  it('turns a mention into TWITTER_TWEETED with the envelope, and MESSAGE_RECEIVED with the text', () => {
    const body = fixture('mention-text.json');
    const { forUserId, events, notes } = translateActivity(body, ctx());

    expect(forUserId).toBe(BOT);
    expect(typesOf(events)).toEqual(['TWITTER_TWEETED', 'MESSAGE_RECEIVED']);
    expectAllValid(events);
    const raw = only(events, 'TWITTER_TWEETED');
    expect(raw).toMatchObject({
      forUserId: BOT,
      eventId: '1900000000000000101',
      payloadKey: 'tweet_create_events',
      userHasBlocked: false,
      correlationId: 'whd-test-0001',
    });
    expect(raw.payload).toEqual((body.tweet_create_events as unknown[])[0]);
    expect(only(events, 'MESSAGE_RECEIVED')).toEqual({
      schemaVersion: 1,
      correlationId: 'whd-test-0001',
      messageId: '1900000000000000101',
      accountId: BOT,
      kind: 'mention',
      ingress: 'webhook',
      tweetId: '1900000000000000101',
      text: '@MurmurBot what a lovely morning for a walk by the river',
      lang: 'en',
      author: { id: ADA, screenName: 'ada_l', name: 'Ada Lovelace' },
      createdAt: '2026-03-14T08:00:01.000Z',
      media: [],
    });
    expect(notes).toEqual([]);
  });

  it('takes the text of a truncated tweet from extended_tweet.full_text, and reads user_has_blocked "false"', () => {
    const { events } = translateActivity(fixture('mention-truncated.json'), ctx());

    expectAllValid(events);
    const message = only(events, 'MESSAGE_RECEIVED');
    expect(message.text).toMatch(/^@MurmurBot I have been thinking .* What do you think\?$/);
    expect(message.text).not.toContain('…');
    expect(only(events, 'TWITTER_TWEETED').userHasBlocked).toBe(false);
  });

  it.each([1, 2, 3, 4])(
    'keeps all %i photos from extended_entities, not only the first in entities.media',
    (count) => {
      const body = fixture('mention-photos.json');
      const tweet = (body.tweet_create_events as Tweet[])[0]!;
      tweet.extended_entities.media = tweet.extended_entities.media.slice(0, count);

      const { events } = translateActivity(body, ctx());

      expectAllValid(events);
      const media = only(events, 'MESSAGE_RECEIVED').media as Record<string, unknown>[];
      expect(media.map((m) => m.mediaKey)).toEqual(
        [
          '3_1900000000000000201',
          '3_1900000000000000202',
          '3_1900000000000000203',
          '3_1900000000000000204',
        ].slice(0, count),
      );
      expect(media.every((m) => m.type === 'photo')).toBe(true);
      expect(media[0]).toEqual({
        type: 'photo',
        url: 'https://pbs.twimg.com/media/GxPh0t01.jpg',
        mediaKey: '3_1900000000000000201',
        width: 2048,
        height: 1536,
        altText: 'A brass calculating engine',
      });
    },
  );

  it('falls back to entities.media when X sent no extended_entities, and to id_str without media_key', () => {
    const body = fixture('mention-photos.json');
    const tweet = (body.tweet_create_events as Record<string, unknown>[])[0]!;
    delete tweet.extended_entities;
    delete ((tweet.entities as { media: Record<string, unknown>[] }).media[0] as Record<string, unknown>)
      .media_key;

    const { events } = translateActivity(body, ctx());

    expectAllValid(events);
    const media = only(events, 'MESSAGE_RECEIVED').media as Record<string, unknown>[];
    expect(media.map((m) => m.mediaKey)).toEqual(['1900000000000000201']);
  });

  it.each([
    [
      'mention-video.json',
      'video',
      'https://pbs.twimg.com/ext_tw_video_thumb/1900000000000000301/pu/img/VdThUmB.jpg',
      '7_1900000000000000301',
      1280,
      720,
    ],
    [
      'mention-gif.json',
      'animated_gif',
      'https://pbs.twimg.com/tweet_video_thumb/GfThUmB.jpg',
      '16_1900000000000000401',
      498,
      280,
    ],
  ])('marks %s as %s, with the still preview as url', (file, type, url, mediaKey, width, height) => {
    const { events } = translateActivity(fixture(file), ctx());

    expectAllValid(events);
    expect(only(events, 'MESSAGE_RECEIVED').media).toEqual([{ type, url, mediaKey, width, height }]);
  });

  it('makes a reply to the account kind reply, with the tweet and user it replies to', () => {
    const { events } = translateActivity(fixture('reply.json'), ctx());

    expectAllValid(events);
    expect(only(events, 'MESSAGE_RECEIVED')).toMatchObject({
      kind: 'reply',
      tweetId: '1900000000000000106',
      messageId: '1900000000000000106',
      inReplyToTweetId: '1899999999999990001',
      inReplyToUserId: BOT,
      author: { id: GRACE, screenName: 'g', name: 'Grace Hopper' },
      createdAt: '2026-03-14T09:49:31.000Z',
    });
  });

  it("makes a quote of the account's tweet kind quote, with the quoted tweet id", () => {
    const { events } = translateActivity(fixture('quote.json'), ctx());

    expectAllValid(events);
    expect(only(events, 'MESSAGE_RECEIVED')).toMatchObject({
      kind: 'quote',
      quotedTweetId: '1899999999999990001',
      text: 'This bot tells the worst jokes and I love it https://t.co/Qu0t3L1nk',
    });
  });

  it("keeps the account's own tweet as a raw event only: a message would start a reply loop", () => {
    const { events, notes } = translateActivity(fixture('own-tweet.json'), ctx());

    expect(typesOf(events)).toEqual(['TWITTER_TWEETED']);
    expectAllValid(events);
    expect(notes.join('\n')).toMatch(/1900000000000000108.*own tweet/);
  });

  it('keeps a plain retweet as a raw event only', () => {
    const { events, notes } = translateActivity(fixture('retweet.json'), ctx());

    expect(typesOf(events)).toEqual(['TWITTER_TWEETED']);
    expectAllValid(events);
    expect(notes.join('\n')).toMatch(/plain retweet/);
  });

  it('makes no message of a tweet that neither mentions, replies to nor quotes the account', () => {
    const body = fixture('mention-text.json');
    const tweet = (body.tweet_create_events as Record<string, unknown>[])[0]!;
    tweet.entities = { hashtags: [], urls: [], user_mentions: [], symbols: [] };
    tweet.text = 'just a morning walk';

    const { events, notes } = translateActivity(body, ctx());

    expect(typesOf(events)).toEqual(['TWITTER_TWEETED']);
    expect(notes.join('\n')).toMatch(/not addressed to the account/);
  });
});

describe('several accounts on one webhook', () => {
  it('gives each account its own events for a tweet mentioning both, told apart by for_user_id', () => {
    const first = translateActivity(fixture('multi-account-bot1.json'), ctx());
    const second = translateActivity(fixture('multi-account-bot2.json'), ctx());

    expectAllValid([...first.events, ...second.events]);
    expect([first.forUserId, second.forUserId]).toEqual([BOT, BOT2]);
    expect(only(first.events, 'MESSAGE_RECEIVED').accountId).toBe(BOT);
    expect(only(second.events, 'MESSAGE_RECEIVED').accountId).toBe(BOT2);
    expect(only(second.events, 'TWITTER_TWEETED').forUserId).toBe(BOT2);
    const keys = [...first.events, ...second.events].map((e) => e.idempotencyKey);
    expect(new Set(keys)).toEqual(
      new Set([`tweet:${BOT}:1900000000000000110`, `tweet:${BOT2}:1900000000000000110`]),
    );
  });

  it("never makes a message of one Murmur account's tweet delivered to another", () => {
    const { events, notes } = translateActivity(fixture('multi-account-bot1-answer-to-bot2.json'), ctx());

    expect(typesOf(events)).toEqual(['TWITTER_TWEETED']);
    expect(notes.join('\n')).toMatch(/own tweet \(author 1590000000000000001\)/);
    // With only the second account configured, the first is someone else: its tweet is a message.
    const alone = translateActivity(fixture('multi-account-bot1-answer-to-bot2.json'), ctx([BOT2]));
    expect(typesOf(alone.events)).toEqual(['TWITTER_TWEETED', 'MESSAGE_RECEIVED']);
    expectAllValid(alone.events);
  });

  it('keeps the raw events of an account not configured here, but makes no message for it', () => {
    const { events, notes } = translateActivity(fixture('multi-account-bot2.json'), ctx([BOT]));

    expect(typesOf(events)).toEqual(['TWITTER_TWEETED']);
    expect(notes.join('\n')).toMatch(/not a configured account/);
  });
});
