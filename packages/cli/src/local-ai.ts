// The AI services the analysis state machine calls, as the embedded runtime provides them: local
// models behind the same request and response shapes as Comprehend and Rekognition.
import type { LocalSdkIntegrations } from '@murmur/embedded-runtime';
import { createLocalComprehend } from '@murmur/local-nlp';
import { createLocalRekognition, type LocalRekognition, RekognitionError } from '@murmur/local-vision';
import type { BlobPort } from '@murmur/ports';

export interface LocalAiOptions {
  blobs: BlobPort;
  /** Folder of named photos that stands in for Rekognition's celebrity recognition. */
  galleryDir: string;
  /** Worker threads for the vision models. */
  visionThreads: number;
}

export interface LocalAi {
  sdk: LocalSdkIntegrations;
  /**
   * Loads the text models now. They load synchronously (about 1.5 s), so loading them on the first
   * message would block this thread then; the vision models load in their worker threads anyway.
   */
  warmUp(): Promise<void>;
  close(): Promise<void>;
}

type ImageRequest = { Image?: { Bytes?: Uint8Array; S3Object?: { Bucket?: string; Name?: string } } };

export function createLocalAi(options: LocalAiOptions): LocalAi {
  const comprehend = createLocalComprehend();
  const rekognition = createLocalRekognition({
    galleryDir: options.galleryDir,
    threads: options.visionThreads,
  });

  // Rekognition reads `Image.S3Object` from S3 itself; locally the blob store is the S3.
  const withBytes =
    <K extends keyof Omit<LocalRekognition, 'close'>>(call: K) =>
    async (params: ImageRequest) => {
      const s3 = params.Image?.S3Object;
      if (s3 && !params.Image?.Bytes) {
        if (s3.Bucket !== options.blobs.bucket || !s3.Name) {
          throw new RekognitionError(
            'InvalidS3ObjectException',
            `no object ${s3.Name ?? '(no name)'} in bucket ${s3.Bucket ?? '(no bucket)'}`,
          );
        }
        const bytes = await options.blobs.get(s3.Name).catch(() => {
          throw new RekognitionError('InvalidS3ObjectException', `no object ${s3.Name} in ${s3.Bucket}`);
        });
        params = { ...params, Image: { Bytes: bytes } };
      }
      return (rekognition[call] as (p: unknown) => Promise<unknown>)(params);
    };

  return {
    sdk: {
      comprehend: {
        detectDominantLanguage: (p: never) => comprehend.detectDominantLanguage(p),
        detectSentiment: (p: never) => comprehend.detectSentiment(p),
        detectEntities: (p: never) => comprehend.detectEntities(p),
        detectKeyPhrases: (p: never) => comprehend.detectKeyPhrases(p),
        detectToxicContent: (p: never) => comprehend.detectToxicContent(p),
      },
      rekognition: {
        detectLabels: withBytes('detectLabels'),
        detectText: withBytes('detectText'),
        detectFaces: withBytes('detectFaces'),
        recognizeCelebrities: withBytes('recognizeCelebrities'),
        detectModerationLabels: withBytes('detectModerationLabels'),
      },
    },
    warmUp: async () => {
      const Text = 'Ada Lovelace visited the Science Museum in London on Monday and loved it.';
      await comprehend.detectDominantLanguage({ Text });
      await comprehend.detectSentiment({ Text, LanguageCode: 'en' });
      await comprehend.detectEntities({ Text, LanguageCode: 'en' });
      await comprehend.detectKeyPhrases({ Text, LanguageCode: 'en' });
      await comprehend.detectToxicContent({ TextSegments: [{ Text }], LanguageCode: 'en' });
    },
    close: () => rekognition.close(),
  };
}
