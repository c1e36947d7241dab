/** Binary objects (downloaded media, annotated images): S3 on AWS, files under MURMUR_HOME locally. */
export interface BlobPort {
  /** The S3 bucket name on AWS; a fixed local name in the embedded runtime. Rekognition's `S3Object.Bucket`. */
  readonly bucket: string;
  /** Stores `body` under `key`, replacing what was there. Resolves once it is durable. */
  put(key: string, body: Uint8Array, contentType: string): Promise<void>;
  /** The bytes under `key`; rejects with `BlobNotFoundError` when there are none. */
  get(key: string): Promise<Uint8Array>;
}

export class BlobNotFoundError extends Error {
  override readonly name = 'BlobNotFoundError';
  constructor(
    readonly bucket: string,
    readonly key: string,
  ) {
    super(`no object ${key} in ${bucket}`);
  }
}
