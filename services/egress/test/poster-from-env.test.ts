// Which poster `murmur start` gets from its environment: X with user-context credentials, the
// outbox otherwise. Posting for real is checked against the emulator (MURMUR_X_API_URL).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { XConfigError } from '@murmur/x-client';
import { XEmulator } from '@murmur/x-emulator';
import { OutboxPoster } from '../src/outbox-poster.js';
import { replyPosterFromEnv } from '../src/poster-from-env.js';
import { XReplyPoster } from '../src/x-poster.js';
import { ADA, BOT, CREDENTIALS, tweetReply } from './support.js';

let dir: string;
let outboxDir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'murmur-egress-env-'));
  outboxDir = join(dir, 'outbox');
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('replyPosterFromEnv', () => {
  it('with no X credentials at all: the dry-run outbox, and says so', () => {
    const choice = replyPosterFromEnv({}, { outboxDir });

    expect(choice.poster).toBeInstanceOf(OutboxPoster);
    expect((choice.poster as OutboxPoster).dir).toBe(outboxDir);
    expect(choice.description).toBe(
      `dry run (none of X_API_KEY, X_CONSUMER_SECRET, X_ACCESS_TOKEN, X_ACCESS_TOKEN_SECRET set): replies go to ${outboxDir}`,
    );
  });

  it('with only what ingress needs (the consumer secret, a bearer token): still a dry run', () => {
    const choice = replyPosterFromEnv(
      { X_CONSUMER_SECRET: 'webhook-secret-value', X_BEARER_TOKEN: 'bearer-value' },
      { outboxDir },
    );

    expect(choice.poster.mode).toBe('dry-run');
    expect(choice.description).toContain('not all of X_API_KEY');
    expect(choice.description).not.toContain('webhook-secret-value');
    expect(choice.description).not.toContain('bearer-value');
  });

  it('MURMUR_EGRESS_DRY_RUN=true keeps replies in the outbox even with credentials', () => {
    const choice = replyPosterFromEnv({ ...CREDENTIALS, MURMUR_EGRESS_DRY_RUN: 'true' }, { outboxDir });

    expect(choice.poster).toBeInstanceOf(OutboxPoster);
    expect(choice.description).toBe(`dry run (MURMUR_EGRESS_DRY_RUN is set): replies go to ${outboxDir}`);
  });

  it('refuses a MURMUR_EGRESS_DRY_RUN it cannot read, and a MURMUR_X_API_URL off this machine', () => {
    expect(() => replyPosterFromEnv({ MURMUR_EGRESS_DRY_RUN: 'maybe' }, { outboxDir })).toThrow(
      new XConfigError('MURMUR_EGRESS_DRY_RUN must be true, false, 1 or 0'),
    );
    expect(() =>
      replyPosterFromEnv({ ...CREDENTIALS, MURMUR_X_API_URL: 'http://x.example.com:4010' }, { outboxDir }),
    ).toThrow(XConfigError);
  });

  describe('with the four user-context credentials', () => {
    let emulator: XEmulator;
    beforeEach(async () => {
      emulator = await XEmulator.start({ me: BOT });
      emulator.addUser(ADA);
    });
    afterEach(async () => {
      await emulator.stop();
    });

    it('posts to X (here the emulator at MURMUR_X_API_URL), naming no secret', async () => {
      const choice = replyPosterFromEnv(
        { ...CREDENTIALS, MURMUR_X_API_URL: emulator.url, MURMUR_EGRESS_DRY_RUN: 'false' },
        { outboxDir },
      );
      const mention = emulator.addMention({ author: ADA.id, text: 'hi' });

      const posted = await choice.poster.post(tweetReply(mention));

      expect(choice.poster).toBeInstanceOf(XReplyPoster);
      expect(choice.description).toBe(`replies are posted to the X API emulator at ${emulator.url}`);
      expect(emulator.postedTweets()).toEqual([expect.objectContaining({ id: posted.tweetId })]);
      for (const value of Object.values(CREDENTIALS)) expect(choice.description).not.toContain(value);
    });
  });
});
