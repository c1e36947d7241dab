// The responding service on the embedded runtime: real bus, real idempotency store, real files,
// the real local chat bot and real image drawing.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { consoleLogger, EmbeddedRuntime, type MurmurHome, resolveHome } from '@murmur/embedded-runtime';
import {
  type EventEnvelope,
  loadExamples,
  type MessageAnalysedDetail,
  type SendTweetDetail,
} from '@murmur/events';
import sharp from 'sharp';
import { JOKES } from '../src/chatbot/corpora/jokes.js';
import {
  CHATBOT,
  DEFAULT_REPLY_POLICY,
  type LocalChatbot,
  type ReplyPolicy,
  respondingService,
  trainLocalChatbot,
} from '../src/index.js';

const SCENE = readFileSync(
  new URL('../../../packages/local-vision/test/fixtures/scene.jpg', import.meta.url),
);

const example = (name: string): MessageAnalysedDetail => {
  const found = loadExamples().find((e) => e.detailType === 'MESSAGE_ANALYSED' && e.name === name);
  if (!found) throw new Error(`no example ${name}`);
  return found.envelope.detail as unknown as MessageAnalysedDetail;
};

describe('responding', () => {
  let chatbot: LocalChatbot;
  let home: MurmurHome;
  let runtime: EmbeddedRuntime;
  beforeAll(async () => {
    chatbot = await trainLocalChatbot(CHATBOT);
  });
  beforeEach(() => {
    home = resolveHome({ MURMUR_HOME: mkdtempSync(join(tmpdir(), 'murmur-responding-')) });
  });
  afterEach(async () => {
    await runtime?.stop();
    rmSync(home.root, { recursive: true, force: true });
  });
  afterAll(() => undefined);

  async function start(policy: Partial<ReplyPolicy> = {}) {
    runtime = await EmbeddedRuntime.start({
      home,
      services: [
        respondingService({ policy: { ...DEFAULT_REPLY_POLICY, ...policy }, chatbot: async () => chatbot }),
      ],
      log: consoleLogger({ level: 'error', write: () => {} }),
      dispatcher: { pollMs: 5 },
    });
  }

  const publish = (detail: MessageAnalysedDetail) =>
    runtime.bus.publish({
      source: 'murmur.analysis',
      detailType: 'MESSAGE_ANALYSED',
      detail: detail as never,
    });

  const events = (type: string) =>
    runtime.bus
      .eventsAfter(0)
      .map((e) => e.envelope as EventEnvelope)
      .filter((e) => e['detail-type'] === type);

  async function settle(): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (runtime.bus.pendingDeliveries() > 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
  }

  const replies = () => events('SEND_TWEET').map((e) => e.detail as unknown as SendTweetDetail);

  it('answers "tell me a joke" with a joke, as a reply tweet that fits 280 weighted characters', async () => {
    await start();
    const detail = { ...example('valid-negative-text-only'), text: '@MurmurBot tell me a joke please' };
    await publish(detail);
    await settle();
    const [reply] = replies();
    expect(reply).toMatchObject({
      channel: 'tweet',
      responder: 'chatbot',
      sourceMessageId: detail.messageId,
      inReplyToTweetId: detail.twitter.tweetId,
      replyToUserId: '783214',
      correlationId: detail.correlationId,
    });
    // A one-character screen name is fine: the Lex session is keyed on the author id.
    expect(reply!.text.startsWith('@g ')).toBe(true);
    expect(JOKES.entries.map((j) => `@g ${j.text}`)).toContain(reply!.text);
  });

  it('answers a DM by DM', async () => {
    await start();
    await publish(example('valid-direct-message-partial-failure'));
    await settle();
    expect(replies()).toEqual([
      expect.objectContaining({
        channel: 'directMessage',
        conversationId: '2244994945-1590000000000000001',
        recipientId: '2244994945',
      }),
    ]);
    expect(replies()[0]!.text.startsWith('@')).toBe(false);
  });

  it('answers a message once, however often its analysis arrives', async () => {
    await start();
    const detail = example('valid-negative-text-only');
    await publish(detail);
    await publish(detail);
    await settle();
    await publish(detail);
    await settle();
    expect(replies()).toHaveLength(1);
  });

  it('never answers an ignored account, by id or by screen name in any case', async () => {
    await start({ ignore: ['OtherBot', '783214'] });
    await publish(example('valid-negative-text-only'));
    await publish({
      ...example('valid-direct-message-partial-failure'),
      author: { id: '999', screenName: 'otherbot', name: 'Bot' },
      twitter: { userId: '999', dmId: '1900000000000000778', conversationId: '999-1590000000000000001' },
      messageId: '1900000000000000778',
    });
    await settle();
    expect(replies()).toEqual([]);
  });

  it('answers one author at most N times per window', async () => {
    await start({ perUser: { replies: 2, windowSeconds: 3600 } });
    const base = example('valid-negative-text-only');
    for (const n of [1, 2, 3]) {
      const id = `190000000000000100${n}`;
      await publish({ ...base, messageId: id, twitter: { ...base.twitter, tweetId: id } });
    }
    await settle();
    expect(replies()).toHaveLength(2);
  });

  describe('photos with faces', () => {
    const withPhoto = (key: string): MessageAnalysedDetail => {
      const base = example('valid-mention-with-photo');
      const [image] = base.analysis.images;
      return {
        ...base,
        analysis: {
          ...base.analysis,
          images: [
            {
              ...image!,
              key,
              analysis: {
                ...image!.analysis,
                celebrityFaces: [
                  {
                    Name: 'Dana Sample',
                    MatchConfidence: 90,
                    Face: { BoundingBox: { Left: 0.6, Top: 0.3, Width: 0.12, Height: 0.2 } },
                  },
                ],
                unrecognizedFaces: [{ BoundingBox: { Left: 0.84, Top: 0.35, Width: 0.1, Height: 0.18 } }],
              },
            },
          ],
        },
      };
    };

    it('replies with a new annotated image, the names in the text, and the original untouched', async () => {
      await start({ blurUnrecognizedFaces: true });
      await runtime.blobs.put('media/2026/03/14/1/0-scene.jpg', SCENE, 'image/jpeg');
      await publish(withPhoto('media/2026/03/14/1/0-scene.jpg'));
      await settle();
      const [reply] = replies();
      expect(reply).toMatchObject({
        responder: 'image-annotation',
        text: '@ada_l I see Dana Sample.',
        mediaKey: 'annotated/2026/03/14/1/0-scene.jpg',
      });
      expect(Buffer.from(await runtime.blobs.get('media/2026/03/14/1/0-scene.jpg')).equals(SCENE)).toBe(true);
      const annotated = await runtime.blobs.get(reply!.mediaKey!);
      expect(Buffer.from(annotated).equals(SCENE)).toBe(false);
      const meta = await sharp(annotated).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 1000, 560]);
    });

    it('answers without the image when it cannot be annotated', async () => {
      await start();
      await runtime.blobs.put('media/2026/03/14/1/0-broken.jpg', Buffer.from('not a jpeg'), 'image/jpeg');
      await publish(withPhoto('media/2026/03/14/1/0-broken.jpg'));
      await settle();
      const [reply] = replies();
      expect(reply).toMatchObject({ responder: 'image-annotation', text: '@ada_l I see Dana Sample.' });
      expect(reply!.mediaKey).toBeUndefined();
    });
  });
});
