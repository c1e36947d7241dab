import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ActivityPayloads, activityPayloads, twitterDate, type XEmulator } from '../src/index.js';
import { ADA, BOT, startEmulator } from './support.js';

// The builders must produce what X's Account Activity API sends, field by field that ingress reads.

const NOW = Date.UTC(2026, 10, 21, 10, 0, 0);
const build = () => activityPayloads({ now: () => NOW, startId: 1_800_000_000_000_000_000n });
// biome-ignore lint/suspicious/noExplicitAny: payloads are walked by X's field names; the assertions check every value they touch.
type Json = Record<string, any>;
const firstTweet = (payload: Json) => payload.tweet_create_events[0] as Json;

describe('tweet_create_events', () => {
  it('a mention: envelope, v1.1 ids, date format, user_mentions for the account', () => {
    const payload = build().mention({ forUser: BOT, from: ADA, text: 'hi there' }) as Json;

    expect(payload.for_user_id).toBe(BOT.id);
    expect(payload.user_has_blocked).toBe(false);
    const tweet = firstTweet(payload);
    expect(tweet).toMatchObject({
      id_str: '1800000000000000000',
      id: 1800000000000000000,
      text: '@murmurbot hi there',
      truncated: false,
      created_at: 'Sat Nov 21 10:00:00 +0000 2026',
      timestamp_ms: String(NOW),
      in_reply_to_status_id_str: null,
      user: { id_str: ADA.id, screen_name: 'ada', name: ADA.name },
    });
    expect(tweet.entities.user_mentions).toEqual([
      { screen_name: 'murmurbot', name: BOT.name, id: Number(BOT.id), id_str: BOT.id, indices: [0, 10] },
    ]);
    expect(tweet.extended_tweet).toBeUndefined();
  });

  it('a truncated mention: cut text, full text in extended_tweet', () => {
    const long = `@murmurbot ${'word '.repeat(60).trim()}`;

    const tweet = firstTweet(build().truncatedMention({ forUser: BOT, from: ADA, text: long }));

    expect(tweet.truncated).toBe(true);
    expect([...tweet.text].length).toBeLessThanOrEqual(140);
    expect(tweet.text).toMatch(/… https:\/\/t\.co\/\w+$/);
    expect(tweet.extended_tweet.full_text).toBe(long);
    expect(tweet.extended_tweet.display_text_range).toEqual([0, long.length]);
    expect(tweet.entities.urls[0].expanded_url).toBe(`https://twitter.com/i/web/status/${tweet.id_str}`);
  });

  it.each([1, 2, 3, 4])(
    'a mention with %i photo(s): all in extended_entities, only the first in entities',
    (count) => {
      const tweet = firstTweet(build().mention({ forUser: BOT, from: ADA, text: 'look', photos: count }));

      const all = tweet.extended_entities.media as Json[];
      expect(all).toHaveLength(count);
      expect(tweet.entities.media).toEqual([all[0]]);
      expect(new Set(all.map((m) => m.id_str)).size).toBe(count);
      for (const media of all) {
        expect(media).toMatchObject({
          type: 'photo',
          media_url_https: expect.stringMatching(/^https:\/\/pbs\.twimg\.com\/media\/3_\d+\.jpg$/),
        });
        expect(media.url).toBe(all[0]?.url);
        expect(tweet.text.endsWith(media.url)).toBe(true);
      }
      expect(tweet.display_text_range).toEqual([0, '@murmurbot look'.length]);
    },
  );

  it('a mention with a video: video_info variants and a preview image', () => {
    const tweet = firstTweet(
      build().mention({ forUser: BOT, from: ADA, text: 'clip', video: { durationMs: 5000 } }),
    );

    const [video] = tweet.extended_entities.media as Json[];
    expect(video?.type).toBe('video');
    expect(video?.video_info).toMatchObject({ aspect_ratio: [16, 9], duration_millis: 5000 });
    expect(video?.video_info.variants[0]).toMatchObject({
      content_type: 'video/mp4',
      url: expect.stringContaining('video.twimg.com'),
    });
    expect(video?.media_url_https).toMatch(/^https:\/\/pbs\.twimg\.com\/ext_tw_video_thumb\//);
  });

  it('a reply: @parent prefix, in_reply_to fields, display range after the prefix', () => {
    const tweet = firstTweet(
      build().reply({ forUser: BOT, from: ADA, text: 'thanks!', inReplyToId: '1799' }),
    );

    expect(tweet).toMatchObject({
      text: '@murmurbot thanks!',
      in_reply_to_status_id_str: '1799',
      in_reply_to_user_id_str: BOT.id,
      in_reply_to_screen_name: 'murmurbot',
      display_text_range: [11, 18],
    });
  });

  it("a quote: is_quote_status and the quoted tweet (the account's)", () => {
    const tweet = firstTweet(
      build().quote({ forUser: BOT, from: ADA, text: 'so true', quotedText: 'my post' }),
    );

    expect(tweet.is_quote_status).toBe(true);
    expect(tweet.quoted_status).toMatchObject({ text: 'my post', user: { id_str: BOT.id } });
    expect(tweet.quoted_status_id_str).toBe(tweet.quoted_status.id_str);
    expect(tweet.entities.urls[0].expanded_url).toBe(
      `https://twitter.com/murmurbot/status/${tweet.quoted_status.id_str}`,
    );
  });

  it("the account's own tweet is authored by for_user_id", () => {
    const payload = build().ownTweet({ forUser: BOT, text: 'I posted this' }) as Json;

    expect(firstTweet(payload).user.id_str).toBe(payload.for_user_id);
    expect(payload.user_has_blocked).toBeUndefined();
  });

  it('a plain retweet: RT text and retweeted_status', () => {
    const tweet = firstTweet(build().retweet({ forUser: BOT, from: ADA, originalText: 'original words' }));

    expect(tweet.text).toBe('RT @murmurbot: original words');
    expect(tweet.retweeted_status).toMatchObject({ text: 'original words', user: { id_str: BOT.id } });
    expect(tweet.user.id_str).toBe(ADA.id);
  });
});

describe('other activity', () => {
  it('favorite_events', () => {
    const event = (build().favorite({ forUser: BOT, from: ADA, tweetText: 'liked post' }) as Json)
      .favorite_events[0];

    expect(event).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      created_at: twitterDate(NOW),
      timestamp_ms: NOW,
      favorited_status: { text: 'liked post', user: { id_str: BOT.id } },
      user: { id_str: ADA.id },
    });
  });

  it.each([
    ['follow', 'follow_events', 'follow'],
    ['unfollow', 'follow_events', 'unfollow'],
    ['block', 'block_events', 'block'],
    ['unblock', 'block_events', 'unblock'],
    ['mute', 'mute_events', 'mute'],
    ['unmute', 'mute_events', 'unmute'],
  ] as const)('%s arrives in %s with type %s', (method, key, type) => {
    const payload = build()[method]({ forUser: BOT, source: ADA, target: BOT }) as Json;

    expect(Object.keys(payload).sort()).toEqual([key, 'for_user_id'].sort());
    expect(payload[key]).toEqual([
      {
        type,
        created_timestamp: String(NOW),
        source: expect.objectContaining({ id_str: ADA.id }),
        target: expect.objectContaining({ id_str: BOT.id }),
      },
    ]);
  });

  it('user_event revoke is an object, not an array', () => {
    const payload = build().revoke({ userId: ADA.id }) as Json;

    expect(Array.isArray(payload.user_event)).toBe(false);
    expect(payload.user_event).toEqual({
      revoke: {
        date_time: '2026-11-21T10:00:00+00:00',
        target: { app_id: '28000000' },
        source: { user_id: ADA.id },
      },
    });
  });

  it('an incoming DM carries the users and apps maps', () => {
    const payload = build().directMessage({ forUser: BOT, from: ADA, text: 'hello bot' }) as Json;

    const event = payload.direct_message_events[0];
    expect(event).toMatchObject({
      type: 'message_create',
      id: expect.any(String),
      created_timestamp: String(NOW),
      message_create: {
        target: { recipient_id: BOT.id },
        sender_id: ADA.id,
        message_data: { text: 'hello bot' },
      },
    });
    expect(Object.keys(payload.users).sort()).toEqual([ADA.id, BOT.id].sort());
    expect(payload.users[ADA.id]).toMatchObject({ id: ADA.id, screen_name: 'ada', name: ADA.name });
    expect(payload.apps[event.message_create.source_app_id]).toBeDefined();
  });

  it("the account's own DM is sent by for_user_id through the app", () => {
    const payload = build().ownDirectMessage({ forUser: BOT, to: ADA, text: 'hi Ada' }) as Json;

    const create = payload.direct_message_events[0].message_create;
    expect(create).toMatchObject({
      sender_id: BOT.id,
      target: { recipient_id: ADA.id },
      source_app_id: '28000000',
    });
    expect(payload.apps['28000000']).toEqual({
      id: '28000000',
      name: 'Murmur',
      url: 'https://murmur.invalid',
    });
  });

  it('a DM with a photo attachment', () => {
    const payload = build().directMessage({ forUser: BOT, from: ADA, text: 'see', photo: true }) as Json;

    const data = payload.direct_message_events[0].message_create.message_data;
    expect(data.attachment).toMatchObject({ type: 'media', media: { type: 'photo' } });
    expect(data.text).toBe(`see ${data.attachment.media.url}`);
  });

  it('typing and read indicators', () => {
    const typing = build().typing({ forUser: BOT, from: ADA }) as Json;
    const read = build().markRead({ forUser: BOT, from: ADA, lastReadEventId: '123' }) as Json;

    expect(typing.direct_message_indicate_typing_events).toEqual([
      { created_timestamp: String(NOW), sender_id: ADA.id, target: { recipient_id: BOT.id } },
    ]);
    expect(read.direct_message_mark_read_events[0]).toMatchObject({
      last_read_event_id: '123',
      sender_id: ADA.id,
    });
    expect(read.users[ADA.id]).toBeDefined();
  });

  it('tweet_delete_events', () => {
    const payload = build().tweetDelete({ forUser: BOT, tweetId: '555', userId: ADA.id }) as Json;

    expect(payload).toEqual({
      for_user_id: BOT.id,
      tweet_delete_events: [{ status: { id: '555', user_id: ADA.id }, timestamp_ms: String(NOW) }],
    });
  });

  it('ids are deterministic per builder and can be given', () => {
    const a = build().mention({ forUser: BOT, from: ADA });
    const b = build().mention({ forUser: BOT, from: ADA });
    const given = build().mention({ forUser: BOT, from: ADA, id: '1234' });

    expect(a).toEqual(b);
    expect(firstTweet(given).id_str).toBe('1234');
  });
});

describe('with an emulator', () => {
  let emulator: XEmulator;

  beforeAll(async () => {
    emulator = await startEmulator();
  });

  afterAll(async () => {
    await emulator.stop();
  });

  it("points photo URLs at the emulator's media host, which serves them as JPEGs of the declared size", async () => {
    const payloads = new ActivityPayloads({ emulator });
    const tweet = firstTweet(
      payloads.mention({ forUser: BOT, from: ADA, photos: [{ width: 300, height: 100 }] }),
    );
    const url = tweet.extended_entities.media[0].media_url_https as string;

    const res = await fetch(url);
    const bytes = Buffer.from(await res.arrayBuffer());

    expect(url.startsWith(`${emulator.url}/media/`)).toBe(true);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    const sof = bytes.indexOf(Buffer.from([0xff, 0xc0]));
    expect([bytes.readUInt16BE(sof + 7), bytes.readUInt16BE(sof + 5)]).toEqual([300, 100]);
  });
});
