// The egress handler against the X emulator over HTTP, with the embedded runtime's SQLite bus and
// idempotency store and its file blob store. Each test drives deliveries the way the bus would
// (attempt numbers, redeliveries) so the guarantees can be checked one step at a time.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { NonRetryableError, RetryLaterError } from '@murmur/ports';
import { EGRESS_RETRY_POLICY } from '../src/declaration.js';
import {
  DEFAULT_CLAIM_SECONDS,
  egressKeys,
  InvalidSendTweetError,
  ReplyAbandonedError,
  ReplyNotSentError,
} from '../src/send-tweet.js';
import {
  ADA,
  ANNOTATED_JPEG,
  BOT,
  CREDENTIALS,
  crashingAfterX,
  dmReply,
  Harness,
  OTHER_BOT,
  ProcessDied,
  tweetReply,
} from './support.js';

const LAST_ATTEMPT = EGRESS_RETRY_POLICY.maximumRetryAttempts + 1;

let h: Harness;

beforeEach(async () => {
  h = await Harness.start();
});

afterEach(async () => {
  await h.close();
});

describe('posting a reply', () => {
  it('uploads the media with its alt text, then posts the reply with it, and reports TWEET_SENT', async () => {
    const mention = h.emulator.addMention({ author: ADA.id, text: 'who is this?', photos: 1 });
    const mediaKey = await h.putMedia();
    const event = await h.publish(
      tweetReply(mention, {
        responder: 'image-annotation',
        text: '@ada I see Grace Hopper.',
        mediaKey,
        mediaAltText: 'The photo, with Grace Hopper marked.',
      }),
    );

    const result = await h.deliver(event);

    expect(result.error).toBeUndefined();
    const [tweet] = h.emulator.postedTweets();
    const [media] = h.emulator.uploadedMedia();
    expect(tweet).toMatchObject({
      text: '@ada I see Grace Hopper.',
      authorId: BOT.id,
      inReplyToTweetId: mention.id,
      mediaKeys: [media!.mediaKey],
    });
    expect(media).toMatchObject({
      type: 'photo',
      category: 'tweet_image',
      altText: 'The photo, with Grace Hopper marked.',
      state: 'ready',
    });
    expect(Buffer.compare(media!.data!, ANNOTATED_JPEG)).toBe(0);
    expect(h.sent()).toEqual([
      {
        schemaVersion: 1,
        correlationId: `whd-${mention.id}`,
        accountId: BOT.id,
        sourceMessageId: mention.id,
        channel: 'tweet',
        dryRun: false,
        tweetId: tweet!.id,
        inReplyToTweetId: mention.id,
        mediaIds: [media!.id],
        sentAt: new Date(h.clock.now).toISOString(),
      },
    ]);
    expect(h.failed()).toEqual([]);
  });

  it('posts a text-only reply without touching the media endpoints', async () => {
    const mention = h.emulator.addMention({ author: ADA.id, text: 'tell me a joke' });

    await h.deliver(await h.publish(tweetReply(mention)));

    expect(h.emulator.postedTweets().map((t) => t.text)).toEqual([tweetReply(mention).text]);
    expect(h.emulator.requests.map((r) => r.path)).toEqual(['/2/users/me', '/2/tweets']);
    expect(h.sent()[0]).not.toHaveProperty('mediaIds');
  });

  it('answers a DM by DM in its conversation, with the image attached', async () => {
    const incoming = h.emulator.addDirectMessage({ from: ADA.id, to: BOT.id, text: 'a fact please' });
    const mediaKey = await h.putMedia();

    await h.deliver(await h.publish(dmReply(incoming.id, { mediaKey })));

    const [dm] = h.emulator.sentDirectMessages();
    const [media] = h.emulator.uploadedMedia();
    expect(dm).toMatchObject({
      senderId: BOT.id,
      dmConversationId: `${ADA.id}-${BOT.id}`,
      text: 'A fact: honey never spoils.',
      mediaIds: [media!.id],
    });
    expect(media).toMatchObject({ category: 'dm_image' });
    expect(h.sent()).toEqual([
      expect.objectContaining({
        channel: 'directMessage',
        dryRun: false,
        dmEventId: dm!.id,
        conversationId: `${ADA.id}-${BOT.id}`,
        mediaIds: [media!.id],
      }),
    ]);
    expect(h.sent()[0]).not.toHaveProperty('tweetId');
  });

  it('sends a DM to the recipient when there is no conversation id', async () => {
    const incoming = h.emulator.addDirectMessage({ from: ADA.id, to: BOT.id, text: 'hi' });
    const detail = dmReply(incoming.id);
    delete detail.conversationId;

    await h.deliver(await h.publish(detail));

    expect(h.emulator.requests.some((r) => r.path === `/2/dm_conversations/with/${ADA.id}/messages`)).toBe(
      true,
    );
    expect(h.sent()[0]).toMatchObject({ conversationId: `${ADA.id}-${BOT.id}` });
  });
});

describe('exactly once per SEND_TWEET', () => {
  it('posts a duplicate SEND_TWEET (same source message, another event) once', async () => {
    const mention = h.emulator.addMention({ author: ADA.id, text: 'tell me a joke' });
    const first = await h.publish(tweetReply(mention));
    const duplicate = await h.publish(tweetReply(mention, { correlationId: 'whd-redelivered' }));

    const results = [await h.deliver(first), await h.deliver(duplicate), await h.deliver(first)];

    expect(results.map((r) => r.error)).toEqual([undefined, undefined, undefined]);
    expect(h.emulator.postedTweets()).toHaveLength(1);
    expect(h.calls('tweets.create')).toBe(1);
    expect(h.sent()).toHaveLength(1);
    expect(h.lines.filter((l) => l.includes('duplicate SEND_TWEET'))).toHaveLength(2);
  });

  it('asks a concurrent duplicate to look again soon, then less and less often, up to the claim’s life', async () => {
    const mention = h.emulator.addMention({ author: ADA.id, text: 'tell me a joke' });
    const event = await h.publish(tweetReply(mention));
    // Another delivery holds the claim right now.
    await h.idempotency.begin([egressKeys(mention.id).send], {
      ttlSeconds: 60,
      inProgressSeconds: DEFAULT_CLAIM_SECONDS,
    });

    const waits: number[] = [];
    for (const attempt of [1, 2, 3, 8, 9]) {
      const { error } = await h.deliver(event, { attempt });
      expect(error).toBeInstanceOf(RetryLaterError);
      waits.push((error as RetryLaterError).retryAfterMs);
    }

    expect(waits).toEqual([2000, 4000, 8000, DEFAULT_CLAIM_SECONDS * 1000, DEFAULT_CLAIM_SECONDS * 1000]);
    expect(h.calls('tweets.create')).toBe(0);
  });

  it('a crash between X’s answer and the record does not post twice: the retry finds the reply', async () => {
    const mention = h.emulator.addMention({ author: ADA.id, text: 'who is this?' });
    const mediaKey = await h.putMedia();
    const event = await h.publish(tweetReply(mention, { mediaKey }));

    const crashed = await h.deliver(event, crashingAfterX(h));
    const tooSoon = await h.deliver(event, { attempt: 2 });
    // The crashed delivery's claim lapses; the queue (or bus) delivers again.
    h.clock.now += (DEFAULT_CLAIM_SECONDS + 1) * 1000;
    const retried = await h.deliver(event, { attempt: 3 });
    const again = await h.deliver(event, { attempt: 4 });

    expect(crashed.error).toBeInstanceOf(ProcessDied);
    expect(tooSoon.error).toBeInstanceOf(RetryLaterError);
    expect(retried.error).toBeUndefined();
    expect(again.error).toBeUndefined();
    const posted = h.emulator.postedTweets();
    expect(posted).toHaveLength(1);
    expect(h.calls('tweets.create')).toBe(1);
    expect(h.calls('users.tweets')).toBe(1);
    const [media] = h.emulator.uploadedMedia();
    expect(h.sent()).toEqual([
      expect.objectContaining({ tweetId: posted[0]!.id, mediaIds: [media!.id], dryRun: false }),
    ]);
    expect(h.lines.some((l) => l.includes('reply was already on X'))).toBe(true);
  });

  it('a crash after a DM was sent does not send it twice', async () => {
    const incoming = h.emulator.addDirectMessage({ from: ADA.id, to: BOT.id, text: 'hi' });
    const event = await h.publish(dmReply(incoming.id));

    await h.deliver(event, crashingAfterX(h));
    h.clock.now += (DEFAULT_CLAIM_SECONDS + 1) * 1000;
    const retried = await h.deliver(event, { attempt: 2 });

    expect(retried.error).toBeUndefined();
    const sent = h.emulator.sentDirectMessages();
    expect(sent).toHaveLength(1);
    expect(h.sent()).toEqual([expect.objectContaining({ dmEventId: sent[0]!.id })]);
  });

  it('a crash after a DM with a link was sent does not send it twice, though X stored the link as t.co', async () => {
    const incoming = h.emulator.addDirectMessage({ from: ADA.id, to: BOT.id, text: 'a source?' });
    const text = 'The source: https://example.org/honey and https://example.org/spoils';
    const event = await h.publish(dmReply(incoming.id, { text }));

    await h.deliver(event, crashingAfterX(h));
    const [stored] = h.emulator.sentDirectMessages();
    expect(stored!.text).toMatch(/^The source: https:\/\/t\.co\/\S+ and https:\/\/t\.co\/\S+$/);
    h.clock.now += (DEFAULT_CLAIM_SECONDS + 1) * 1000;
    const retried = await h.deliver(event, { attempt: 2 });

    expect(retried.error).toBeUndefined();
    expect(h.emulator.sentDirectMessages()).toHaveLength(1);
    expect(h.sent()).toEqual([expect.objectContaining({ dmEventId: stored!.id })]);
  });

  it('a crash before a DM was sent: another reply in the conversation is not taken for it', async () => {
    const incoming = h.emulator.addDirectMessage({ from: ADA.id, to: BOT.id, text: 'a fact?' });
    h.emulator.addDirectMessage({ from: BOT.id, to: ADA.id, text: 'An earlier answer: https://t.co/abc' });
    const event = await h.publish(dmReply(incoming.id, { text: 'A fact: honey never spoils.' }));
    // The first attempt died on its way to X: the DM never arrived.
    h.emulator.failNext('dm.send', 503);
    const crash = crashingAfterX(h);
    await h.deliver(event, { idempotency: crash.idempotency });

    h.clock.now += (DEFAULT_CLAIM_SECONDS + 1) * 1000;
    const retried = await h.deliver(event, { attempt: 2 });

    expect(retried.error).toBeUndefined();
    expect(h.calls('dm.events')).toBe(1);
    expect(h.emulator.sentDirectMessages().map((d) => d.text)).toEqual(['A fact: honey never spoils.']);
    expect(h.sent()).toHaveLength(1);
  });

  it('after a crash before X was reached, the retry looks, finds nothing, and posts', async () => {
    const mention = h.emulator.addMention({ author: ADA.id, text: 'tell me a joke' });
    const event = await h.publish(tweetReply(mention));
    // The first attempt died on its way to X: the post never arrived.
    h.emulator.failNext('tweets.create', 503);
    const crash = crashingAfterX(h);
    await h.deliver(event, { idempotency: crash.idempotency });
    h.clock.now += (DEFAULT_CLAIM_SECONDS + 1) * 1000;

    const retried = await h.deliver(event, { attempt: 2 });

    expect(retried.error).toBeUndefined();
    expect(h.calls('users.tweets')).toBe(1);
    expect(h.emulator.postedTweets()).toHaveLength(1);
    expect(h.sent()).toHaveLength(1);
  });

  it('does not post when it cannot tell whether an earlier attempt did (the lookup fails)', async () => {
    const mention = h.emulator.addMention({ author: ADA.id, text: 'tell me a joke' });
    const event = await h.publish(tweetReply(mention));
    h.emulator.failNext('tweets.create', 503);
    await h.deliver(event);
    h.emulator.failNext('users.tweets', 503);

    const retried = await h.deliver(event, { attempt: 2 });

    expect(retried.error).toBeInstanceOf(ReplyNotSentError);
    expect(h.calls('tweets.create')).toBe(1);
    expect(h.emulator.postedTweets()).toHaveLength(0);
  });
});

describe('X answering 429', () => {
  it('throws RetryLaterError until the reset, never sleeps, then posts once', async () => {
    h.emulator.setRateLimit('tweets.create', { limit: 1, windowSeconds: 900 });
    const earlier = h.emulator.addMention({ author: ADA.id, text: 'first' });
    const mention = h.emulator.addMention({ author: ADA.id, text: 'second' });
    await h.deliver(await h.publish(tweetReply(earlier, { text: '@ada first answer' })));
    const event = await h.publish(tweetReply(mention));

    const limited = await h.deliver(event);
    h.clock.now += 900_000;
    const retried = await h.deliver(event, { attempt: 2 });

    expect(limited.error).toBeInstanceOf(RetryLaterError);
    // x-rate-limit-reset is the window's end (900 s from the first post), plus a second's margin.
    expect((limited.error as RetryLaterError).retryAfterMs).toBe(901_000);
    expect((limited.error as Error).message).toBe(
      `X refused (HTTP 429): the rate limit is used up until ${new Date(h.clock.now).toISOString()}`,
    );
    expect(retried.error).toBeUndefined();
    expect(h.emulator.postedTweets().map((t) => t.inReplyToTweetId)).toEqual([earlier.id, mention.id]);
    // 429 proves nothing was posted: the retry posts without looking first.
    expect(h.calls('users.tweets')).toBe(0);
    expect(h.failed()).toEqual([]);
  });

  it("waits for the account's 24-hour cap when that is what ran out", async () => {
    h.emulator.setUserDailyLimit('tweets.create', 1);
    const start = h.clock.now;
    const earlier = h.emulator.addMention({ author: ADA.id, text: 'first' });
    await h.deliver(await h.publish(tweetReply(earlier, { text: '@ada first answer' })));
    h.clock.now += 3_600_000;
    const mention = h.emulator.addMention({ author: ADA.id, text: 'second' });

    const { error } = await h.deliver(await h.publish(tweetReply(mention)));

    expect(error).toBeInstanceOf(RetryLaterError);
    // Not the 15-minute window (it has room): the day's reset, 23 hours away.
    expect((error as RetryLaterError).retryAfterMs).toBe(start + 86_400_000 - h.clock.now + 1000);
    expect((error as Error).message).toContain("the account's 24-hour posting cap");
  });

  it('gives up at once when the reset lies beyond what the retry policy can wait', async () => {
    h.emulator.setUserDailyLimit('tweets.create', 0);
    const mention = h.emulator.addMention({ author: ADA.id, text: 'hi' });

    const { error } = await h.deliver(await h.publish(tweetReply(mention)));

    expect(error).toBeInstanceOf(ReplyAbandonedError);
    expect(h.failed()).toEqual([
      expect.objectContaining({
        statusCode: 429,
        retryable: true,
        retryAfter: new Date(h.clock.now + 86_400_000).toISOString(),
      }),
    ]);
  });

  it('reports TWEET_FAILED with the reset time when still limited on the last attempt', async () => {
    const mention = h.emulator.addMention({ author: ADA.id, text: 'hi' });
    h.emulator.failNext('tweets.create', 429);
    const event = await h.publish(tweetReply(mention));

    const { error } = await h.deliver(event, { attempt: LAST_ATTEMPT });

    // Retryable, so the bus (or the queue) puts it in the DLQ for a redrive.
    expect(error).toBeInstanceOf(ReplyNotSentError);
    expect(error).not.toBeInstanceOf(NonRetryableError);
    expect(h.failed()).toEqual([
      expect.objectContaining({
        sourceMessageId: mention.id,
        statusCode: 429,
        retryable: true,
        attempts: LAST_ATTEMPT,
        retryAfter: new Date(h.clock.now + 900_000).toISOString(),
      }),
    ]);
  });
});

describe('X answering 500', () => {
  it('is retried with backoff; 500 twice then success posts once', async () => {
    const mention = h.emulator.addMention({ author: ADA.id, text: 'hi' });
    h.emulator.failNext('tweets.create', 500, 2);
    const event = await h.publish(tweetReply(mention));

    const results = [
      await h.deliver(event, { attempt: 1 }),
      await h.deliver(event, { attempt: 2 }),
      await h.deliver(event, { attempt: 3 }),
    ];

    expect(results[0]!.error).toBeInstanceOf(ReplyNotSentError);
    expect(results[1]!.error).toBeInstanceOf(ReplyNotSentError);
    expect((results[0]!.error as Error).message).toBe('X refused (HTTP 500): Internal Server Error');
    expect(results[2]!.error).toBeUndefined();
    expect(h.emulator.postedTweets()).toHaveLength(1);
    expect(h.sent()).toHaveLength(1);
    expect(h.failed()).toEqual([]);
    // After a 500 X may or may not have posted: each retry looked first.
    expect(h.calls('users.tweets')).toBe(2);
  });

  it('reports TWEET_FAILED (retryable) after the last attempt and leaves the event to the DLQ', async () => {
    const mention = h.emulator.addMention({ author: ADA.id, text: 'hi' });
    h.emulator.failNext('tweets.create', 503, 1);
    const event = await h.publish(tweetReply(mention));

    const { error } = await h.deliver(event, { attempt: LAST_ATTEMPT });

    expect(error).toBeInstanceOf(ReplyNotSentError);
    expect(h.failed()).toEqual([
      {
        schemaVersion: 1,
        correlationId: `whd-${mention.id}`,
        accountId: BOT.id,
        sourceMessageId: mention.id,
        channel: 'tweet',
        reason: 'X refused (HTTP 503): Service Unavailable',
        retryable: true,
        statusCode: 503,
        errorCode: 'Service Unavailable',
        attempts: LAST_ATTEMPT,
      },
    ]);
    // Released: a redrive of the dead letter may post it.
    expect(
      await h.idempotency.begin([egressKeys(mention.id).send], { ttlSeconds: 1, inProgressSeconds: 1 }),
    ).toEqual(['new']);
  });

  it('a network error counts as a failure to retry, without a status code', async () => {
    const mention = h.emulator.addMention({ author: ADA.id, text: 'hi' });
    const event = await h.publish(tweetReply(mention));
    // Nothing listens here any more: the connection is refused.
    await h.emulator.stop();

    const { error } = await h.deliver(event, { attempt: LAST_ATTEMPT });

    expect(error).toBeInstanceOf(ReplyNotSentError);
    expect(h.failed()[0]).toMatchObject({ retryable: true, attempts: LAST_ATTEMPT });
    expect(h.failed()[0]).not.toHaveProperty('statusCode');
    expect(h.failed()[0]!.reason).toMatch(/^could not reach X: /);
  });
});

describe('X answering 401', () => {
  it('reports TWEET_FAILED right away, not retryable, and refuses the event for good', async () => {
    const mention = h.emulator.addMention({ author: ADA.id, text: 'hi' });
    h.emulator.revokeToken(CREDENTIALS.X_ACCESS_TOKEN);

    const { error } = await h.deliver(await h.publish(tweetReply(mention)));

    expect(error).toBeInstanceOf(ReplyAbandonedError);
    expect(error).toBeInstanceOf(NonRetryableError);
    expect(h.failed()).toEqual([
      expect.objectContaining({
        statusCode: 401,
        retryable: false,
        attempts: 1,
        reason: 'X refused (HTTP 401): Unauthorized',
      }),
    ]);
    expect(h.emulator.postedTweets()).toHaveLength(0);
  });

  it('once the credentials are fixed, a redrive posts the reply', async () => {
    const mention = h.emulator.addMention({ author: ADA.id, text: 'hi' });
    h.emulator.revokeToken(CREDENTIALS.X_ACCESS_TOKEN);
    const event = await h.publish(tweetReply(mention));
    await h.deliver(event);

    h.usePoster(h.xPoster('a-fresh-access-token'));
    const redriven = await h.deliver(event);

    expect(redriven.error).toBeUndefined();
    expect(h.emulator.postedTweets()).toHaveLength(1);
    expect(h.sent()).toHaveLength(1);
  });

  it('never logs or reports the credentials', async () => {
    const mention = h.emulator.addMention({ author: ADA.id, text: 'hi' });
    h.emulator.revokeToken(CREDENTIALS.X_ACCESS_TOKEN);

    await h.deliver(await h.publish(tweetReply(mention)));

    const everything = [...h.lines, JSON.stringify(h.failed())].join('\n');
    for (const value of Object.values(CREDENTIALS)) expect(everything).not.toContain(value);
    expect(everything).not.toContain('oauth_');
  });
});

describe('refused replies', () => {
  it('a reply to a tweet deleted meanwhile: TWEET_FAILED, not retried, and settled for duplicates', async () => {
    const mention = h.emulator.addMention({ author: ADA.id, text: 'delete me' });
    h.emulator.deleteTweet(mention.id);
    const event = await h.publish(tweetReply(mention));

    const first = await h.deliver(event);
    const duplicate = await h.deliver(await h.publish(tweetReply(mention)));

    // A normal return: the outcome is final, and TWEET_FAILED says it.
    expect(first.error).toBeUndefined();
    expect(duplicate.error).toBeUndefined();
    expect(h.failed()).toEqual([
      expect.objectContaining({
        sourceMessageId: mention.id,
        statusCode: 403,
        retryable: false,
        reason:
          'X refused (HTTP 403): Forbidden: You attempted to reply to a Tweet that is deleted or not visible to you.',
      }),
    ]);
    expect(h.calls('tweets.create')).toBe(1);
    expect(h.emulator.postedTweets()).toHaveLength(0);
  });

  it('media missing from the store: TWEET_FAILED before anything is uploaded', async () => {
    const mention = h.emulator.addMention({ author: ADA.id, text: 'photo' });

    const { error } = await h.deliver(
      await h.publish(tweetReply(mention, { mediaKey: 'annotated/gone.jpg' })),
    );

    expect(error).toBeUndefined();
    expect(h.failed()[0]).toMatchObject({
      retryable: false,
      reason: "the reply's media annotated/gone.jpg is not in the media store (murmur-media)",
    });
    expect(h.failed()[0]).not.toHaveProperty('statusCode');
    expect(h.calls('media.upload.initialize')).toBe(0);
    expect(h.calls('tweets.create')).toBe(0);
  });

  it('media that is not an image X takes: TWEET_FAILED', async () => {
    const mention = h.emulator.addMention({ author: ADA.id, text: 'photo' });
    const key = await h.putMedia('annotated/notes.txt', Buffer.from('not an image'));

    await h.deliver(await h.publish(tweetReply(mention, { mediaKey: key })));

    expect(h.failed()[0]!.reason).toBe(
      "the reply's media annotated/notes.txt is not a JPEG, PNG, GIF or WEBP image",
    );
    expect(h.emulator.postedTweets()).toHaveLength(0);
  });

  it('a reply for an account these credentials do not act for is not posted as the wrong one', async () => {
    const mention = h.emulator.addMention({ author: ADA.id, to: OTHER_BOT.id, text: 'hi other' });

    const { error } = await h.deliver(await h.publish(tweetReply(mention, { accountId: OTHER_BOT.id })));

    expect(error).toBeInstanceOf(ReplyAbandonedError);
    expect(h.failed()[0]).toMatchObject({
      accountId: OTHER_BOT.id,
      retryable: false,
      reason: `the X credentials act for @${BOT.username} (${BOT.id}), not for account ${OTHER_BOT.id}`,
    });
    expect(h.emulator.postedTweets()).toHaveLength(0);
  });

  it('an invalid SEND_TWEET is refused for good with the field at fault', async () => {
    const mention = h.emulator.addMention({ author: ADA.id, text: 'hi' });
    const event = await h.publish(tweetReply(mention));
    const broken = { ...event, detail: { ...event.detail, text: '' } };

    const { error } = await h.deliver(broken);

    expect(error).toBeInstanceOf(InvalidSendTweetError);
    expect((error as Error).message).toBe(
      'SEND_TWEET detail is invalid: text: Too small: expected string to have >=1 characters',
    );
    expect(h.emulator.requests).toHaveLength(0);
  });
});
