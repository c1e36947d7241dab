// The "done when", in one test: a runtime as `murmur start` builds it (real local models,
// the demo photo host, the demo gallery), `murmur simulate` against it, and the analyses that follow.
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEFAULT_MEDIA_HOSTS, mediaLimitsFromEnv } from '@murmur/analysis';
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

  beforeAll(async () => {
    const home = resolveHome(cli.env);
    const ingress = resolveIngressConfig(cli.env, home.root);
    demo = await startDemoMediaHost('127.0.0.1', 0);
    const galleryDir = join(home.root, 'gallery');
    cpSync(DEMO_GALLERY_DIR, galleryDir, { recursive: true });
    const blobs = new FileBlobStore(home.media);
    ai = createLocalAi({ blobs, galleryDir, visionThreads: 1 });
    await ai.warmUp();
    const media = mediaLimitsFromEnv({ MURMUR_MEDIA_HOSTS: `${DEFAULT_MEDIA_HOSTS},${demo.hostPort}` });
    runtime = await EmbeddedRuntime.start({
      home,
      services: localServices({ ingress: () => ingress.config, media: () => media }),
      log: consoleLogger({ level: 'error', write: () => {} }),
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
});
