import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { BlobNotFoundError } from '@murmur/ports';
import { mockClient } from 'aws-sdk-client-mock';
import { S3BlobStore } from '../src/index.js';

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);

describe('S3BlobStore (commands)', () => {
  const client = new S3Client({});
  const s3 = mockClient(client);
  const store = new S3BlobStore('murmur-media-123', client);
  afterEach(() => {
    s3.reset();
  });

  it('puts the bytes with their content type, leaving encryption to the bucket default', async () => {
    s3.on(PutObjectCommand).resolves({});
    await store.put('media/2024/05/01/1/0-3_1.jpg', JPEG, 'image/jpeg');
    const input = s3.commandCalls(PutObjectCommand)[0]!.args[0].input;
    expect(input).toEqual({
      Bucket: 'murmur-media-123',
      Key: 'media/2024/05/01/1/0-3_1.jpg',
      Body: JPEG,
      ContentType: 'image/jpeg',
    });
    expect(store.bucket).toBe('murmur-media-123');
  });

  it('gets the bytes of an object', async () => {
    s3.on(GetObjectCommand, { Bucket: 'murmur-media-123', Key: 'k' }).resolves({
      Body: { transformToByteArray: async () => JPEG } as never,
    });
    expect(await store.get('k')).toEqual(JPEG);
  });

  it('turns NoSuchKey into BlobNotFoundError, and passes other errors on', async () => {
    s3.on(GetObjectCommand).rejects(
      new NoSuchKey({ message: 'The specified key does not exist.', $metadata: {} }),
    );
    const missing = store.get('media/gone.jpg');
    await expect(missing).rejects.toThrow(BlobNotFoundError);
    await expect(missing).rejects.toMatchObject({ bucket: 'murmur-media-123', key: 'media/gone.jpg' });

    s3.reset();
    const denied = new S3ServiceException({
      name: 'AccessDenied',
      $fault: 'client',
      $metadata: { httpStatusCode: 403 },
      message: 'Access Denied',
    });
    s3.on(GetObjectCommand).rejects(denied);
    await expect(store.get('media/x.jpg')).rejects.toBe(denied);
  });
});

/** Just enough of S3's REST API (path style) to let the real SDK serialise and parse. */
function fakeS3(): { server: Server; objects: Map<string, { body: Buffer; contentType: string }> } {
  const objects = new Map<string, { body: Buffer; contentType: string }>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://s3').pathname);
      if (req.method === 'PUT') {
        objects.set(path, { body: Buffer.concat(chunks), contentType: String(req.headers['content-type']) });
        res.writeHead(200, { ETag: '"1"' }).end();
        return;
      }
      const found = objects.get(path);
      if (req.method === 'GET' && found) {
        res.writeHead(200, { 'Content-Type': found.contentType, 'Content-Length': found.body.length });
        res.end(found.body);
        return;
      }
      res.writeHead(404, { 'Content-Type': 'application/xml' });
      res.end(
        '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code>' +
          '<Message>The specified key does not exist.</Message><RequestId>r1</RequestId></Error>',
      );
    });
  });
  return { server, objects };
}

describe('S3BlobStore (over HTTP, with the real SDK)', () => {
  const { server, objects } = fakeS3();
  let store: S3BlobStore;
  beforeAll(async () => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const client = new S3Client({
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      forcePathStyle: true,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    store = new S3BlobStore('media-bucket', client);
  });
  afterAll(async () => {
    server.close();
    await once(server, 'close');
  });

  it('round-trips bytes and content type, and reads a 404 NoSuchKey as BlobNotFoundError', async () => {
    await store.put('media/2024/05/01/1/0-3_1.jpg', JPEG, 'image/jpeg');
    expect(objects.get('/media-bucket/media/2024/05/01/1/0-3_1.jpg')).toEqual({
      body: Buffer.from(JPEG),
      contentType: 'image/jpeg',
    });
    expect(await store.get('media/2024/05/01/1/0-3_1.jpg')).toEqual(JPEG);
    await expect(store.get('media/missing.jpg')).rejects.toThrow(BlobNotFoundError);
  });
});
