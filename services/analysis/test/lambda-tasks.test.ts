// The three Lambda entries of the analysis state machine, with their real AWS ports: S3BlobStore
// over a mocked S3 client (PutObject recorded), real downloads from a loopback server, and a
// real logger whose lines are kept. Errors are checked the way the Node.js Lambda runtime reads
// them: an Error (`util.types.isNativeError`) whose `name` becomes the reported errorType, which
// is what the ASL document's Retry and Catch match on.
import { types } from 'node:util';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { consoleLogger } from '@murmur/embedded-runtime';
import { type EventEnvelope, loadExamples, MessageAnalysedDetailSchema } from '@murmur/events';
import type { Logger } from '@murmur/ports';
import { pictureJpeg } from '@murmur/x-emulator';
import { mockClient } from 'aws-sdk-client-mock';
import type { DownloadedMedia, PreparedAnalysis } from '../src/index.js';
import { ANALYSIS_ENV, createTaskLambda } from '../src/lambda/task-lambda.js';
import { startServer, type TestServer } from './media/support.js';

const BUCKET = 'murmur-analysis-media-test';
const JPEG = pictureJpeg('lambda-tasks', 64, 48);
const s3 = mockClient(S3Client);

const received = (): EventEnvelope => {
  const found = loadExamples().find(
    (e) => e.detailType === 'MESSAGE_RECEIVED' && e.name === 'valid-mention-with-photos',
  );
  if (!found) throw new Error('example missing');
  return structuredClone(found.envelope);
};

/** The runtime's view of a rejection: what `errorType` the invocation reports. */
async function lambdaErrorType(invocation: Promise<unknown>): Promise<string> {
  const error = await invocation.then(
    () => {
      throw new Error('the invocation succeeded');
    },
    (e: unknown) => e,
  );
  // Both checks the runtime interface client makes before reporting `errorType: error.name`.
  expect(types.isNativeError(error)).toBe(true);
  expect(error).toBeInstanceOf(Error);
  return (error as Error).name;
}

describe('analysis task Lambdas', () => {
  let photos: TestServer;
  let lines: string[];
  let log: Logger;
  let env: Record<string, string | undefined>;
  const puts = () => s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
  const photoUrl = (path = '/photo.jpg') => `${photos.origin}${path}`;
  const photo = (url: string, index = 0) => ({
    url,
    mediaKey: `3_190000000000000020${index + 1}`,
    messageId: '1900000000000000123',
    createdAt: '2026-03-14T09:26:52Z',
    index,
  });

  beforeAll(async () => {
    photos = await startServer((req, res) => {
      if (req.url === '/photo.jpg') {
        res.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': JPEG.length });
        res.end(JPEG);
        return;
      }
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
    });
  });
  afterAll(async () => {
    await photos.close();
    s3.restore();
  });
  beforeEach(() => {
    s3.reset();
    s3.on(PutObjectCommand).resolves({ ETag: '"etag"' });
    lines = [];
    log = consoleLogger({ level: 'debug', format: 'json', write: (line) => lines.push(line) });
    env = {
      AWS_REGION: 'eu-west-1',
      [ANALYSIS_ENV.mediaBucket]: BUCKET,
      MURMUR_MEDIA_HOSTS: `127.0.0.1:${photos.port}`,
    };
  });
  afterEach(() => {
    // No test may reach a host it did not set up.
    for (const hit of photos.hits) expect(hit).toMatch(/^\/(photo\.jpg|missing\.jpg)$/);
    photos.hits.length = 0;
  });

  describe('PrepareMessage', () => {
    it('validates the event and plans the calls: the default plan, or the one the stack sets', async () => {
      const prepare = createTaskLambda('PrepareMessage', { env: {}, log });
      const prepared = (await prepare(received(), { awsRequestId: 'req-1' })) as PreparedAnalysis;
      expect(prepared.message.messageId).toBe('1900000000000000123');
      expect(prepared.photos).toHaveLength(2);
      expect(prepared.text).toMatchObject({
        sentiment: true,
        words: true,
        languageCode: 'en',
        entities: true,
        keyPhrases: false,
        toxicity: false,
      });
      expect(prepared.photos[0]!.plan).toEqual({
        text: true,
        celebrities: true,
        faces: false,
        moderation: false,
      });

      const full = createTaskLambda('PrepareMessage', { env: { [ANALYSIS_ENV.calls]: 'full' }, log });
      const planned = (await full(received())) as PreparedAnalysis;
      expect(planned.text).toMatchObject({ keyPhrases: true, toxicity: true });
      expect(planned.photos[0]!.plan).toEqual({
        text: true,
        celebrities: true,
        faces: true,
        moderation: true,
      });
      // It needs no bucket and never touches S3.
      expect(puts()).toEqual([]);
    });

    it('fails a malformed event as InvalidMessage, the name the document reports', async () => {
      const prepare = createTaskLambda('PrepareMessage', { env: {}, log });
      const event = received();
      delete (event.detail as Record<string, unknown>).author;
      expect(await lambdaErrorType(prepare(event, { awsRequestId: 'req-2' }))).toBe('InvalidMessage');
      expect(await lambdaErrorType(prepare({ hello: 'world' }))).toBe('InvalidMessage');
      const logged = JSON.parse(lines.find((l) => l.includes('analysis task failed'))!);
      expect(logged).toMatchObject({
        level: 'ERROR',
        task: 'PrepareMessage',
        requestId: 'req-2',
        error: 'InvalidMessage',
        reason: expect.stringContaining('author'),
      });
      // Field paths, never the user's text.
      expect(lines.join('\n')).not.toContain('Difference Engine');
    });

    it('refuses a plan it cannot read, naming the variable, and reads it again next time', async () => {
      const env: Record<string, string | undefined> = { [ANALYSIS_ENV.calls]: 'standard,sentiment' };
      const prepare = createTaskLambda('PrepareMessage', { env, log });
      expect(await lambdaErrorType(prepare(received()))).toBe('AnalysisConfigError');
      const logged = JSON.parse(lines.find((l) => l.includes('AnalysisConfigError'))!);
      expect(logged.reason).toMatch(/MURMUR_ANALYSIS_CALLS: unknown analysis call "sentiment"/);
      env[ANALYSIS_ENV.calls] = 'lean';
      expect(((await prepare(received())) as PreparedAnalysis).text.entities).toBe(false);
    });
  });

  describe('DownloadMedia', () => {
    it('fetches the photo from an allowed host and puts it in the media bucket under its dated key', async () => {
      const download = createTaskLambda('DownloadMedia', { env, log });
      const media = (await download(photo(photoUrl()))) as DownloadedMedia;
      expect(media).toEqual({
        bucket: BUCKET,
        key: 'media/2026/03/14/1900000000000000123/0-3_1900000000000000201.jpg',
        url: photoUrl(),
        mediaKey: '3_1900000000000000201',
        contentType: 'image/jpeg',
        bytes: JPEG.length,
        width: 64,
        height: 48,
      });
      expect(puts()).toHaveLength(1);
      const put = puts()[0]!;
      expect(put).toMatchObject({ Bucket: BUCKET, Key: media.key, ContentType: 'image/jpeg' });
      expect(Buffer.from(put.Body as Uint8Array).equals(JPEG)).toBe(true);
      // The bucket's default encryption applies: the function asks for none of its own.
      expect(put).not.toHaveProperty('ServerSideEncryption');
    });

    it('reports media failures under their own names, storing nothing', async () => {
      const download = createTaskLambda('DownloadMedia', { env, log });
      expect(await lambdaErrorType(download(photo(photoUrl('/missing.jpg'))))).toBe('MediaHttpError');
      expect(await lambdaErrorType(download(photo('https://example.com/photo.jpg')))).toBe(
        'MediaHostNotAllowed',
      );
      expect(await lambdaErrorType(download({ url: photoUrl() }))).toBe('MediaInvalidInput');
      const small = createTaskLambda('DownloadMedia', {
        env: { ...env, MURMUR_MEDIA_MAX_BYTES: '100' },
        log,
      });
      expect(await lambdaErrorType(small(photo(photoUrl())))).toBe('MediaTooLarge');
      expect(puts()).toEqual([]);
      expect(photos.hits).toEqual(['/missing.jpg', '/photo.jpg']);
    });

    it("passes S3's own error name on when the put fails", async () => {
      s3.on(PutObjectCommand).rejects(
        Object.assign(new Error('Please reduce your request rate.'), { name: 'SlowDown' }),
      );
      const download = createTaskLambda('DownloadMedia', { env, log });
      expect(await lambdaErrorType(download(photo(photoUrl())))).toBe('SlowDown');
    });

    it('fails with a configuration error when the bucket or the limits are not usable', async () => {
      const noBucket = createTaskLambda('DownloadMedia', {
        env: { ...env, [ANALYSIS_ENV.mediaBucket]: undefined },
        log,
      });
      expect(await lambdaErrorType(noBucket(photo(photoUrl())))).toBe('AnalysisConfigError');
      const badLimit = createTaskLambda('DownloadMedia', {
        env: { ...env, MURMUR_MEDIA_TIMEOUT_MS: 'soon' },
        log,
      });
      expect(await lambdaErrorType(badLimit(photo(photoUrl())))).toBe('MediaConfigError');
      expect(photos.hits).toEqual([]);
    });
  });

  describe('AssembleAnalysis', () => {
    it('turns what Prepare and Download produced into a valid MESSAGE_ANALYSED detail', async () => {
      const prepare = createTaskLambda('PrepareMessage', { env: {}, log });
      const download = createTaskLambda('DownloadMedia', { env, log });
      // Without a bucket variable: assembling stores nothing.
      const assemble = createTaskLambda('AssembleAnalysis', { env: {}, log });

      const prepared = (await prepare(received())) as PreparedAnalysis;
      const item = { ...prepared.photos[0]!, url: photoUrl() };
      const media = (await download(item)) as DownloadedMedia;
      // What the workflow's branches hand on: text not analysed (no calls), one photo with labels.
      const detail = await assemble({
        message: prepared.message,
        results: [
          { skipped: 'no text' },
          [
            {
              ...item,
              media,
              labels: { response: { Labels: [{ Name: 'Car', Confidence: 97 }] } },
              calls: [
                { skipped: 'no Text label' },
                { skipped: 'no person' },
                { skipped: 'no person' },
                { response: { ModerationLabels: [] } },
              ],
            },
          ],
        ],
      });
      const parsed = MessageAnalysedDetailSchema.parse(detail);
      expect(parsed.messageId).toBe('1900000000000000123');
      expect(parsed.analysis.images).toHaveLength(1);
      expect(parsed.analysis.images[0]).toMatchObject({ key: media.key, contentType: 'image/jpeg' });
      expect(parsed.analysis.images[0]!.analysis.labels).toEqual([{ Name: 'Car', Confidence: 97 }]);
      expect(parsed.aiCalls).toMatchObject({
        'lambda:DownloadMedia': 1,
        'rekognition:DetectLabels': 1,
        'rekognition:DetectModerationLabels': 1,
      });
    });

    it('fails a detail that would break the contract as InvalidAnalysis, never a silent result', async () => {
      const prepare = createTaskLambda('PrepareMessage', { env: {}, log });
      const assemble = createTaskLambda('AssembleAnalysis', { env: {}, log });
      const { message } = (await prepare(received())) as PreparedAnalysis;
      const broken = { ...message, messageId: 'not-an-x-id' };
      expect(
        await lambdaErrorType(assemble({ message: broken, results: [{ skipped: 'no text' }, []] })),
      ).toBe('InvalidAnalysis');
    });
  });

  it('wraps a thrown non-Error, which the runtime would otherwise report as errorType "object"', async () => {
    const lambda = createTaskLambda('DownloadMedia', {
      env,
      log,
      blobs: () => ({
        bucket: BUCKET,
        put: () => Promise.reject({ reason: 'not an Error' }),
        get: () => Promise.reject(new Error('unused')),
      }),
    });
    expect(await lambdaErrorType(lambda(photo(photoUrl())))).toBe('TaskFunctionError');
  });

  it('exports a handler from each entry module', async () => {
    // Silence Powertools before the entries build their loggers.
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    const entries = await Promise.all([
      import('../src/lambda/prepare-message.js'),
      import('../src/lambda/download-media.js'),
      import('../src/lambda/assemble-analysis.js'),
    ]);
    for (const entry of entries) expect(typeof entry.handler).toBe('function');
    // The PrepareMessage entry really runs PrepareMessage.
    expect(await lambdaErrorType(entries[0].handler({}))).toBe('InvalidMessage');
  });
});
