// The local default with no X credentials: the dry-run outbox, under the same exactly-once rule.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { OutboxEntrySchema, OutboxPoster, UPLOADED_MEDIA_ID } from '../src/outbox-poster.js';
import { DEFAULT_CLAIM_SECONDS } from '../src/send-tweet.js';
import { ADA, ANNOTATED_JPEG, BOT, crashingAfterX, dmReply, Harness, tweetReply } from './support.js';

let h: Harness;
let outboxDir: string;

beforeEach(async () => {
  h = await Harness.start({
    poster: ({ dir, clock }) => {
      outboxDir = join(dir, 'outbox');
      return new OutboxPoster(outboxDir, () => new Date(clock.now));
    },
  });
});

afterEach(async () => {
  await h.close();
});

const readEntry = (path: string) => OutboxEntrySchema.parse(JSON.parse(readFileSync(path, 'utf8')));

describe('the dry-run outbox', () => {
  it('writes one JSON file per reply with the image beside it, logs it, and reports TWEET_SENT dryRun', async () => {
    const mention = h.emulator.addMention({ author: ADA.id, text: 'who is this?' });
    const mediaKey = await h.putMedia();
    const detail = tweetReply(mention, {
      responder: 'image-annotation',
      text: '@ada I see Grace Hopper.',
      mediaKey,
      mediaAltText: 'The photo, with Grace Hopper marked.',
    });

    const { error } = await h.deliver(await h.publish(detail));

    expect(error).toBeUndefined();
    const path = join(outboxDir, `${mention.id}.json`);
    expect(readdirSync(outboxDir).sort()).toEqual([`${mention.id}.jpg`, `${mention.id}.json`]);
    expect(Buffer.compare(readFileSync(join(outboxDir, `${mention.id}.jpg`)), ANNOTATED_JPEG)).toBe(0);
    expect(readEntry(path)).toEqual({
      dryRun: true,
      writtenAt: new Date(h.clock.now).toISOString(),
      sourceMessageId: mention.id,
      correlationId: detail.correlationId,
      accountId: BOT.id,
      channel: 'tweet',
      responder: 'image-annotation',
      replyTo: { userId: ADA.id, screenName: ADA.username },
      text: '@ada I see Grace Hopper.',
      media: {
        file: `${mention.id}.jpg`,
        key: mediaKey,
        contentType: 'image/jpeg',
        bytes: ANNOTATED_JPEG.length,
        altText: 'The photo, with Grace Hopper marked.',
      },
      request: {
        method: 'POST',
        path: '/2/tweets',
        body: {
          text: '@ada I see Grace Hopper.',
          reply: { in_reply_to_tweet_id: mention.id },
          media: { media_ids: [UPLOADED_MEDIA_ID] },
        },
      },
    });
    expect(h.sent()).toEqual([
      {
        schemaVersion: 1,
        correlationId: detail.correlationId,
        accountId: BOT.id,
        sourceMessageId: mention.id,
        channel: 'tweet',
        dryRun: true,
        inReplyToTweetId: mention.id,
        outboxPath: path,
        sentAt: new Date(h.clock.now).toISOString(),
      },
    ]);
    const line = h.lines.map((l) => JSON.parse(l)).find((l) => l.message.startsWith('dry run'));
    expect(line).toMatchObject({ outboxPath: path, text: '@ada I see Grace Hopper.', level: 'INFO' });
    // Nothing reached X.
    expect(h.emulator.requests).toHaveLength(0);
  });

  it('writes a DM as the DM request it would have been', async () => {
    const detail = dmReply('1900000000000000555');

    await h.deliver(await h.publish(detail));

    const entry = readEntry(join(outboxDir, '1900000000000000555.json'));
    expect(entry.request).toEqual({
      method: 'POST',
      path: `/2/dm_conversations/${ADA.id}-${BOT.id}/messages`,
      body: { text: 'A fact: honey never spoils.' },
    });
    expect(entry).not.toHaveProperty('media');
    expect(h.sent()[0]).toMatchObject({
      channel: 'directMessage',
      dryRun: true,
      conversationId: `${ADA.id}-${BOT.id}`,
    });
  });

  it('writes a duplicate SEND_TWEET once: the file keeps its first content', async () => {
    const mention = h.emulator.addMention({ author: ADA.id, text: 'tell me a joke' });
    await h.deliver(await h.publish(tweetReply(mention)));
    const path = join(outboxDir, `${mention.id}.json`);
    const first = readFileSync(path, 'utf8');
    h.clock.now += 60_000;

    await h.deliver(await h.publish(tweetReply(mention, { text: '@ada another joke' })));

    expect(readFileSync(path, 'utf8')).toBe(first);
    expect(readdirSync(outboxDir)).toEqual([`${mention.id}.json`]);
    expect(h.sent()).toHaveLength(1);
  });

  it('after a crash between the file and the record, the retry reports the file instead of rewriting it', async () => {
    const mention = h.emulator.addMention({ author: ADA.id, text: 'tell me a joke' });
    const event = await h.publish(tweetReply(mention));
    await h.deliver(event, crashingAfterX(h));
    const path = join(outboxDir, `${mention.id}.json`);
    const written = readFileSync(path, 'utf8');
    h.clock.now += (DEFAULT_CLAIM_SECONDS + 1) * 1000;

    const retried = await h.deliver(event, { attempt: 2 });

    expect(retried.error).toBeUndefined();
    expect(readFileSync(path, 'utf8')).toBe(written);
    expect(h.sent()).toEqual([expect.objectContaining({ dryRun: true, outboxPath: path })]);
  });

  it('rewrites an outbox file someone broke by hand', async () => {
    const poster = new OutboxPoster(outboxDir, () => new Date(h.clock.now));
    const mention = h.emulator.addMention({ author: ADA.id, text: 'tell me a joke' });
    const detail = tweetReply(mention);
    await poster.post(detail);
    writeFileSync(poster.pathOf(detail), '{"half": ');

    const found = await poster.findExisting(detail);
    await poster.post(detail);

    expect(found).toBeUndefined();
    expect(readEntry(poster.pathOf(detail)).text).toBe(detail.text);
  });

  it('refuses a source message id that is not an X id as a file name', () => {
    const poster = new OutboxPoster(outboxDir);

    expect(() => poster.pathOf({ sourceMessageId: '../../etc/passwd' })).toThrow(
      'not an X id: "../../etc/passwd"',
    );
  });
});
