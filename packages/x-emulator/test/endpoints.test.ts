import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { XEmulator } from '../src/index.js';
import { ADA, BOT, call, GRACE, startEmulator } from './support.js';

// Raw HTTP against each endpoint: X's shapes, its errors, and what twitter-api-v2 hides.

let emulator: XEmulator;

beforeEach(async () => {
  emulator = await startEmulator();
});

afterEach(async () => {
  await emulator.stop();
});

describe('authentication', () => {
  it('answers 401 in X shape without an Authorization header', async () => {
    const res = await call(emulator, 'GET', '/2/users/me', { auth: null });

    expect(res.status).toBe(401);
    expect(res.json).toEqual({
      title: 'Unauthorized',
      detail: 'Unauthorized',
      type: 'about:blank',
      status: 401,
    });
  });

  it('refuses OAuth 1 user context on app-only endpoints (webhooks)', async () => {
    const res = await call(emulator, 'GET', '/2/webhooks', {
      auth: 'OAuth oauth_consumer_key="ck", oauth_token="at", oauth_signature="x"',
    });

    expect(res.status).toBe(403);
    expect(res.json.type).toBe('https://api.twitter.com/2/problems/unsupported-authentication');
  });

  it('answers unknown paths with X 404', async () => {
    const res = await call(emulator, 'GET', '/2/nope');

    expect(res.status).toBe(404);
    expect(res.json).toEqual({ errors: [{ message: 'Sorry, that page does not exist', code: 34 }] });
  });
});

describe('users', () => {
  it('looks users up by id and by username', async () => {
    const byId = await call(emulator, 'GET', `/2/users/${ADA.id}?user.fields=description,public_metrics`);
    const byName = await call(emulator, 'GET', '/2/users/by/username/GRACE');

    expect(byId.json.data).toMatchObject({
      id: ADA.id,
      username: 'ada',
      description: '',
      public_metrics: { followers_count: 0 },
    });
    expect(byName.json).toEqual({ data: { id: GRACE.id, name: GRACE.name, username: 'grace' } });
  });

  it('reports a missing user as a 200 with a partial error, like v2 lookups', async () => {
    const res = await call(emulator, 'GET', '/2/users/by/username/nobody');

    expect(res.status).toBe(200);
    expect(res.json.data).toBeUndefined();
    expect(res.json.errors[0]).toMatchObject({
      title: 'Not Found Error',
      detail: 'Could not find user with username: [nobody].',
      resource_type: 'user',
      type: 'https://api.twitter.com/2/problems/resource-not-found',
    });
  });

  it('rejects a non-numeric id and an unknown field value with 400', async () => {
    const badId = await call(emulator, 'GET', '/2/users/abc');
    const badField = await call(emulator, 'GET', '/2/users/me?user.fields=shoe_size');

    expect(badId.status).toBe(400);
    expect(badField.status).toBe(400);
    expect(badField.json.title).toBe('Invalid Request');
    expect(badField.json.errors[0].message).toContain('[shoe_size] is not one of');
  });
});

describe('mentions timeline', () => {
  it('pages with next_token, newest first, and reports an empty page without data', async () => {
    const ids = Array.from(
      { length: 7 },
      (_, i) => emulator.addMention({ author: ADA.id, text: `m${i}` }).id,
    ).reverse();

    const first = await call(emulator, 'GET', `/2/users/${BOT.id}/mentions?max_results=5`);
    const second = await call(
      emulator,
      'GET',
      `/2/users/${BOT.id}/mentions?max_results=5&pagination_token=${first.json.meta.next_token}`,
    );
    const none = await call(emulator, 'GET', `/2/users/${BOT.id}/mentions?since_id=${ids[0]}`);

    expect(first.json.data.map((t: { id: string }) => t.id)).toEqual(ids.slice(0, 5));
    expect(second.json.data.map((t: { id: string }) => t.id)).toEqual(ids.slice(5));
    expect(second.json.meta).toEqual({ result_count: 2, newest_id: ids[5], oldest_id: ids[6] });
    expect(none.json).toEqual({ meta: { result_count: 0 } });
  });

  it('expands referenced tweets and reports a deleted one as a partial error', async () => {
    const original = emulator.addTweet({ author: BOT.id, text: 'original' });
    const gone = emulator.addTweet({ author: BOT.id, text: 'gone' });
    const quote = emulator.addMention({ author: ADA.id, text: 'quoting', quote: original.id });
    const reply = emulator.addMention({ author: GRACE.id, text: 'replying', inReplyTo: gone.id });
    emulator.deleteTweet(gone.id);

    const res = await call(
      emulator,
      'GET',
      `/2/users/${BOT.id}/mentions?expansions=referenced_tweets.id,referenced_tweets.id.author_id`,
    );

    const byId = Object.fromEntries(res.json.data.map((t: { id: string }) => [t.id, t]));
    expect(byId[quote.id].referenced_tweets).toEqual([{ type: 'quoted', id: original.id }]);
    expect(byId[reply.id].referenced_tweets).toEqual([{ type: 'replied_to', id: gone.id }]);
    expect(res.json.includes.tweets).toEqual([
      { id: original.id, text: 'original', edit_history_tweet_ids: [original.id] },
    ]);
    expect(res.json.includes.users).toEqual([{ id: BOT.id, name: BOT.name, username: BOT.username }]);
    expect(res.json.errors).toEqual([
      expect.objectContaining({ resource_id: gone.id, resource_type: 'tweet' }),
    ]);
  });

  it('rejects max_results outside 5..100 and unknown parameters', async () => {
    const tooMany = await call(emulator, 'GET', `/2/users/${BOT.id}/mentions?max_results=500`);
    const unknown = await call(emulator, 'GET', `/2/users/${BOT.id}/mentions?count=5`);

    expect(tooMany.status).toBe(400);
    expect(tooMany.json.errors[0].message).toBe(
      'The `max_results` query parameter value [500] is not between 5 and 100',
    );
    expect(unknown.status).toBe(400);
    expect(unknown.json.errors[0].message).toMatch(/^The query parameter \[count\] is not one of/);
  });
});

describe('tweets', () => {
  it('rejects unknown body keys and empty tweets in X invalid-request shape', async () => {
    const unknown = await call(emulator, 'POST', '/2/tweets', { body: { text: 'hi', status: 'v1 habit' } });
    const empty = await call(emulator, 'POST', '/2/tweets', { body: {} });

    expect(unknown.status).toBe(400);
    expect(unknown.json.errors[0].message).toContain('$.status: is not defined in the schema');
    expect(empty.status).toBe(400);
  });

  it('refuses duplicate content and unknown media ids', async () => {
    await call(emulator, 'POST', '/2/tweets', { body: { text: 'same' } });
    const duplicate = await call(emulator, 'POST', '/2/tweets', { body: { text: 'same' } });
    const badMedia = await call(emulator, 'POST', '/2/tweets', {
      body: { text: 'pic', media: { media_ids: ['123'] } },
    });

    expect(duplicate.status).toBe(403);
    expect(duplicate.json.detail).toBe('You are not allowed to create a Tweet with duplicate content.');
    expect(badMedia.status).toBe(400);
    expect(badMedia.json.errors[0].message).toBe('Your media IDs are invalid.');
  });

  it('looks a tweet up, deletes it, then reports it missing', async () => {
    const created = await call(emulator, 'POST', '/2/tweets', { body: { text: 'short-lived' } });
    const id = created.json.data.id;

    const found = await call(emulator, 'GET', `/2/tweets/${id}?tweet.fields=author_id,created_at`);
    const deleted = await call(emulator, 'DELETE', `/2/tweets/${id}`);
    const missing = await call(emulator, 'GET', `/2/tweets/${id}`);

    expect(created.status).toBe(201);
    expect(found.json.data).toMatchObject({
      id,
      text: 'short-lived',
      author_id: BOT.id,
      created_at: expect.any(String),
    });
    expect(deleted.json).toEqual({ data: { deleted: true } });
    expect(missing.json.errors[0].detail).toBe(`Could not find tweet with id: [${id}].`);
  });

  it("refuses to delete someone else's tweet", async () => {
    const theirs = emulator.addTweet({ author: ADA.id, text: 'mine' });

    const res = await call(emulator, 'DELETE', `/2/tweets/${theirs.id}`);

    expect(res.status).toBe(403);
    expect(emulator.state.liveTweet(theirs.id)).toBeDefined();
  });
});

describe('media', () => {
  it('accepts the one-shot multipart upload and serves the bytes from the media host', async () => {
    const form = new FormData();
    form.append('media', new Blob([Buffer.from('GIF89a\x02\x00\x03\x00')], { type: 'image/gif' }), 'a.gif');
    form.append('media_category', 'tweet_gif');
    const response = await fetch(`${emulator.url}/2/media/upload`, {
      method: 'POST',
      body: form,
      headers: { authorization: 'Bearer t' },
    });
    const body = (await response.json()) as {
      data: { id: string; media_key: string; processing_info?: unknown };
    };

    expect(response.status).toBe(200);
    expect(body.data.media_key).toMatch(/^16_/);
    expect(body.data.processing_info).toEqual({ state: 'pending', check_after_secs: 1 });
    const media = emulator.state.mediaById(body.data.id);
    expect(media).toMatchObject({ type: 'animated_gif', width: 2, height: 3 });
    const served = await fetch(`${emulator.url}${media?.filePath}`);
    expect(served.headers.get('content-type')).toBe('image/gif');
  });

  it('serves seeded photos as real JPEGs at their size', async () => {
    const mention = emulator.addMention({ author: ADA.id, photos: [{ width: 320, height: 200 }] });

    const res = await fetch(`${emulator.url}/media/${mention.mediaKeys[0]}.jpg`);
    const bytes = Buffer.from(await res.arrayBuffer());

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(bytes.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    const sof = bytes.indexOf(Buffer.from([0xff, 0xc0]));
    expect([bytes.readUInt16BE(sof + 7), bytes.readUInt16BE(sof + 5)]).toEqual([320, 200]);
  });

  it('rejects FINALIZE when the segments do not add up', async () => {
    const init = await call(emulator, 'POST', '/2/media/upload/initialize', {
      body: { media_type: 'image/png', total_bytes: 10 },
    });
    const finalize = await call(emulator, 'POST', `/2/media/upload/${init.json.data.id}/finalize`);

    expect(init.json.data).toMatchObject({
      media_key: expect.stringMatching(/^3_/),
      expires_after_secs: 86400,
    });
    expect(finalize.status).toBe(400);
  });
});

describe('direct messages', () => {
  it('sends into an existing conversation and lists it with expansions', async () => {
    emulator.addDirectMessage({ from: ADA.id, to: BOT.id, text: 'hello bot' });

    const sent = await call(emulator, 'POST', `/2/dm_conversations/42-${BOT.id}/messages`, {
      body: { text: 'hello Ada' },
    });
    const list = await call(emulator, 'GET', '/2/dm_events?expansions=sender_id&dm_event.fields=created_at');

    expect(sent.status).toBe(201);
    expect(sent.json.data.dm_conversation_id).toBe(`42-${BOT.id}`);
    expect(list.json.data.map((e: { text: string }) => e.text)).toEqual(['hello Ada', 'hello bot']);
    expect(list.json.includes.users.map((u: { username: string }) => u.username)).toEqual([
      'murmurbot',
      'ada',
    ]);
  });

  it('refuses a DM to a user who does not accept them, and one without text', async () => {
    emulator.addUser({ id: '77', username: 'closed', acceptsDms: false });

    const closed = await call(emulator, 'POST', '/2/dm_conversations/with/77/messages', {
      body: { text: 'hi' },
    });
    const empty = await call(emulator, 'POST', `/2/dm_conversations/with/${ADA.id}/messages`, { body: {} });

    expect(closed.status).toBe(403);
    expect(empty.status).toBe(400);
    expect(emulator.sentDirectMessages()).toHaveLength(0);
  });
});

describe('rate limits and forced failures', () => {
  it('puts X rate-limit headers on every response and counts down', async () => {
    emulator.setRateLimit('users.lookup', { limit: 3, windowSeconds: 60 });

    const first = await call(emulator, 'GET', `/2/users/${ADA.id}`);
    const second = await call(emulator, 'GET', `/2/users/${ADA.id}`);

    expect(first.headers.get('x-rate-limit-limit')).toBe('3');
    expect(first.headers.get('x-rate-limit-remaining')).toBe('2');
    expect(second.headers.get('x-rate-limit-remaining')).toBe('1');
    const reset = Number(first.headers.get('x-rate-limit-reset'));
    expect(reset).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) + 59);
    expect(reset).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 60);
  });

  it('opens a new window once the old one has passed (injected clock)', async () => {
    let now = Date.UTC(2026, 0, 1);
    const timed = await startEmulator({
      now: () => now,
      rateLimits: { 'users.me': { limit: 1, windowSeconds: 60 } },
    });
    try {
      const ok = await call(timed, 'GET', '/2/users/me');
      const limited = await call(timed, 'GET', '/2/users/me');
      now += 60_000;
      const again = await call(timed, 'GET', '/2/users/me');

      expect([ok.status, limited.status, again.status]).toEqual([200, 429, 200]);
      expect(limited.headers.get('x-rate-limit-reset')).toBe(String((Date.UTC(2026, 0, 1) + 60_000) / 1000));
    } finally {
      await timed.stop();
    }
  });

  it('failNext forces the next N answers of one endpoint only', async () => {
    emulator.failNext('tweets.create', 503, 2);

    const statuses: number[] = [];
    for (const text of ['a', 'b', 'c'])
      statuses.push((await call(emulator, 'POST', '/2/tweets', { body: { text } })).status);
    const other = await call(emulator, 'GET', '/2/users/me');

    expect(statuses).toEqual([503, 503, 201]);
    expect(other.status).toBe(200);
    expect(emulator.postedTweets().map((t) => t.text)).toEqual(['c']);
  });

  it('failNext bodies follow X problem shape, 401 included', async () => {
    emulator.failNext('users.mentions', 500);
    emulator.failNext('users.mentions', 401);

    const failed = await call(emulator, 'GET', `/2/users/${BOT.id}/mentions`);
    const unauthorized = await call(emulator, 'GET', `/2/users/${BOT.id}/mentions`);

    expect(failed.json).toEqual({
      title: 'Internal Server Error',
      detail: 'Internal Server Error',
      type: 'about:blank',
      status: 500,
    });
    expect(failed.headers.get('x-rate-limit-limit')).toBe('300');
    expect(unauthorized.status).toBe(401);
  });
});
