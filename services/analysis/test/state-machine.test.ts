// The analysis workflow end to end on the real ASL document, run by aws-local-stepfunctions, with
// scripted Comprehend/Rekognition responses (the AWS calls are the only stand-ins) and a real
// SQLite bus receiving what the workflow publishes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { EmbeddedBus } from '@murmur/embedded-bus';
import { FileBlobStore, LocalStateMachine, scopedBus } from '@murmur/embedded-runtime';
import { type EventEnvelope, loadExamples, type MessageAnalysedDetail } from '@murmur/events';
import type { Logger, ServiceDeclaration } from '@murmur/ports';
import { ANALYSIS_STATE_MACHINE, analysisService, parseCallPlan } from '../src/index.js';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

const received = (): EventEnvelope => {
  const example = loadExamples().find((e) => e.name === 'valid-mention-with-photos');
  if (!example) throw new Error('example missing');
  return example.envelope;
};

function withDetail(patch: Record<string, unknown>): EventEnvelope {
  const event = received();
  return { ...event, detail: { ...event.detail, ...patch } };
}

const awsError = (name: string, message = name) => Object.assign(new Error(message), { name });

type Call = { api: string; params: Record<string, unknown> };

/** Scripted AWS responses; `failures` makes the named API throw that many times first. */
function scriptedSdk(
  calls: Call[],
  script: { labels?: Record<string, string[]>; failures?: Record<string, [string, number]> } = {},
) {
  const failures = new Map(Object.entries(script.failures ?? {}));
  const api =
    (name: string, respond: (params: Record<string, unknown>) => unknown) =>
    async (params: Record<string, unknown>) => {
      calls.push({ api: name, params });
      const failure = failures.get(name);
      if (failure && failure[1] > 0) {
        failure[1]--;
        throw awsError(failure[0]);
      }
      return respond(params);
    };
  const imageName = (p: Record<string, unknown>) =>
    ((p.Image as { S3Object: { Name: string } }).S3Object.Name.split('/').pop() ?? '').replace(/\..*$/, '');
  return {
    comprehend: {
      detectDominantLanguage: api('DetectDominantLanguage', (p) => ({
        Languages: [{ LanguageCode: String(p.Text).includes('odio') ? 'es' : 'en', Score: 0.97 }],
      })),
      detectSentiment: api('DetectSentiment', () => ({
        Sentiment: 'NEGATIVE',
        SentimentScore: { Positive: 0.01, Negative: 0.95, Neutral: 0.03, Mixed: 0.01 },
      })),
      detectEntities: api('DetectEntities', () => ({
        Entities: [{ Text: 'Science Museum', Type: 'LOCATION', Score: 0.9, BeginOffset: 90, EndOffset: 104 }],
      })),
      detectKeyPhrases: api('DetectKeyPhrases', () => ({ KeyPhrases: [{ Text: 'this photo', Score: 0.9 }] })),
      detectToxicContent: api('DetectToxicContent', () => ({
        ResultList: [{ Toxicity: 0.02, Labels: [{ Name: 'PROFANITY', Score: 0.01 }] }],
      })),
    },
    rekognition: {
      detectLabels: api('DetectLabels', (p) => ({
        Labels: (script.labels?.[imageName(p)] ?? ['Car']).map((Name) => ({ Name, Confidence: 97 })),
        LabelModelVersion: '3.0',
      })),
      detectText: api('DetectText', () => ({
        TextDetections: [{ DetectedText: 'OPEN', Type: 'LINE', Id: 0, Confidence: 99 }],
      })),
      recognizeCelebrities: api('RecognizeCelebrities', () => ({
        CelebrityFaces: [
          {
            Name: 'Ada Lovelace',
            MatchConfidence: 98,
            Face: { BoundingBox: { Width: 0.2, Height: 0.3, Left: 0.1, Top: 0.1 } },
          },
        ],
        UnrecognizedFaces: [],
      })),
      detectFaces: api('DetectFaces', () => ({
        FaceDetails: [{ BoundingBox: { Width: 0.2, Height: 0.3, Left: 0.1, Top: 0.1 }, Confidence: 99 }],
      })),
      detectModerationLabels: api('DetectModerationLabels', () => ({ ModerationLabels: [] })),
    },
  };
}

describe('the analysis state machine', () => {
  let dir: string;
  let bus: EmbeddedBus;
  let calls: Call[];
  let service: ServiceDeclaration;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'murmur-analysis-'));
    bus = new EmbeddedBus({ path: join(dir, 'bus.db') });
    calls = [];
    service = buildService('full');
  });

  /** The real declaration, whose DownloadMedia "downloads" by media key (see below). */
  function buildService(plan: string): ServiceDeclaration {
    const real = analysisService({ calls: parseCallPlan(plan), media: () => ({}) as never });
    // Downloads are tested against a real HTTP server elsewhere; here each photo "downloads" by
    // its media key, and two of them fail as a 404 and a non-image would.
    return {
      ...real,
      taskFunctions: {
        ...real.taskFunctions,
        DownloadMedia: async (input) => {
          const photo = input as { mediaKey: string; index: number };
          if (photo.mediaKey === 'missing') throw awsError('MediaHttpError', 'HTTP 404');
          if (photo.mediaKey === 'html') throw awsError('MediaNotAnImage', 'text/html is not an image');
          const contentType = photo.mediaKey === 'gif' ? 'image/gif' : 'image/jpeg';
          return {
            bucket: 'murmur-media',
            key: `media/2026/03/14/1/${photo.index}-${photo.mediaKey}.jpg`,
            url: 'https://pbs.twimg.com/x.jpg',
            mediaKey: photo.mediaKey,
            contentType,
            bytes: 1000,
            width: 640,
            height: 480,
          };
        },
      },
    };
  }

  afterEach(() => {
    bus.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function machine(script: Parameters<typeof scriptedSdk>[1] = {}) {
    return new LocalStateMachine(service.stateMachines!.find((m) => m.name === ANALYSIS_STATE_MACHINE)!, {
      service,
      bus: scopedBus(bus, service),
      blobs: new FileBlobStore(join(dir, 'media')),
      log: silent,
      sdk: scriptedSdk(calls, script) as never,
      retryIntervalMs: 1,
    });
  }

  const published = () => bus.eventsAfter(0).map((e) => e.envelope);
  const analysed = () => {
    const events = published();
    expect(events.map((e) => e['detail-type'])).toEqual(['MESSAGE_ANALYSED']);
    return events[0]!.detail as unknown as MessageAnalysedDetail;
  };
  const apis = () => calls.map((c) => c.api).sort();

  it('analyses English text with X’s language: no language detection, every text call once', async () => {
    const result = await machine().run(withDetail({ media: [] }), 'text-only');
    expect(result.status).toBe('SUCCEEDED');
    expect(apis()).toEqual(['DetectEntities', 'DetectKeyPhrases', 'DetectSentiment', 'DetectToxicContent']);
    const sentiment = calls.find((c) => c.api === 'DetectSentiment')!;
    expect(sentiment.params.LanguageCode).toBe('en');
    // Handles and links are blanked, keeping offsets into the original text.
    expect(sentiment.params.Text).not.toContain('@MurmurBot');
    expect(String(sentiment.params.Text)).toHaveLength(String(received().detail.text).length);
    const detail = analysed();
    expect(detail.analysis).toMatchObject({
      language: 'en',
      textSentiment: 'NEGATIVE',
      sentimentScore: { Negative: 0.95 },
      textEntities: [{ Text: 'Science Museum', Type: 'LOCATION' }],
      keyPhrases: [{ Text: 'this photo' }],
      toxicity: { Toxicity: 0.02 },
      images: [],
      errors: [],
    });
    expect(detail.twitter).toEqual({ userId: '2244994945', tweetId: '1900000000000000123' });
    expect(detail.correlationId).toBe(received().detail.correlationId);
    expect(detail.aiCalls).toEqual({
      'comprehend:DetectEntities': 1,
      'comprehend:DetectKeyPhrases': 1,
      'comprehend:DetectSentiment': 1,
      'comprehend:DetectToxicContent': 1,
      'lambda:AssembleAnalysis': 1,
      'lambda:PrepareMessage': 1,
    });
  });

  it('detects the language when X gives none, and uses it', async () => {
    await machine().run(
      withDetail({ media: [], lang: 'und', text: 'este servicio es terrible, lo odio' }),
      'es',
    );
    expect(apis()).toEqual([
      'DetectDominantLanguage',
      'DetectEntities',
      'DetectKeyPhrases',
      'DetectSentiment',
    ]);
    expect(calls.find((c) => c.api === 'DetectSentiment')!.params.LanguageCode).toBe('es');
    const detail = analysed();
    expect(detail.analysis.language).toBe('es');
    expect(detail.analysis.languageScore).toBe(0.97);
    expect(detail.aiCalls?.['comprehend:DetectDominantLanguage']).toBe(1);
  });

  it('calls no Comprehend API for a language Comprehend does not analyse, and says why', async () => {
    await machine().run(withDetail({ media: [], lang: 'ru', text: 'это ужасный сервис' }), 'ru');
    expect(calls).toEqual([]);
    const detail = analysed();
    expect(detail.analysis.language).toBe('ru');
    expect(detail.analysis.textSentiment).toBeNull();
    expect(detail.analysis.errors).toEqual([
      expect.objectContaining({ part: 'sentiment', error: 'UnsupportedLanguage' }),
    ]);
  });

  it('makes only the calls of its plan: lean is sentiment, labels, and text and people where the labels show them', async () => {
    service = buildService('lean');
    const photo = (mediaKey: string) => ({
      type: 'photo',
      url: `https://pbs.twimg.com/media/${mediaKey}.jpg`,
      mediaKey,
    });
    await machine({ labels: { '0-sign': ['Text', 'Person'], '1-car': ['Car'] } }).run(
      withDetail({ media: [photo('sign'), photo('car')] }),
      'lean',
    );
    expect(apis()).toEqual([
      'DetectLabels',
      'DetectLabels',
      'DetectSentiment',
      'DetectText',
      'RecognizeCelebrities',
    ]);
    const detail = analysed();
    expect(detail.analysis).toMatchObject({
      textSentiment: 'NEGATIVE',
      textEntities: [],
      keyPhrases: [],
      errors: [],
    });
    expect(detail.analysis.images[0]!.analysis).toMatchObject({ faceDetails: [], moderationLabels: [] });
    expect(detail.analysis.images[0]!.analysis.celebrityFaces[0]!.Name).toBe('Ada Lovelace');
    expect(Object.keys(detail.aiCalls ?? {}).filter((k) => !k.startsWith('lambda:'))).toEqual([
      'comprehend:DetectSentiment',
      'rekognition:DetectLabels',
      'rekognition:DetectText',
      'rekognition:RecognizeCelebrities',
    ]);
  });

  it('makes no AI call for a tweet with no text and no photo', async () => {
    const result = await machine().run(withDetail({ media: [], text: '' }), 'empty');
    expect(result.status).toBe('SUCCEEDED');
    expect(calls).toEqual([]);
    const detail = analysed();
    expect(detail.analysis).toMatchObject({
      language: null,
      textSentiment: null,
      textEntities: [],
      images: [],
    });
    expect(detail.aiCalls).toEqual({ 'lambda:AssembleAnalysis': 1, 'lambda:PrepareMessage': 1 });
  });

  it('asks only for sentiment on emoji-only text', async () => {
    await machine().run(withDetail({ media: [], text: '@MurmurBot 😡😡😡', lang: 'und' }), 'emoji');
    expect(apis()).toEqual(['DetectSentiment']);
    expect(analysed().analysis.textSentiment).toBe('NEGATIVE');
  });

  it('analyses 4 photos: a 404 and a non-image are reported, the others get only the calls their labels justify', async () => {
    const photo = (mediaKey: string) => ({
      type: 'photo',
      url: `https://pbs.twimg.com/media/${mediaKey}.jpg`,
      mediaKey,
    });
    await machine({ labels: { '0-sign': ['Text', 'Person', 'Car'], '3-car': ['Car', 'Vehicle'] } }).run(
      withDetail({ text: '', media: [photo('sign'), photo('missing'), photo('html'), photo('car')] }),
      'photos',
    );
    const detail = analysed();
    expect(detail.analysis.images.map((i) => i.mediaKey)).toEqual(['sign', 'car']);
    const [sign, car] = detail.analysis.images as [
      MessageAnalysedDetail['analysis']['images'][0],
      MessageAnalysedDetail['analysis']['images'][0],
    ];
    expect(sign.analysis.labels.map((l) => l.Name)).toEqual(['Text', 'Person', 'Car']);
    expect(sign.analysis.textDetections[0]!.DetectedText).toBe('OPEN');
    expect(sign.analysis.celebrityFaces[0]!.Name).toBe('Ada Lovelace');
    expect(sign.analysis.faceDetails).toHaveLength(1);
    expect(sign.key).toBe('media/2026/03/14/1/0-sign.jpg');
    expect(car.analysis).toMatchObject({ textDetections: [], celebrityFaces: [], faceDetails: [] });
    expect(detail.analysis.errors).toEqual([
      { part: 'download', error: 'MediaHttpError', cause: 'HTTP 404', mediaKey: 'missing' },
      { part: 'download', error: 'MediaNotAnImage', cause: 'text/html is not an image', mediaKey: 'html' },
    ]);
    expect(detail.aiCalls).toMatchObject({
      'lambda:DownloadMedia': 4,
      'rekognition:DetectLabels': 2,
      'rekognition:DetectText': 1,
      'rekognition:RecognizeCelebrities': 1,
      'rekognition:DetectFaces': 1,
      'rekognition:DetectModerationLabels': 2,
    });
    // The faces calls ask only for the attributes Murmur keeps.
    expect(calls.find((c) => c.api === 'DetectFaces')!.params.Attributes).toEqual([
      'AGE_RANGE',
      'EMOTIONS',
      'GENDER',
    ]);
  });

  it('keeps a GIF it downloaded but calls no Rekognition API on it, and says why', async () => {
    await machine().run(
      withDetail({
        text: '',
        media: [{ type: 'photo', url: 'https://pbs.twimg.com/a.gif', mediaKey: 'gif' }],
      }),
      'gif',
    );
    expect(calls).toEqual([]);
    const detail = analysed();
    expect(detail.analysis.images).toEqual([
      expect.objectContaining({ mediaKey: 'gif', contentType: 'image/gif' }),
    ]);
    expect(detail.analysis.errors).toEqual([
      expect.objectContaining({ part: 'labels', error: 'UnsupportedImageFormat', mediaKey: 'gif' }),
    ]);
  });

  it('retries a throttled AI call and keeps its result', async () => {
    await machine({ failures: { DetectSentiment: ['ThrottlingException', 2] } }).run(
      withDetail({ media: [] }),
      'throttled',
    );
    expect(calls.filter((c) => c.api === 'DetectSentiment')).toHaveLength(3);
    const detail = analysed();
    expect(detail.analysis.textSentiment).toBe('NEGATIVE');
    expect(detail.analysis.errors).toEqual([]);
  });

  it('keeps the rest of the analysis when a call stays throttled, with an error marker for that part', async () => {
    await machine({ failures: { DetectEntities: ['ThrottlingException', 99] } }).run(
      withDetail({ media: [] }),
      'throttled-for-good',
    );
    expect(calls.filter((c) => c.api === 'DetectEntities')).toHaveLength(4);
    const detail = analysed();
    expect(detail.analysis.textSentiment).toBe('NEGATIVE');
    expect(detail.analysis.textEntities).toEqual([]);
    expect(detail.analysis.errors).toEqual([
      expect.objectContaining({ part: 'entities', error: 'Comprehend.ThrottlingException' }),
    ]);
  });

  it('keeps an image whose labels failed, with the moderation result and an error marker', async () => {
    await machine({ failures: { DetectLabels: ['InvalidImageFormatException', 1] } }).run(
      withDetail({
        text: '',
        media: [{ type: 'photo', url: 'https://pbs.twimg.com/a.jpg', mediaKey: 'bad' }],
      }),
      'labels-failed',
    );
    const detail = analysed();
    expect(detail.analysis.images).toHaveLength(1);
    expect(detail.analysis.errors).toEqual([
      expect.objectContaining({
        part: 'labels',
        error: 'Rekognition.InvalidImageFormatException',
        mediaKey: 'bad',
      }),
    ]);
    expect(apis()).toEqual(['DetectLabels', 'DetectModerationLabels']);
  });

  it('fails with InvalidMessage, publishing nothing, when the input is not a MESSAGE_RECEIVED event', async () => {
    const event = received();
    const { author: _author, ...detail } = event.detail as Record<string, unknown>;
    const result = await machine().run({ ...event, detail }, 'invalid');
    expect(result).toMatchObject({ status: 'FAILED', error: 'InvalidMessage' });
    expect(result.status === 'FAILED' && result.cause).toContain('detail.author');
    expect(published()).toEqual([]);
    expect(calls).toEqual([]);
  });

  it('publishes MESSAGE_ANALYSIS_FAILED, and fails the execution, when the analysis breaks its contract', async () => {
    const sdk = scriptedSdk(calls);
    sdk.comprehend.detectSentiment = async () => ({ Sentiment: 'ECSTATIC', SentimentScore: {} }) as never;
    const broken = new LocalStateMachine(service.stateMachines![0]!, {
      service,
      bus: scopedBus(bus, service),
      blobs: new FileBlobStore(join(dir, 'media')),
      log: silent,
      sdk: sdk as never,
      retryIntervalMs: 1,
    });
    const result = await broken.run(withDetail({ media: [] }), 'broken');
    expect(result).toMatchObject({ status: 'FAILED', error: 'InvalidAnalysis' });
    const events = published();
    expect(events.map((e) => e['detail-type'])).toEqual(['MESSAGE_ANALYSIS_FAILED']);
    expect(events[0]!.detail).toMatchObject({
      messageId: '1900000000000000123',
      error: 'InvalidAnalysis',
      cause: expect.stringContaining('analysis.textSentiment'),
      executionId: expect.stringContaining('broken'),
    });
  });
});
