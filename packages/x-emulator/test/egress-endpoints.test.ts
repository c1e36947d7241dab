import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ApiResponseError, type TwitterApi } from 'twitter-api-v2';
import { encodeJpeg, type XEmulator } from '../src/index.js';
import { ADA, BOT, call, GRACE, startEmulator, userClient } from './support.js';

// What egress needs from X beyond posting: the bot's own timeline (to find a reply it already
// made), DM conversation history, alt text, X's 24-hour posting cap and a revoked token's 401.

let emulator: XEmulator;
let client: TwitterApi;

beforeEach(async () => {
  emulator = await startEmulator();
  client = userClient(emulator);
});

afterEach(async () => {
  await emulator.stop();
});

const jpeg = () => encodeJpeg(new Uint8Array(16 * 8 * 3).fill(90), 16, 8);

describe('GET /2/users/:id/tweets (the user timeline)', () => {
  it('lists the user’s own tweets newest first, replies with their referenced tweet', async () => {
    const mention = emulator.addMention({ author: ADA.id, text: 'tell me a joke' });
    emulator.addTweet({ author: GRACE.id, text: 'not the bot' });
    const plain = await client.v2.tweet('good morning');
    const reply = await client.v2.reply('@ada a joke', mention.id);

    const timeline = await client.v2.userTimeline(BOT.id, {
      'tweet.fields': ['referenced_tweets', 'created_at', 'in_reply_to_user_id'],
    });

    expect(timeline.tweets.map((t) => t.id)).toEqual([reply.data.id, plain.data.id]);
    expect(timeline.tweets[0]).toEqual({
      id: reply.data.id,
      text: '@ada a joke',
      edit_history_tweet_ids: [reply.data.id],
      created_at: expect.any(String),
      in_reply_to_user_id: ADA.id,
      referenced_tweets: [{ type: 'replied_to', id: mention.id }],
    });
    expect(timeline.meta).toEqual({
      result_count: 2,
      newest_id: reply.data.id,
      oldest_id: plain.data.id,
    });
    expect(emulator.requests.at(-1)).toMatchObject({
      path: `/2/users/${BOT.id}/tweets`,
      endpoint: 'users.tweets',
    });
  });

  it('honours exclude, start_time and paging, as X does', async () => {
    let now = Date.UTC(2026, 2, 1, 12);
    const timed = await startEmulator({ now: () => now });
    try {
      const bot = userClient(timed);
      const mention = timed.addMention({ author: ADA.id, text: 'hi' });
      const early = await bot.v2.tweet('early');
      now += 60_000;
      const replies = [];
      for (const text of ['one', 'two', 'three', 'four', 'five', 'six']) {
        replies.push((await bot.v2.reply(text, mention.id)).data.id);
      }

      const noReplies = await bot.v2.userTimeline(BOT.id, { exclude: ['replies'] });
      const recent = await bot.v2.userTimeline(BOT.id, {
        start_time: new Date(Date.UTC(2026, 2, 1, 12, 1)).toISOString(),
        max_results: 5,
      });
      const second = await bot.v2.userTimeline(BOT.id, {
        start_time: new Date(Date.UTC(2026, 2, 1, 12, 1)).toISOString(),
        max_results: 5,
        pagination_token: recent.meta.next_token,
      });

      expect(noReplies.tweets.map((t) => t.id)).toEqual([early.data.id]);
      expect(recent.tweets.map((t) => t.id)).toEqual(replies.slice(1).reverse());
      expect(second.tweets.map((t) => t.id)).toEqual([replies[0]]);
      expect(second.meta.next_token).toBeUndefined();
    } finally {
      await timed.stop();
    }
  });

  it('refuses an unknown exclude value and reports a missing user as a partial error', async () => {
    const bad = await call(emulator, 'GET', `/2/users/${BOT.id}/tweets?exclude=likes`);
    const missing = await call(emulator, 'GET', '/2/users/999/tweets');

    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].message).toBe(
      'The `exclude` query parameter value [likes] is not one of [replies,retweets]',
    );
    expect(missing.status).toBe(200);
    expect(missing.json).toEqual({
      errors: [expect.objectContaining({ title: 'Not Found Error', resource_id: '999' })],
    });
  });

  it('leaves deleted tweets out', async () => {
    const posted = await client.v2.tweet('regret');
    await client.v2.deleteTweet(posted.data.id);

    const timeline = await client.v2.userTimeline(BOT.id);

    expect(timeline.meta.result_count).toBe(0);
    expect(timeline.tweets).toEqual([]);
  });
});

describe('GET /2/dm_conversations/:dm_conversation_id/dm_events', () => {
  it("lists one conversation's events, newest first, with sender and time", async () => {
    emulator.addDirectMessage({ from: ADA.id, to: BOT.id, text: 'hello bot' });
    emulator.addDirectMessage({ from: GRACE.id, to: BOT.id, text: 'other conversation' });
    await client.v2.sendDmInConversation(`42-${BOT.id}`, { text: 'hello Ada' });

    const events = await client.v2.listDmEventsOfConversation(`42-${BOT.id}`, {
      'dm_event.fields': ['sender_id', 'created_at', 'dm_conversation_id'],
    });

    expect(events.events.map((e) => [e.sender_id, 'text' in e ? e.text : undefined])).toEqual([
      [BOT.id, 'hello Ada'],
      [ADA.id, 'hello bot'],
    ]);
    expect(events.events[0]).toMatchObject({
      dm_conversation_id: `42-${BOT.id}`,
      created_at: expect.any(String),
    });
  });

  it('refuses a conversation the caller is not part of', async () => {
    const other = await call(emulator, 'GET', `/2/dm_conversations/42-43/dm_events`);

    expect(other.status).toBe(403);
    expect(other.json).toMatchObject({ title: 'Forbidden', status: 403 });
  });
});

describe('POST /2/media/metadata (alt text)', () => {
  it('sets alt text that the posted tweet’s media then shows', async () => {
    const mediaId = await client.v2.uploadMedia(jpeg(), { media_type: 'image/jpeg' });

    const result = await client.v2.createMediaMetadata(mediaId, { alt_text: { text: 'Ada, marked' } });
    const posted = await client.v2.tweet({ text: 'with alt', media: { media_ids: [mediaId] } });
    const looked = await client.v2.singleTweet(posted.data.id, {
      expansions: ['attachments.media_keys'],
      'media.fields': ['alt_text'],
    });

    expect(result).toEqual({
      data: { id: mediaId, associated_metadata: { alt_text: { text: 'Ada, marked' } } },
    });
    expect(looked.includes?.media?.[0]).toMatchObject({ alt_text: 'Ada, marked' });
  });

  it('refuses alt text over 1000 characters and media that is not the caller’s', async () => {
    const mediaId = await client.v2.uploadMedia(jpeg(), { media_type: 'image/jpeg' });
    emulator.bindToken('ada-token', ADA.id);

    const long = await client.v2
      .createMediaMetadata(mediaId, { alt_text: { text: 'x'.repeat(1001) } })
      .catch((e: unknown) => e);
    const foreign = await userClient(emulator, 'ada-token')
      .v2.createMediaMetadata(mediaId, { alt_text: { text: 'mine?' } })
      .catch((e: unknown) => e);

    expect((long as ApiResponseError).code).toBe(400);
    expect((foreign as ApiResponseError).code).toBe(400);
    expect(emulator.state.mediaById(mediaId)?.altText).toBeUndefined();
  });
});

describe("X's 24-hour cap on posting (x-user-limit-24hour-*)", () => {
  it('answers 429 past the cap while the 15-minute window still has room', async () => {
    const start = Date.UTC(2026, 2, 1, 8);
    let now = start;
    const capped = await startEmulator({ now: () => now, userDailyLimits: { 'tweets.create': 2 } });
    try {
      const bot = userClient(capped);
      const first = await call(capped, 'POST', '/2/tweets', { body: { text: 'one' } });
      await bot.v2.tweet('two');
      const error = await bot.v2.tweet('three').catch((e: unknown) => e);
      now = start + 24 * 3600 * 1000;
      const nextDay = await bot.v2.tweet('four');

      expect(first.headers.get('x-user-limit-24hour-limit')).toBe('2');
      expect(first.headers.get('x-user-limit-24hour-remaining')).toBe('1');
      expect(error).toBeInstanceOf(ApiResponseError);
      const limited = error as ApiResponseError;
      expect(limited.code).toBe(429);
      expect(limited.rateLimit).toEqual({
        limit: 100,
        remaining: 97,
        reset: (start + 900_000) / 1000,
        userDay: { limit: 2, remaining: 0, reset: (start + 24 * 3600 * 1000) / 1000 },
      });
      expect(nextDay.data.text).toBe('four');
      expect(capped.postedTweets().map((t) => t.text)).toEqual(['one', 'two', 'four']);
    } finally {
      await capped.stop();
    }
  });

  it('is off unless set, and can be lifted again', async () => {
    const open = await call(emulator, 'POST', '/2/tweets', { body: { text: 'free' } });
    emulator.setUserDailyLimit('tweets.create', 0);
    const blocked = await call(emulator, 'POST', '/2/tweets', { body: { text: 'blocked' } });
    emulator.setUserDailyLimit('tweets.create', undefined);
    const lifted = await call(emulator, 'POST', '/2/tweets', { body: { text: 'lifted' } });

    expect(open.headers.get('x-user-limit-24hour-limit')).toBeNull();
    expect(blocked.status).toBe(429);
    expect(lifted.status).toBe(201);
  });
});

describe('a revoked token', () => {
  it("gets X's 401 on every endpoint, in X's problem shape", async () => {
    const before = await client.v2.me();
    emulator.revokeToken('bot-access-token');

    const error = await client.v2.tweet('after revoke').catch((e: unknown) => e);
    const me = await client.v2.me().catch((e: unknown) => e);

    expect(before.data.id).toBe(BOT.id);
    expect(error).toBeInstanceOf(ApiResponseError);
    expect((error as ApiResponseError).code).toBe(401);
    expect((error as ApiResponseError).data).toEqual({
      title: 'Unauthorized',
      detail: 'Unauthorized',
      type: 'about:blank',
      status: 401,
    });
    expect((error as ApiResponseError).isAuthError).toBe(true);
    expect((me as ApiResponseError).code).toBe(401);
    expect(emulator.postedTweets()).toHaveLength(0);
  });

  it('leaves other tokens alone', async () => {
    emulator.bindToken('ada-token', ADA.id);
    emulator.revokeToken('bot-access-token');

    const ada = await userClient(emulator, 'ada-token').v2.tweet('still here');

    expect(ada.data.text).toBe('still here');
  });
});
