import { describe, expect, it } from '@jest/globals';
import { translateActivity } from '../../src/activity/index.js';
import {
  ADA,
  BOT,
  ctx,
  DELIVERY_FIXTURES,
  expectAllValid,
  fixture,
  GRACE,
  only,
  typesOf,
} from './support.js';

describe('every fixture', () => {
  it.each(DELIVERY_FIXTURES)('%s: translates without a crash into events the catalog accepts', (file) => {
    const { events } = translateActivity(fixture(file), ctx());

    expect(events.length).toBeGreaterThan(0);
    expectAllValid(events);
    expect(events.every((e) => e.entry.source === 'murmur.ingress')).toBe(true);
    expect(
      events.every((e) => (e.entry.detail as { correlationId: string }).correlationId === 'whd-test-0001'),
    ).toBe(true);
  });
});

describe('likes, follows, blocks and mutes', () => {
  it('turns a like into TWITTER_FAVOURITED with its id, and no message', () => {
    const { events } = translateActivity(fixture('favorite.json'), ctx());

    expect(typesOf(events)).toEqual(['TWITTER_FAVOURITED']);
    expect(only(events, 'TWITTER_FAVOURITED')).toMatchObject({
      forUserId: BOT,
      eventId: 'a7ba59eab0bfcba386f7acedac279542',
      payloadKey: 'favorite_events',
    });
    expect(events[0]!.idempotencyKey).toBe(`favorite:${BOT}:a7ba59eab0bfcba386f7acedac279542`);
  });

  it.each([
    ['follow.json', 'TWITTER_FOLLOWED', 'follow_events', `follow:${BOT}:${ADA}:${BOT}:1773480700000`],
    ['unfollow.json', 'TWITTER_UNFOLLOWED', 'follow_events', `unfollow:${BOT}:${ADA}:${BOT}:1773480800000`],
    [
      'unfollow-events-key.json',
      'TWITTER_UNFOLLOWED',
      'unfollow_events',
      `unfollow:${BOT}:${GRACE}:${BOT}:1773480810000`,
    ],
    [
      'block.json',
      'TWITTER_BLOCKED',
      'block_events',
      `block:${BOT}:${BOT}:1600000000000000666:1773480900000`,
    ],
    [
      'unblock.json',
      'TWITTER_UNBLOCKED',
      'block_events',
      `unblock:${BOT}:${BOT}:1600000000000000666:1773481900000`,
    ],
    ['mute.json', 'TWITTER_MUTED', 'mute_events', `mute:${BOT}:${BOT}:1600000000000000666:1773480950000`],
    [
      'unmute.json',
      'TWITTER_UNMUTED',
      'mute_events',
      `unmute:${BOT}:${BOT}:1600000000000000666:1773481950000`,
    ],
  ] as const)('%s becomes %s (from %s), keyed %s', (file, type, payloadKey, key) => {
    const body = fixture(file);
    const { events } = translateActivity(body, ctx());

    expect(typesOf(events)).toEqual([type]);
    expectAllValid(events);
    expect(only(events, type)).toMatchObject({
      forUserId: BOT,
      payloadKey,
      payload: (body[payloadKey] as unknown[])[0],
    });
    expect(events[0]!.idempotencyKey).toBe(key);
  });

  it('keeps a follow_events element of a type Murmur does not know as TWITTER_UNKNOWN', () => {
    const body = fixture('follow.json');
    (body.follow_events as Record<string, unknown>[])[0]!.type = 'follow_request';

    const { events, notes } = translateActivity(body, ctx());

    expect(typesOf(events)).toEqual(['TWITTER_UNKNOWN']);
    expectAllValid(events);
    expect(only(events, 'TWITTER_UNKNOWN')).toMatchObject({
      payloadKey: 'follow_events',
      payload: { type: 'follow_request' },
    });
    expect(notes.join('\n')).toMatch(/does not fit TWITTER_FOLLOWED/);
  });
});

describe('the user_event revoke', () => {
  it('reads user_event as an object, not an array', () => {
    const { forUserId, events } = translateActivity(fixture('revoke.json'), ctx());

    expect(forUserId).toBe(ADA);
    expect(typesOf(events)).toEqual(['TWITTER_PERMISSION_REVOKED']);
    expectAllValid(events);
    expect(only(events, 'TWITTER_PERMISSION_REVOKED').payload).toEqual({
      revoke: {
        date_time: '2026-03-14T09:40:00+00:00',
        target: { app_id: '13090192' },
        source: { user_id: ADA },
      },
    });
    expect(events[0]!.idempotencyKey).toBe(`revoke:${ADA}:${ADA}:13090192:2026-03-14T09:40:00+00:00`);
  });

  it("takes the account from the revoking user when X sends no for_user_id (as X's own example)", () => {
    const { forUserId, events, notes } = translateActivity(fixture('revoke-without-for-user-id.json'), ctx());

    expect(forUserId).toBe(GRACE);
    expect(typesOf(events)).toEqual(['TWITTER_PERMISSION_REVOKED']);
    expectAllValid(events);
    expect(notes.join('\n')).toMatch(/no for_user_id/);
  });
});

describe('direct messages', () => {
  it('turns a DM to the account into TWITTER_DM_RECEIVED with the users and apps maps, and MESSAGE_RECEIVED', () => {
    const body = fixture('dm-in.json');
    const { events, notes } = translateActivity(body, ctx());

    expect(typesOf(events)).toEqual(['TWITTER_DM_RECEIVED', 'MESSAGE_RECEIVED']);
    expectAllValid(events);
    expect(only(events, 'TWITTER_DM_RECEIVED')).toMatchObject({
      forUserId: BOT,
      eventId: '1900000000000000777',
      payloadKey: 'direct_message_events',
      users: body.users,
      apps: body.apps,
    });
    expect(only(events, 'MESSAGE_RECEIVED')).toEqual({
      schemaVersion: 1,
      correlationId: 'whd-test-0001',
      messageId: '1900000000000000777',
      accountId: BOT,
      kind: 'directMessage',
      ingress: 'webhook',
      dmId: '1900000000000000777',
      conversationId: `${ADA}-${BOT}`,
      text: 'Hi! Can you tell me a joke? https://t.co/DmPh0t0L1',
      author: { id: ADA, screenName: 'ada_l', name: 'Ada Lovelace' },
      createdAt: '2026-03-14T09:36:40.000Z',
      media: [
        {
          type: 'photo',
          url: 'https://ton.twitter.com/1.1/ton/data/dm/1900000000000000777/1900000000000000501/DmPh0t0.jpg',
          mediaKey: '1900000000000000501',
          width: 1024,
          height: 768,
        },
      ],
    });
    expect(notes).toEqual([]);
  });

  it("keeps the account's own DM out as a raw event only", () => {
    const { events, notes } = translateActivity(fixture('dm-out.json'), ctx());

    expect(typesOf(events)).toEqual(['TWITTER_DM_RECEIVED']);
    expectAllValid(events);
    expect(notes.join('\n')).toMatch(/own DM/);
  });

  it('skips the message, not the raw event, when the users map does not name the sender', () => {
    const body = fixture('dm-in.json');
    delete (body.users as Record<string, unknown>)[ADA];

    const { events, notes } = translateActivity(body, ctx());

    expect(typesOf(events)).toEqual(['TWITTER_DM_RECEIVED']);
    expectAllValid(events);
    expect(notes.join('\n')).toMatch(/users map does not name the sender 2244994945/);
  });

  it('keeps a DM whose delivery has no users map, with an empty map and a note', () => {
    const body = fixture('dm-in.json');
    delete body.users;

    const { events, notes } = translateActivity(body, ctx());

    expect(typesOf(events)).toEqual(['TWITTER_DM_RECEIVED']);
    expectAllValid(events);
    expect(only(events, 'TWITTER_DM_RECEIVED').users).toEqual({});
    expect(notes.join('\n')).toMatch(/no users map/);
  });

  it.each([
    [
      'typing.json',
      'TWITTER_DM_TYPING',
      'direct_message_indicate_typing_events',
      `typing:${BOT}:${ADA}:${BOT}:1773480995000`,
    ],
    [
      'mark-read.json',
      'TWITTER_DM_MARKED_READ',
      'direct_message_mark_read_events',
      `read:${BOT}:${ADA}:${BOT}:1900000000000000778:1773481100000`,
    ],
  ] as const)('%s becomes %s with the users map', (file, type, payloadKey, key) => {
    const body = fixture(file);
    const { events } = translateActivity(body, ctx());

    expect(typesOf(events)).toEqual([type]);
    expectAllValid(events);
    expect(only(events, type)).toMatchObject({ payloadKey, users: body.users });
    expect(events[0]!.idempotencyKey).toBe(key);
  });
});

describe('deletes and unknown keys', () => {
  it('turns a tweet delete into TWITTER_DELETED keyed on the deleted tweet', () => {
    const { events } = translateActivity(fixture('delete.json'), ctx());

    expect(typesOf(events)).toEqual(['TWITTER_DELETED']);
    expectAllValid(events);
    expect(only(events, 'TWITTER_DELETED')).toMatchObject({
      eventId: '1900000000000000101',
      payloadKey: 'tweet_delete_events',
    });
    expect(events[0]!.idempotencyKey).toBe(`delete:${BOT}:1900000000000000101`);
  });

  it('keeps every unknown key as TWITTER_UNKNOWN: one per array element, or the whole value', () => {
    const body = fixture('unknown-key.json');
    const { events, notes } = translateActivity(body, ctx());

    expect(typesOf(events)).toEqual(['TWITTER_UNKNOWN', 'TWITTER_UNKNOWN']);
    expectAllValid(events);
    expect(events.map((e) => e.entry.detail)).toEqual([
      expect.objectContaining({
        payloadKey: 'tweet_edit_events',
        payload: (body.tweet_edit_events as unknown[])[0],
      }),
      expect.objectContaining({ payloadKey: 'subscription_limit_event', payload: { limit: 1, used: 1 } }),
    ]);
    expect(notes).toEqual(expect.arrayContaining([expect.stringMatching(/unknown key tweet_edit_events/)]));
  });

  it('treats the envelope keys as context, not events', () => {
    const body = { ...fixture('dm-in.json'), user_has_blocked: false, is_blocked_by: 'true' };
    const { events } = translateActivity(body, ctx());

    expect(typesOf(events)).toEqual(['TWITTER_DM_RECEIVED', 'MESSAGE_RECEIVED']);
  });

  it('carries is_blocked_by onto a mention as a boolean', () => {
    const body = { ...fixture('mention-text.json'), is_blocked_by: 'true' };
    const { events } = translateActivity(body, ctx());

    expectAllValid(events);
    expect(only(events, 'TWITTER_TWEETED').isBlockedBy).toBe(true);
  });

  it('translates a delivery holding several kinds, in the order X wrote them', () => {
    const body = {
      for_user_id: BOT,
      favorite_events: fixture('favorite.json').favorite_events,
      tweet_create_events: fixture('reply.json').tweet_create_events,
      follow_events: [
        ...(fixture('follow.json').follow_events as unknown[]),
        ...(fixture('unfollow.json').follow_events as unknown[]),
      ],
    };
    const { events } = translateActivity(body, ctx());

    expect(typesOf(events)).toEqual([
      'TWITTER_FAVOURITED',
      'TWITTER_TWEETED',
      'MESSAGE_RECEIVED',
      'TWITTER_FOLLOWED',
      'TWITTER_UNFOLLOWED',
    ]);
    expectAllValid(events);
  });
});
