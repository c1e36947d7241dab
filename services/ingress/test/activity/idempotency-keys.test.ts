import { describe, expect, it } from '@jest/globals';
import { translateActivity } from '../../src/activity/index.js';
import { BOT, ctx, DELIVERY_FIXTURES, fixture } from './support.js';

const keysOf = (body: unknown, correlationId = 'whd-test-0001') =>
  translateActivity(body, ctx(undefined, correlationId)).events.map(
    (e) => `${e.entry.detailType}:${e.idempotencyKey}`,
  );

describe('idempotency keys', () => {
  it.each(DELIVERY_FIXTURES)(
    '%s: the same keys when X delivers it again (another correlation id)',
    (file) => {
      const first = keysOf(fixture(file), 'whd-first');
      const again = keysOf(fixture(file), 'whd-retry');

      expect(again).toEqual(first);
    },
  );

  it('are distinct for every different event across all fixtures (per detail-type)', () => {
    const seen = new Map<string, string>();
    for (const file of DELIVERY_FIXTURES) {
      // The two deliveries of one tweet to two accounts are different events; each file is one delivery.
      for (const key of new Set(keysOf(fixture(file)))) {
        expect(seen.get(key) ?? file).toBe(file);
        seen.set(key, file);
      }
    }
    expect(seen.size).toBeGreaterThan(DELIVERY_FIXTURES.length);
  });

  it("use X's own ids: tweet, DM and favorite", () => {
    const [tweetKey] = translateActivity(fixture('mention-text.json'), ctx()).events.map(
      (e) => e.idempotencyKey,
    );
    const [dmKey] = translateActivity(fixture('dm-in.json'), ctx()).events.map((e) => e.idempotencyKey);

    expect(tweetKey).toBe(`tweet:${BOT}:1900000000000000101`);
    expect(dmKey).toBe(`dm:${BOT}:1900000000000000777`);
  });

  it('give a tweet and its message the same key, told apart by detail-type', () => {
    const events = translateActivity(fixture('mention-text.json'), ctx()).events;

    expect(new Set(events.map((e) => e.idempotencyKey)).size).toBe(1);
    expect(new Set(events.map((e) => `${e.entry.detailType}:${e.idempotencyKey}`)).size).toBe(2);
  });

  it('tell apart a follow and the unfollow of the same pair', () => {
    const follow = keysOf(fixture('follow.json'));
    const unfollow = fixture('follow.json');
    (unfollow.follow_events as Record<string, unknown>[])[0]!.type = 'unfollow';

    expect(keysOf(unfollow)).not.toEqual(follow);
  });

  it('do not depend on the order of keys in an element X gave no id for', () => {
    const element = { edit_history_tweet_ids: ['1', '2'], tweet_id: '2' };
    const reordered = { tweet_id: '2', edit_history_tweet_ids: ['1', '2'] };

    expect(keysOf({ for_user_id: BOT, tweet_edit_events: [element] })).toEqual(
      keysOf({ for_user_id: BOT, tweet_edit_events: [reordered] }),
    );
    expect(keysOf({ for_user_id: BOT, tweet_edit_events: [element] })).not.toEqual(
      keysOf({ for_user_id: BOT, tweet_edit_events: [{ ...element, tweet_id: '3' }] }),
    );
  });

  it('fall back to a content hash when identifying parts are missing, still stable', () => {
    const body = fixture('follow.json');
    delete (body.follow_events as Record<string, unknown>[])[0]!.created_timestamp;

    const [key] = keysOf(body);
    expect(key).toMatch(new RegExp(`^TWITTER_FOLLOWED:follow:${BOT}:h:[0-9a-f]{32}$`));
    expect(keysOf(structuredClone(body))).toEqual([key]);
  });
});
