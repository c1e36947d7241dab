import { describe, expect, it } from '@jest/globals';
import { InvalidActivityError, translateActivity } from '../../src/activity/index.js';
import { BOT, ctx, expectAllValid, fixture, only, typesOf } from './support.js';

describe('bodies that are not a delivery', () => {
  it.each([
    ['null', null],
    ['a string', 'for_user_id=1590000000000000001'],
    ['a number', 42],
    ['a boolean', true],
    ['an array', [{ for_user_id: BOT, tweet_create_events: [] }]],
    ['undefined', undefined],
  ])('refuses %s with InvalidActivityError', (_name, body) => {
    expect(() => translateActivity(body, ctx())).toThrow(InvalidActivityError);
  });

  it.each([
    ['missing', { tweet_create_events: [] }, /for_user_id is missing/],
    ['a number', { for_user_id: Number(BOT), tweet_create_events: [] }, /not an X id/],
    ['not digits', { for_user_id: '@MurmurBot', tweet_create_events: [] }, /not an X id/],
    ['empty', { for_user_id: '', tweet_create_events: [] }, /not an X id/],
    ['too long', { for_user_id: '1'.repeat(21), tweet_create_events: [] }, /not an X id/],
    ['an object', { for_user_id: { id: BOT }, tweet_create_events: [] }, /not an X id/],
  ])('refuses a for_user_id that is %s', (_name, body, message) => {
    expect(() => translateActivity(body, ctx())).toThrow(message);
  });

  it('is an Error the webhook can tell apart', () => {
    try {
      translateActivity({}, ctx());
      throw new Error('expected a throw');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidActivityError);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).name).toBe('InvalidActivityError');
    }
  });
});

describe('tweet objects with missing fields', () => {
  const tweetOf = (body: Record<string, unknown>) =>
    (body.tweet_create_events as Record<string, unknown>[])[0]!;

  it.each([
    ['user', /no user\.id_str/],
    ['text', /no text/],
    ['created_at', undefined],
  ])('without %s: still the raw event, and a message only if it can be whole', (field, note) => {
    const body = fixture('mention-text.json');
    delete tweetOf(body)[field];

    const { events, notes } = translateActivity(body, ctx());

    expectAllValid(events);
    expect(typesOf(events)[0]).toBe('TWITTER_TWEETED');
    if (note) {
      expect(typesOf(events)).toEqual(['TWITTER_TWEETED']);
      expect(notes.join('\n')).toMatch(note);
    } else {
      // created_at missing: timestamp_ms still dates it.
      expect(only(events, 'MESSAGE_RECEIVED').createdAt).toBe('2026-03-14T08:00:01.000Z');
    }
  });

  it('without id_str: the raw event without eventId, keyed on its content; no message', () => {
    const body = fixture('mention-text.json');
    delete tweetOf(body).id_str;

    const { events, notes } = translateActivity(body, ctx());

    expect(typesOf(events)).toEqual(['TWITTER_TWEETED']);
    expectAllValid(events);
    expect(only(events, 'TWITTER_TWEETED').eventId).toBeUndefined();
    expect(events[0]!.idempotencyKey).toMatch(new RegExp(`^tweet:${BOT}:h:[0-9a-f]{32}$`));
    expect(notes.join('\n')).toMatch(/no id_str/);
  });

  it('without any date: the raw event only', () => {
    const body = fixture('mention-text.json');
    delete tweetOf(body).created_at;
    delete tweetOf(body).timestamp_ms;

    const { events, notes } = translateActivity(body, ctx());

    expect(typesOf(events)).toEqual(['TWITTER_TWEETED']);
    expect(notes.join('\n')).toMatch(/no readable created_at/);
  });

  it('with a numeric user id only (no id_str): no message, since its author cannot be told from the account', () => {
    const body = fixture('mention-text.json');
    tweetOf(body).user = { id: 2244994945, name: 'Ada Lovelace', screen_name: 'ada_l' };

    const { events } = translateActivity(body, ctx());

    expect(typesOf(events)).toEqual(['TWITTER_TWEETED']);
    expectAllValid(events);
  });

  it('with unreadable photos: the message without them, and a note for each', () => {
    const body = fixture('mention-photos.json');
    const media = (tweetOf(body).extended_entities as { media: Record<string, unknown>[] }).media;
    media[1]!.type = 'hologram';
    delete media[2]!.media_url_https;
    delete media[2]!.media_url;

    const { events, notes } = translateActivity(body, ctx());

    expectAllValid(events);
    const kept = only(events, 'MESSAGE_RECEIVED').media as { mediaKey: string }[];
    expect(kept.map((m) => m.mediaKey)).toEqual(['3_1900000000000000201', '3_1900000000000000204']);
    expect(notes.join('\n')).toMatch(/type "hologram"/);
    expect(notes.join('\n')).toMatch(/no image URL/);
  });

  it('with a screen name the schema refuses: the raw event, and the message skipped with the reason', () => {
    const body = fixture('mention-text.json');
    (tweetOf(body).user as Record<string, unknown>).screen_name = 'ada lovelace!';

    const { events, notes } = translateActivity(body, ctx());

    expect(typesOf(events)).toEqual(['TWITTER_TWEETED']);
    expectAllValid(events);
    expect(notes.join('\n')).toMatch(/MESSAGE_RECEIVED .* skipped: detail\.author\.screenName/);
  });

  it('with an element that is not an object: kept as TWITTER_UNKNOWN', () => {
    const body = { for_user_id: BOT, tweet_create_events: ['1900000000000000101', null] };

    const { events, notes } = translateActivity(body, ctx());

    expect(typesOf(events)).toEqual(['TWITTER_UNKNOWN', 'TWITTER_UNKNOWN']);
    expectAllValid(events);
    expect(events.map((e) => (e.entry.detail as { payload: unknown }).payload)).toEqual([
      '1900000000000000101',
      null,
    ]);
    expect(notes.join('\n')).toMatch(/tweet_create_events element does not fit TWITTER_TWEETED/);
  });

  it('with a field of the wrong type for the raw schema: kept as TWITTER_UNKNOWN, never lost', () => {
    const body = fixture('mention-text.json');
    tweetOf(body).truncated = 'false';

    const { events } = translateActivity(body, ctx());

    expectAllValid(events);
    expect(typesOf(events)).toEqual(['TWITTER_UNKNOWN', 'MESSAGE_RECEIVED']);
  });
});

describe('arrays where objects are expected, and objects where arrays are', () => {
  it('keeps a user_event sent as an array as TWITTER_UNKNOWN, not a crash', () => {
    const body = { for_user_id: BOT, user_event: [fixture('revoke.json').user_event] };

    const { events, notes } = translateActivity(body, ctx());

    expect(typesOf(events)).toEqual(['TWITTER_UNKNOWN']);
    expectAllValid(events);
    expect(only(events, 'TWITTER_UNKNOWN').payloadKey).toBe('user_event');
    expect(notes.join('\n')).toMatch(/user_event is not an object/);
  });

  it.each([
    ['tweet_create_events', { id_str: '1900000000000000101', text: 'hi' }],
    ['follow_events', { type: 'follow' }],
    ['direct_message_events', 'message'],
    ['favorite_events', null],
  ])('keeps %s sent as a non-array as one TWITTER_UNKNOWN', (key, value) => {
    const { events, notes } = translateActivity({ for_user_id: BOT, [key]: value }, ctx());

    expect(typesOf(events)).toEqual(['TWITTER_UNKNOWN']);
    expectAllValid(events);
    expect(only(events, 'TWITTER_UNKNOWN')).toMatchObject({ payloadKey: key, payload: value });
    expect(notes.join('\n')).toMatch(new RegExp(`${key} is not an array`));
  });

  it('keeps a users map that is an array out of the DM events, with a note', () => {
    const body = { ...fixture('dm-in.json'), users: [] };

    const { events, notes } = translateActivity(body, ctx());

    expectAllValid(events);
    expect(typesOf(events)).toEqual(['TWITTER_DM_RECEIVED']);
    expect(only(events, 'TWITTER_DM_RECEIVED').users).toEqual({});
    expect(notes.join('\n')).toMatch(/no users map object/);
  });

  it('notes a delivery with no events at all', () => {
    const { events, notes } = translateActivity({ for_user_id: BOT, tweet_create_events: [] }, ctx());

    expect(events).toEqual([]);
    expect(notes).toEqual(['the delivery holds no events']);
  });
});
