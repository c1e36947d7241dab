import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { BlobNotFoundError, type BlobPort } from '@murmur/ports';

/**
 * The blob port on AWS: one S3 bucket (the media bucket Rekognition reads from).
 *
 * Encryption is left to the bucket's default (SSE-S3 or the bucket's KMS key), so no object
 * can be written with weaker settings than the bucket asks for. A missing key is reported as
 * `NoSuchKey` only when the caller may `s3:ListBucket`; without it S3 answers 403 AccessDenied,
 * which is passed on unchanged rather than guessed to be "not found".
 */
export class S3BlobStore implements BlobPort {
  constructor(
    readonly bucket: string,
    private readonly client: S3Client = new S3Client({}),
  ) {}

  async put(key: string, body: Uint8Array, contentType: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }),
    );
  }

  async get(key: string): Promise<Uint8Array> {
    try {
      const result = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!result.Body) throw new Error(`GetObject ${this.bucket}/${key} returned no body`);
      return await result.Body.transformToByteArray();
    } catch (error) {
      if (error instanceof NoSuchKey || (error as Error | undefined)?.name === 'NoSuchKey') {
        throw new BlobNotFoundError(this.bucket, key);
      }
      throw error;
    }
  }
}
