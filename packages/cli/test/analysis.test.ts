// The "done when" of analysis and of the reactions, on a runtime as `murmur start` builds it (real
// local models, the demo photo host, the demo gallery, alerts to the console and to a chat webhook
// on loopback, replies to the dry-run outbox): `murmur simulate` against it, and what follows.
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { alertNotifiersFromEnv } from '@murmur/alerting';
import { DEFAULT_MEDIA_HOSTS, mediaLimitsFromEnv } from '@murmur/analysis';
import { OutboxEntrySchema, replyPosterFromEnv } from '@murmur/egress';
import { listDeadLetters } from '@murmur/embedded-bus';
import { consoleLogger, EmbeddedRuntime, FileBlobStore, resolveHome } from '@murmur/embedded-runtime';
import type { MessageAnalysedDetail } from '@murmur/events';
import { DEMO_GALLERY_DIR, type DemoMediaHost, startDemoMediaHost } from '../src/demo-media.js';
import { createLocalAi, type LocalAi } from '../src/local-ai.js';
import { resolveIngressConfig } from '../src/local-credentials.js';
import { localServices } from '../src/services.js';
import { cliHome } from './helpers.js';

describe('murmur start + murmur simulate: real local analysis', () => {
  const cli = cliHome();
  let runtime: EmbeddedRuntime;
  let ai: LocalAi;
  let demo: DemoMediaHost;
  let chat: Server;
  const chatPosts: Record<string, unknown>[] = [];
  const logLines: string[] = [];
  let outbox: string;

  beforeAll(async () => {
    // A Slack/Discord incoming webhook stand-in.
    chat = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        chatPosts.push(JSON.parse(body));
        res.end('ok');
      });
    });
    await new Promise<void>((r) => chat.listen(0, '127.0.0.1', r));
    const home = resolveHome(cli.env);
    const ingress = resolveIngressConfig(cli.env, home.root);
    demo = await startDemoMediaHost('127.0.0.1', 0);
    const galleryDir = join(home.root, 'gallery');
    cpSync(DEMO_GALLERY_DIR, galleryDir, { recursive: true });
    const blobs = new FileBlobStore(home.media);
    ai = createLocalAi({ blobs, galleryDir, visionThreads: 1 });
    await ai.warmUp();
    const media = mediaLimitsFromEnv({ MURMUR_MEDIA_HOSTS: `${DEFAULT_MEDIA_HOSTS},${demo.hostPort}` });
    outbox = join(home.root, 'outbox');
    // No X credentials: replies go to the outbox.
    const { poster } = replyPosterFromEnv({}, { outboxDir: outbox });
    const webhook = `http://127.0.0.1:${(chat.address() as AddressInfo).port}/hooks/T000/B000/secret`;
    runtime = await EmbeddedRuntime.start({
      home,
      services: localServices({ ingress: () => ingress.config, media: () => media, replyPoster: poster }),
      log: consoleLogger({ level: 'warn', write: (line) => logLines.push(line) }),
      notifiers: alertNotifiersFromEnv({ MURMUR_ALERT_WEBHOOKS: webhook }),
      sdk: ai.sdk,
      blobs,
      http: { port: 0 },
      dispatcher: { pollMs: 10 },
    });
  });

  afterAll(async () => {
    await runtime?.stop();
    await ai?.close();
    await demo?.close();
    await new Promise((r) => chat?.close(r));
    cli.cleanup();
  });

  const analysed = () =>
    runtime.bus
      .eventsAfter(0)
      .filter((e) => e.envelope['detail-type'] === 'MESSAGE_ANALYSED')
      .map((e) => e.envelope.detail as unknown as MessageAnalysedDetail);

  it('publishes MESSAGE_ANALYSED for every simulated message, with real analysis of text and photos', async () => {
    const result = await cli.run(
      'simulate',
      '--url',
      `${runtime.http!.url}/twitter`,
      '--media-url',
      demo.origin,
      '--json',
    );
    expect(result.code).toBe(0);
    const received = runtime.bus
      .eventsAfter(0)
      .filter((e) => e.envelope['detail-type'] === 'MESSAGE_RECEIVED').length;
    expect(received).toBe(11);
    const deadline = Date.now() + 90_000;
    while (analysed().length < received && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    const details = analysed();
    expect(details).toHaveLength(received);
    expect(
      runtime.bus.eventsAfter(0).some((e) => e.envelope['detail-type'] === 'MESSAGE_ANALYSIS_FAILED'),
    ).toBe(false);

    const complaint = details.find((d) => d.text.includes('worst service'))!;
    expect(complaint.analysis.textSentiment).toBe('NEGATIVE');
    expect(complaint.analysis.language).toBe('en');

    const request = details.find((d) => d.text.includes('what can you do'))!;
    expect(request.analysis.textSentiment).not.toBe('POSITIVE');

    // The demo street photo: a person, a car and printed words; the known person named.
    const onePhoto = details.find((d) => d.analysis.images.length === 1)!;
    const [image] = onePhoto.analysis.images;
    expect(image!.key).toMatch(/^media\/\d{4}\/\d{2}\/\d{2}\/\d+\/0-.+\.jpg$/);
    expect(image!.contentType).toBe('image/jpeg');
    const labels = image!.analysis.labels.map((l) => l.Name);
    expect(labels).toEqual(expect.arrayContaining(['Person', 'Car', 'Text']));
    const words = image!.analysis.textDetections.map((t) => t.DetectedText).join(' ');
    expect(words).toMatch(/CITY CAR SHOW/);
    expect(image!.analysis.celebrityFaces.map((c) => c.Name)).toContain('Dana Sample');
    expect(image!.analysis.unrecognizedFaces.length).toBeGreaterThanOrEqual(1);
    expect(onePhoto.analysis.errors).toEqual([]);
    // The default plan (standard): only the calls the labels justify, none of the optional extras.
    expect(onePhoto.aiCalls).toEqual({
      'comprehend:DetectEntities': 1,
      'comprehend:DetectSentiment': 1,
      'rekognition:DetectLabels': 1,
      'rekognition:DetectText': 1,
      'rekognition:RecognizeCelebrities': 1,
      'lambda:AssembleAnalysis': 1,
      'lambda:DownloadMedia': 1,
      'lambda:PrepareMessage': 1,
    });
    // Four photos, all analysed.
    expect(details.find((d) => d.analysis.images.length === 4)).toBeDefined();

    // Responding answers: the question with the chat bot's help text, a photo with an annotated copy.
    const sends = () =>
      runtime.bus
        .eventsAfter(0)
        .filter((e) => e.envelope['detail-type'] === 'SEND_TWEET')
        .map((e) => e.envelope.detail as { sourceMessageId: string; text: string; mediaKey?: string });
    while (runtime.bus.pendingDeliveries() > 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(sends().find((s) => s.sourceMessageId === request.messageId)?.text).toMatch(
      /^@ada I tell jokes and facts/,
    );
    const annotated = sends().find((s) => s.sourceMessageId === onePhoto.messageId);
    expect(annotated).toMatchObject({
      text: '@grace I see Dana Sample.',
      mediaKey: expect.stringMatching(/^annotated\//),
    });

    const cost = await cli.run('cost', '--json');
    expect(cost.code).toBe(0);
    const report = JSON.parse(cost.out.join('\n')) as { messages: { analysed: number } };
    expect(report.messages.analysed).toBe(received);
  }, 120_000);

  it('reacts: an alert for the complaint, a joke, an annotated photo reply, each once, in the outbox', async () => {
    // Runs after the test above: the same simulated messages, now settled.
    const deadline = Date.now() + 60_000;
    const settled = () =>
      runtime.bus.pendingDeliveries() === 0 &&
      existsSync(outbox) &&
      readdirSync(outbox).filter((f) => f.endsWith('.json')).length >= 5 &&
      chatPosts.length > 0;
    while (!settled() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const entries = readdirSync(outbox)
      .filter((f) => f.endsWith('.json'))
      .map((f) => OutboxEntrySchema.parse(JSON.parse(readFileSync(join(outbox, f), 'utf8'))));
    const bySource = new Map(entries.map((e) => [e.sourceMessageId, e]));
    const detailOf = (text: string) => analysed().find((d) => d.text.includes(text))!;

    // The complaint: an alert on the console and on the chat webhook, once.
    const complaint = detailOf('worst service');
    const alerts = runtime.bus
      .eventsAfter(0)
      .filter((e) => e.envelope['detail-type'] === 'ALERT_RAISED')
      .map((e) => e.envelope.detail as { alertId: string; messageId: string });
    expect(alerts.filter((a) => a.messageId === complaint.messageId)).toEqual([
      expect.objectContaining({ alertId: `negative-sentiment:${complaint.messageId}` }),
    ]);
    expect(logLines.join('\n')).toMatch(/negative-sentiment/);
    expect(chatPosts).toHaveLength(alerts.length);
    expect(String(chatPosts[0]!.text)).toMatch(/Murmur alert \[warning\] negative-sentiment/);
    expect(chatPosts[0]!.content).toBe(chatPosts[0]!.text);

    // "tell me a joke": a joke, in reply to the tweet, within 280 weighted characters.
    const joke = bySource.get(detailOf('tell me a joke').messageId)!;
    expect(joke).toMatchObject({ channel: 'tweet', responder: 'chatbot' });
    expect(joke.text).toMatch(/^@ada /);
    expect(joke.text).not.toMatch(/didn't get that/);
    expect(joke.request.body).toMatchObject({
      reply: { in_reply_to_tweet_id: detailOf('tell me a joke').messageId },
    });

    // A photo with the gallery's person: the annotated copy beside the reply, the original untouched.
    const photo = analysed().find((d) => d.analysis.images.length === 1)!;
    const annotated = bySource.get(photo.messageId)!;
    expect(annotated).toMatchObject({ responder: 'image-annotation', text: '@grace I see Dana Sample.' });
    expect(annotated.media?.key).toMatch(/^annotated\//);
    const image = readFileSync(join(outbox, annotated.media!.file));
    expect(image.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect(annotated.media!.key).not.toBe(photo.analysis.images[0]!.key);

    // One reply per message: the duplicate delivery of the first mention gave none more.
    const sent = runtime.bus.eventsAfter(0).filter((e) => e.envelope['detail-type'] === 'TWEET_SENT');
    const sources = sent.map((e) => (e.envelope.detail as { sourceMessageId: string }).sourceMessageId);
    expect(new Set(sources).size).toBe(sources.length);
    expect(sent.every((e) => (e.envelope.detail as { dryRun: boolean }).dryRun)).toBe(true);
    expect(entries).toHaveLength(sources.length);
    expect(listDeadLetters(runtime.bus)).toEqual([]);
  }, 90_000);

  it('keeps every event in the lake: murmur query answers the named queries and Athena-style SQL', async () => {
    const json = async (...argv: string[]) => {
      const result = await cli.run('query', ...argv, '--format', 'json');
      expect(result).toMatchObject({ code: 0 });
      return result.out.map((l) => JSON.parse(l) as Record<string, unknown>);
    };
    const people = await json('--named', 'recognised-people');
    expect(people.map((r) => JSON.stringify(r)).join()).toContain('Dana Sample');
    const labels = (await json('--named', 'image-labels')).map((r) => JSON.stringify(r)).join();
    for (const label of ['Person', 'Car', 'Text']) expect(labels).toContain(label);
    // The reference design's published query, unchanged.
    const celebrities = await json(
      `SELECT time, detail.author, celebrityfaces.name
       FROM "analysed-messages-table"
       CROSS JOIN UNNEST(detail.analysis.images) as t(images)
       CROSS JOIN UNNEST(images.analysis.celebrityfaces) as t(celebrityfaces)
       WHERE "detail-type" = 'MESSAGE_ANALYSED'
       ORDER BY time DESC`,
    );
    // One photo, two, three and four: ten faces of Dana Sample.
    expect(celebrities).toHaveLength(10);
    const counts = await json(
      `SELECT "detail-type" AS type, count(*) AS n FROM "messages-data-lake"."events-table" GROUP BY 1 ORDER BY 1`,
    );
    const byType = Object.fromEntries(counts.map((r) => [r.type, Number(r.n)]));
    expect(byType).toMatchObject({ MESSAGE_RECEIVED: 11, MESSAGE_ANALYSED: 11, SEND_TWEET: 10 });
    expect(byType.ALERT_RAISED).toBeGreaterThanOrEqual(1);
  }, 60_000);
});
