import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import {
  catalog,
  DETAIL_TYPES,
  type DetailOf,
  findCatalogEntry,
  loadExamples,
  SOURCES,
  validateDetail,
} from '../src/index.js';

const example = (detailType: string, name?: string) => {
  const found = loadExamples().find(
    (e) => e.valid && e.detailType === detailType && (!name || e.name === name),
  );
  if (!found) throw new Error(`no valid example for ${detailType}`);
  return found.envelope;
};

describe('catalog', () => {
  it('has one entry per (source, detail-type), each under a Murmur source', () => {
    const pairs = catalog.map((e) => `${e.source} ${e.detailType}`);
    expect(new Set(pairs).size).toBe(catalog.length);
    expect(new Set(catalog.map((e) => e.detailType)).size).toBe(catalog.length);
    const sources: string[] = Object.values(SOURCES);
    for (const entry of catalog) expect(sources).toContain(entry.source);
  });

  it('keeps the reference design detail-types and adds what later services need', () => {
    expect(DETAIL_TYPES).toEqual(
      expect.arrayContaining([
        'TWITTER_TWEETED',
        'TWITTER_FAVOURITED',
        'TWITTER_FOLLOWED',
        'TWITTER_UNFOLLOWED',
        'TWITTER_BLOCKED',
        'TWITTER_UNBLOCKED',
        'TWITTER_MUTED',
        'TWITTER_UNMUTED',
        'TWITTER_PERMISSION_REVOKED',
        'TWITTER_DM_RECEIVED',
        'TWITTER_DM_TYPING',
        'TWITTER_DM_MARKED_READ',
        'TWITTER_DELETED',
        'TWITTER_UNKNOWN',
        'MESSAGE_RECEIVED',
        'MESSAGE_ANALYSED',
        'MESSAGE_ANALYSIS_FAILED',
        'SEND_TWEET',
        'TWEET_SENT',
        'TWEET_FAILED',
        'ALERT_RAISED',
      ]),
    );
    expect(findCatalogEntry('murmur.ingress', 'TWITTER_DM_RECEIVED')).toBeDefined();
    expect(findCatalogEntry('murmur.analysis', 'MESSAGE_ANALYSED')).toBeDefined();
    expect(findCatalogEntry('murmur.responding', 'SEND_TWEET')).toBeDefined();
    expect(findCatalogEntry('murmur.egress', 'TWEET_FAILED')).toBeDefined();
  });

  it.each(catalog.map((e) => [e.detailType, e] as const))(
    '%s requires schemaVersion and correlationId',
    (_, entry) => {
      const detail = { ...example(entry.detailType).detail };
      expect(entry.schema.safeParse(detail).success).toBe(true);
      for (const field of ['schemaVersion', 'correlationId']) {
        const { [field]: _removed, ...without } = detail;
        const result = validateDetail(entry.source, entry.detailType, without);
        expect(result).toEqual({ ok: false, error: expect.stringContaining(`detail.${field}: missing`) });
      }
      expect(
        validateDetail(entry.source, entry.detailType, { ...detail, correlationId: 'c'.repeat(129) }).ok,
      ).toBe(false);
      expect(
        validateDetail(entry.source, entry.detailType, { ...detail, correlationId: 'c'.repeat(128) }).ok,
      ).toBe(true);
    },
  );

  it('has a description and version for every entry', () => {
    for (const entry of catalog) {
      expect(entry.description.length).toBeGreaterThan(20);
      expect(entry.schemaVersion).toBe(1);
    }
  });
});

describe('validateDetail', () => {
  it('rejects an unknown source and detail-type, saying so', () => {
    expect(validateDetail('murmur.nowhere', 'NOT_A_THING', {})).toEqual({
      ok: false,
      error: 'unknown event: source "murmur.nowhere" with detail-type "NOT_A_THING" is not in the catalog',
    });
  });

  it('rejects a known detail-type under the wrong source, naming the right one', () => {
    const detail = example('MESSAGE_RECEIVED').detail;
    const result = validateDetail(SOURCES.egress, 'MESSAGE_RECEIVED', detail);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toBe(
      'unknown event: source "murmur.egress" with detail-type "MESSAGE_RECEIVED" is not in the catalog ' +
        '(MESSAGE_RECEIVED is published by "murmur.ingress")',
    );
    expect(validateDetail(SOURCES.ingress, 'MESSAGE_RECEIVED', detail).ok).toBe(true);
  });

  it('names the field path and the problem', () => {
    const detail = structuredClone(example('MESSAGE_RECEIVED').detail) as { author: { id: unknown } };
    detail.author.id = 2244994945;
    expect(validateDetail(SOURCES.ingress, 'MESSAGE_RECEIVED', detail)).toEqual({
      ok: false,
      error: 'detail.author.id: expected string, received number',
    });
  });

  it('names array indexes and unknown fields', () => {
    const detail = example('MESSAGE_RECEIVED', 'valid-mention-with-photos').detail;
    (detail.media as { type: string }[])[1]!.type = 'gif';
    detail.imageUrls = [];
    const result = validateDetail(SOURCES.ingress, 'MESSAGE_RECEIVED', detail);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toContain('detail.media[1].type: Invalid option');
    expect(!result.ok && result.error).toContain('detail.imageUrls: unknown field');
  });

  it('rejects a detail that is not an object', () => {
    const result = validateDetail(SOURCES.ingress, 'MESSAGE_RECEIVED', 'hello');
    expect(result).toEqual({ ok: false, error: 'detail: expected object, received string' });
  });

  it('returns the detail unchanged, keeping extra fields X sends in raw payloads', () => {
    const detail = example('TWITTER_TWEETED').detail as { payload: Record<string, unknown> };
    const withNew = { ...detail, payload: { ...detail.payload, edit_controls: { editable_until_ms: 1 } } };
    const result = validateDetail(SOURCES.ingress, 'TWITTER_TWEETED', withNew);
    expect(result).toEqual({ ok: true, detail: withNew });
  });

  it('never lets the bot consider or answer its own messages', () => {
    const received = example('MESSAGE_RECEIVED').detail as DetailOf<'MESSAGE_RECEIVED'>;
    const own = { ...received, author: { ...received.author, id: received.accountId } };
    expect(validateDetail(SOURCES.ingress, 'MESSAGE_RECEIVED', own)).toEqual({
      ok: false,
      error: 'detail.author.id: must not be the account itself (accountId)',
    });
    const send = example('SEND_TWEET').detail as DetailOf<'SEND_TWEET'>;
    const toSelf = { ...send, replyToUserId: send.accountId };
    expect(validateDetail(SOURCES.responding, 'SEND_TWEET', toSelf).ok).toBe(false);
  });

  it('checks the ids each message kind needs', () => {
    const dm = example('MESSAGE_RECEIVED', 'valid-direct-message').detail;
    expect(validateDetail(SOURCES.ingress, 'MESSAGE_RECEIVED', dm).ok).toBe(true);
    const asMention = { ...dm, kind: 'mention' };
    const result = validateDetail(SOURCES.ingress, 'MESSAGE_RECEIVED', asMention);
    expect(!result.ok && result.error).toContain('detail.tweetId: required when kind is mention');
    expect(!result.ok && result.error).toContain('detail.dmId: not allowed when kind is mention');
    const wrongId = { ...dm, messageId: '1' };
    expect(validateDetail(SOURCES.ingress, 'MESSAGE_RECEIVED', wrongId)).toEqual({
      ok: false,
      error: 'detail.messageId: must equal dmId',
    });
  });

  it('accepts any payload under TWITTER_UNKNOWN but requires the key and the payload', () => {
    const detail = example('TWITTER_UNKNOWN').detail;
    for (const payload of [[1, 2], 'x', 0, null, { a: { b: 1 } }]) {
      expect(validateDetail(SOURCES.ingress, 'TWITTER_UNKNOWN', { ...detail, payload }).ok).toBe(true);
    }
    const { payload: _, ...noPayload } = detail;
    expect(validateDetail(SOURCES.ingress, 'TWITTER_UNKNOWN', noPayload)).toEqual({
      ok: false,
      error: 'detail.payload: missing',
    });
  });

  it('gives types that follow the catalog', () => {
    // Compile-time: tsc checks these; at run time they only have to exist.
    const sent: DetailOf<'TWEET_SENT'> = {
      schemaVersion: 1,
      correlationId: 'c',
      accountId: '1',
      sourceMessageId: '2',
      channel: 'tweet',
      dryRun: false,
      tweetId: '3',
      sentAt: '2026-01-01T00:00:00Z',
    };
    // @ts-expect-error schemaVersion is the literal 1
    const wrong: DetailOf<'TWEET_SENT'>['schemaVersion'] = 2;
    expect([sent.tweetId, wrong]).toEqual(['3', 2]);
    expect(findCatalogEntry(SOURCES.egress, 'TWEET_SENT')!.schema).toBeInstanceOf(z.ZodType);
  });
});
