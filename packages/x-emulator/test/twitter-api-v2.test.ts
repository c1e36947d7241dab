import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ApiResponseError, TwitterApi } from 'twitter-api-v2';
import { encodeJpeg, type XEmulator } from '../src/index.js';
import { ADA, BOT, GRACE, startEmulator, userClient } from './support.js';

// Proves the loopback agent: unmodified twitter-api-v2 calls land on the emulator.

let emulator: XEmulator;
let client: TwitterApi;

beforeEach(async () => {
  emulator = await startEmulator();
  client = userClient(emulator);
});

afterEach(async () => {
  await emulator.stop();
});

describe('twitter-api-v2 against the emulator', () => {
  it('v2.me() returns the authenticated user', async () => {
    const me = await client.v2.me({ 'user.fields': ['created_at'] });

    expect(me.data).toEqual({
      id: BOT.id,
      name: BOT.name,
      username: BOT.username,
      created_at: '2015-01-01T00:00:00.000Z',
    });
    expect(emulator.requests.at(-1)).toMatchObject({ method: 'GET', path: '/2/users/me', status: 200 });
  });

  it('a token bound to another user acts as that user', async () => {
    emulator.bindToken('ada-token', ADA.id);

    const me = await userClient(emulator, 'ada-token').v2.me();

    expect(me.data.username).toBe('ada');
  });

  it('v2.userMentionTimeline() pages mentions newer than since_id, with expansions', async () => {
    const old = emulator.addMention({ author: ADA.id, text: 'old one' });
    const withPhotos = emulator.addMention({ author: ADA.id, text: 'look at these', photos: 2 });
    const withVideo = emulator.addMention({ author: GRACE.username, text: 'and a video', video: true });

    const page = await client.v2.userMentionTimeline(BOT.id, {
      since_id: old.id,
      expansions: ['author_id', 'attachments.media_keys'],
      'media.fields': ['url', 'preview_image_url', 'width', 'height', 'type'],
      'tweet.fields': ['created_at', 'conversation_id'],
    });

    expect(page.tweets.map((t) => t.id)).toEqual([withVideo.id, withPhotos.id]);
    expect(page.meta).toEqual({ result_count: 2, newest_id: withVideo.id, oldest_id: withPhotos.id });
    expect(page.tweets[1]).toMatchObject({
      text: '@murmurbot look at these',
      author_id: ADA.id,
      attachments: { media_keys: withPhotos.mediaKeys },
    });
    expect(page.includes.users.map((u) => u.username).sort()).toEqual(['ada', 'grace']);
    const photo = page.includes.media.find((m) => m.media_key === withPhotos.mediaKeys[0]);
    expect(photo).toEqual({
      media_key: withPhotos.mediaKeys[0],
      type: 'photo',
      url: `${emulator.url}/media/${withPhotos.mediaKeys[0]}.jpg`,
      width: 640,
      height: 480,
    });
    const video = page.includes.media.find((m) => m.type === 'video');
    expect(video?.preview_image_url).toBe(`${emulator.url}/media/${withVideo.mediaKeys[0]}_preview.jpg`);
    expect(video?.url).toBeUndefined();
  });

  it('v2.tweet() and v2.reply() post tweets the test can inspect', async () => {
    const mention = emulator.addMention({ author: ADA.id, text: 'what is the weather?' });

    const posted = await client.v2.tweet('good morning');
    const reply = await client.v2.reply('sunny', mention.id);

    expect(posted.data).toEqual({
      id: posted.data.id,
      text: 'good morning',
      edit_history_tweet_ids: [posted.data.id],
    });
    expect(emulator.postedTweets()).toMatchObject([
      { id: posted.data.id, text: 'good morning', authorId: BOT.id },
      { id: reply.data.id, text: 'sunny', inReplyToTweetId: mention.id, inReplyToUserId: ADA.id },
    ]);
  });

  it('v2.reply() to a deleted tweet fails like X: 403 with its detail', async () => {
    const mention = emulator.addMention({ author: ADA.id, text: 'delete me' });
    emulator.deleteTweet(mention.id);

    const error = await client.v2.reply('too late', mention.id).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiResponseError);
    expect((error as ApiResponseError).code).toBe(403);
    expect((error as ApiResponseError).data).toEqual({
      title: 'Forbidden',
      detail: 'You attempted to reply to a Tweet that is deleted or not visible to you.',
      type: 'about:blank',
      status: 403,
    });
    expect(emulator.postedTweets()).toHaveLength(0);
  });

  it('v2.uploadMedia() uploads an image that a tweet can attach', async () => {
    const jpeg = encodeJpeg(new Uint8Array(16 * 8 * 3).fill(200), 16, 8);

    const mediaId = await client.v2.uploadMedia(jpeg, { media_type: 'image/jpeg' });
    const posted = await client.v2.tweet({ text: 'annotated', media: { media_ids: [mediaId] } });

    const [media] = emulator.uploadedMedia();
    expect(media).toMatchObject({ id: mediaId, type: 'photo', width: 16, height: 8, state: 'ready' });
    expect(media?.data?.equals(jpeg)).toBe(true);
    expect(emulator.postedTweets()[0]).toMatchObject({ id: posted.data.id, mediaKeys: [media?.mediaKey] });
    expect(emulator.requests.map((r) => r.path)).toEqual([
      '/2/media/upload/initialize',
      `/2/media/upload/${mediaId}/append`,
      `/2/media/upload/${mediaId}/finalize`,
      '/2/tweets',
    ]);
  });

  it('v2.uploadMedia() of a video in chunks waits for processing through STATUS', async () => {
    const video = Buffer.alloc(2500, 7);

    const mediaId = await client.v2.uploadMedia(video, { media_type: 'video/mp4' }, 1000);

    const media = emulator.state.mediaById(mediaId);
    expect(media).toMatchObject({ type: 'video', state: 'ready', category: 'tweet_video' });
    expect(media?.data?.equals(video)).toBe(true);
    expect(emulator.requests.filter((r) => r.endpoint === 'media.upload.append')).toHaveLength(3);
    expect(emulator.requests.at(-1)).toMatchObject({
      path: '/2/media/upload',
      query: `?command=STATUS&media_id=${mediaId}`,
    });
  });

  it('v2.sendDmToParticipant() sends a DM into the one-to-one conversation', async () => {
    const sent = await client.v2.sendDmToParticipant(ADA.id, { text: 'hi Ada' });

    expect(sent).toEqual({ data: { dm_conversation_id: `42-${BOT.id}`, dm_event_id: expect.any(String) } });
    expect(emulator.sentDirectMessages()).toMatchObject([
      { senderId: BOT.id, participantIds: [BOT.id, ADA.id], text: 'hi Ada' },
    ]);
    const events = await client.v2.listDmEvents({ 'dm_event.fields': ['sender_id', 'dm_conversation_id'] });
    expect(events.events[0]).toMatchObject({
      event_type: 'MessageCreate',
      text: 'hi Ada',
      sender_id: BOT.id,
    });
  });

  it('stores the links of a sent DM as t.co links, as X does', async () => {
    await client.v2.sendDmToParticipant(ADA.id, {
      text: 'read https://example.org/a and http://example.org/b!',
    });

    const [dm] = emulator.sentDirectMessages();
    expect(dm!.text).toMatch(/^read https:\/\/t\.co\/[\w-]{10} and https:\/\/t\.co\/[\w-]{10}$/);
    const events = await client.v2.listDmEvents();
    expect(events.events[0]).toMatchObject({ event_type: 'MessageCreate', text: dm!.text });
  });

  it('v2.followers() pages through followers, newest first', async () => {
    for (let i = 0; i < 5; i++) {
      emulator.addUser({ id: String(100 + i), username: `fan${i}` });
      emulator.addFollower(BOT.id, String(100 + i));
    }

    const first = await client.v2.followers(BOT.id, { max_results: 3 });
    const second = await client.v2.followers(BOT.id, {
      max_results: 3,
      pagination_token: first.meta.next_token,
    });

    expect(first.data.map((u) => u.username)).toEqual(['fan4', 'fan3', 'fan2']);
    expect(second.data.map((u) => u.username)).toEqual(['fan1', 'fan0']);
    expect(second.meta.next_token).toBeUndefined();
  });

  it('a 429 surfaces as ApiResponseError with rateLimit filled', async () => {
    emulator.setRateLimit('users.mentions', { limit: 2, windowSeconds: 900 });
    await client.v2.userMentionTimeline(BOT.id);
    await client.v2.userMentionTimeline(BOT.id);

    const error = await client.v2.userMentionTimeline(BOT.id).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiResponseError);
    const apiError = error as ApiResponseError;
    expect(apiError.code).toBe(429);
    expect(apiError.rateLimitError).toBe(true);
    expect(apiError.rateLimit).toEqual({ limit: 2, remaining: 0, reset: expect.any(Number) });
    expect(apiError.rateLimit?.reset).toBeGreaterThan(Date.now() / 1000);
    expect(apiError.data).toEqual({
      title: 'Too Many Requests',
      detail: 'Too Many Requests',
      type: 'about:blank',
      status: 429,
    });
  });

  it('an app-only Bearer token is refused on user-context endpoints, like X', async () => {
    emulator.bindToken('app-token', 'app');
    const app = new TwitterApi('app-token', { httpAgent: emulator.agent() });

    const error = await app.v2.me().catch((e: unknown) => e);

    expect((error as ApiResponseError).code).toBe(403);
    expect((error as ApiResponseError).data.title).toBe('Unsupported Authentication');
  });
});
