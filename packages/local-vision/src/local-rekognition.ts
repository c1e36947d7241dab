// Rekognition's image APIs, answered by local models. The models run in a piscina pool of worker
// threads (they block for hundreds of milliseconds per image), so the main thread that serves the
// bus stays responsive. Results are cached per image hash: the analysis state machine asks several
// questions of one image, and DetectFaces and RecognizeCelebrities share a single face pass.
import { createHash } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { fileURLToPath } from 'node:url';
import type {
  DetectFacesRequest,
  DetectFacesResponse,
  DetectLabelsRequest,
  DetectLabelsResponse,
  DetectModerationLabelsRequest,
  DetectModerationLabelsResponse,
  DetectTextRequest,
  DetectTextResponse,
  Image,
  RecognizeCelebritiesRequest,
  RecognizeCelebritiesResponse,
} from '@aws-sdk/client-rekognition';
import { Piscina } from 'piscina';
import { RekognitionError } from './errors.js';
import { comparedFace, faceDetail } from './faces.js';
import { GALLERY_MATCH_THRESHOLD, Gallery, matchFace } from './gallery.js';
import { detectLabelsFrom } from './labels.js';
import type {
  DetectedFace,
  LabelsOutput,
  ReadyOutput,
  TextOutput,
  VisionOutputs,
  VisionResult,
  VisionTask,
} from './protocol.js';
import { ResultCache } from './result-cache.js';
import { textDetectionsFrom } from './text.js';

export interface LocalRekognition {
  detectLabels(req: DetectLabelsRequest): Promise<DetectLabelsResponse>;
  detectText(req: DetectTextRequest): Promise<DetectTextResponse>;
  detectFaces(req: DetectFacesRequest): Promise<DetectFacesResponse>;
  recognizeCelebrities(req: RecognizeCelebritiesRequest): Promise<RecognizeCelebritiesResponse>;
  detectModerationLabels(req: DetectModerationLabelsRequest): Promise<DetectModerationLabelsResponse>;
  /** Resolves once a worker has loaded its models, with how long that took and its memory. */
  ready(): Promise<ReadyOutput>;
  close(): Promise<void>;
}

export interface LocalRekognitionOptions {
  /** The known-people gallery; without one, every face is unrecognised. */
  galleryDir?: string;
  /** Model worker threads, each with its own copy of the models (~400 MB resident). Default 1. */
  threads?: number;
  /** Where the gallery's descriptors are cached. Default: `<galleryDir>/.gallery-embeddings.json`. */
  galleryCacheFile?: string;
  /** Gallery match threshold, similarity 0..1. Default {@link GALLERY_MATCH_THRESHOLD}. */
  matchThreshold?: number;
  /** Default {@link MAX_IMAGE_BYTES}. */
  maxImageBytes?: number;
}

/**
 * Rekognition's limit for an image in S3, the way the state machine passes images on AWS (inline
 * `Bytes` are limited to 5 MB there; locally the bytes always come from the blob store).
 */
export const MAX_IMAGE_BYTES = 15 * 1024 * 1024;
export const LABEL_MODEL_VERSION = 'local-centernet-coco';
export const TEXT_MODEL_VERSION = 'local-tesseract-eng';
/** No NSFW model ships offline: moderation finds nothing, and says which "model" did not look. */
export const MODERATION_MODEL_VERSION = 'local-none';

/** Images whose results are kept, per kind of result. */
const CACHED_IMAGES = 16;
const WORKER_ENTRY = fileURLToPath(new URL('./worker/worker-bootstrap.mjs', import.meta.url));

export function createLocalRekognition(options: LocalRekognitionOptions = {}): LocalRekognition {
  return new PooledRekognition(options);
}

type TaskOf<K extends VisionTask['op']> = Extract<VisionTask, { op: K }>;

class PooledRekognition implements LocalRekognition {
  private readonly pool: Piscina;
  private readonly gallery: Gallery | null;
  private readonly matchThreshold: number;
  private readonly maxImageBytes: number;
  private readonly labels = new ResultCache<LabelsOutput>(CACHED_IMAGES);
  private readonly faces = new ResultCache<DetectedFace[]>(CACHED_IMAGES);
  private readonly text = new ResultCache<TextOutput>(CACHED_IMAGES);
  private readonly checks = new ResultCache<unknown>(CACHED_IMAGES);
  /** Aborts queued tasks when the workers cannot start: piscina would keep them forever. */
  private readonly startFailed = new AbortController();
  private workersUp = false;

  constructor(options: LocalRekognitionOptions) {
    // Every queued task listens on it: dozens at once are normal with photos in parallel, not a leak.
    setMaxListeners(0, this.startFailed.signal);
    const threads = Math.max(1, Math.floor(options.threads ?? 1));
    this.pool = new Piscina({
      filename: WORKER_ENTRY,
      // All threads start (and load their models) now, and stay: loading takes seconds.
      minThreads: threads,
      maxThreads: threads,
      // Enough for one message's parallel calls; the worker queues each model's turn itself.
      concurrentTasksPerWorker: 4,
      // Tasks are long; the Atomics wait between them would also stall tesseract's messages.
      atomics: 'disabled',
    });
    // Piscina reports a worker that fails outside any task here (unheard, the error would crash the
    // process). Before any worker ever answered, that is a start-up failure (a model that does not
    // load, a broken install), and piscina does not retry those; later, it replaces the worker.
    this.pool.on('error', (error: unknown) => {
      if (this.workersUp) return;
      const reason = error instanceof Error ? error.message : String(error);
      this.startFailed.abort(new Error(`the vision worker could not start: ${reason}`, { cause: error }));
    });
    this.matchThreshold = options.matchThreshold ?? GALLERY_MATCH_THRESHOLD;
    this.maxImageBytes = options.maxImageBytes ?? MAX_IMAGE_BYTES;
    this.gallery = options.galleryDir
      ? new Gallery({
          dir: options.galleryDir,
          cacheFile: options.galleryCacheFile,
          describe: (photo) => this.describeMainFace(photo),
        })
      : null;
  }

  async detectLabels(req: DetectLabelsRequest): Promise<DetectLabelsResponse> {
    const image = this.image(req);
    checkPercent('MinConfidence', req.MinConfidence);
    if (req.MaxLabels !== undefined && !(Number.isInteger(req.MaxLabels) && req.MaxLabels >= 0)) {
      throw new RekognitionError('InvalidParameterException', 'MaxLabels must be a whole number >= 0');
    }
    const output = await this.labels.get(image.hash, () => this.run({ op: 'labels', bytes: image.bytes }));
    return { Labels: detectLabelsFrom(output, req), LabelModelVersion: LABEL_MODEL_VERSION };
  }

  async detectText(req: DetectTextRequest): Promise<DetectTextResponse> {
    const image = this.image(req);
    checkPercent('Filters.WordFilter.MinConfidence', req.Filters?.WordFilter?.MinConfidence);
    const output = await this.text.get(image.hash, () => this.run({ op: 'text', bytes: image.bytes }));
    return {
      TextDetections: textDetectionsFrom(output.lines, req.Filters),
      TextModelVersion: TEXT_MODEL_VERSION,
    };
  }

  async detectFaces(req: DetectFacesRequest): Promise<DetectFacesResponse> {
    const faces = await this.facesOf(this.image(req));
    return { FaceDetails: faces.map((face) => faceDetail(face, req.Attributes ?? ['DEFAULT'])) };
  }

  async recognizeCelebrities(req: RecognizeCelebritiesRequest): Promise<RecognizeCelebritiesResponse> {
    const [faces, people] = await Promise.all([this.facesOf(this.image(req)), this.gallery?.people() ?? []]);
    const response: Required<Pick<RecognizeCelebritiesResponse, 'CelebrityFaces' | 'UnrecognizedFaces'>> = {
      CelebrityFaces: [],
      UnrecognizedFaces: [],
    };
    for (const face of faces) {
      const match = matchFace(people, face.embedding, this.matchThreshold);
      if (!match) {
        response.UnrecognizedFaces.push(comparedFace(face));
        continue;
      }
      response.CelebrityFaces.push({
        Name: match.person.name,
        Id: match.person.id,
        Urls: [],
        MatchConfidence: Math.round(match.similarity * 100_000) / 1000,
        Face: comparedFace(face),
      });
    }
    return response;
  }

  async detectModerationLabels(req: DetectModerationLabelsRequest): Promise<DetectModerationLabelsResponse> {
    const image = this.image(req);
    checkPercent('MinConfidence', req.MinConfidence);
    // Bytes that would fail on AWS fail here too. Usually another call already decoded them.
    const known = this.labels.peek(image.hash) ?? this.faces.peek(image.hash) ?? this.text.peek(image.hash);
    await (known ?? this.checks.get(image.hash, () => this.run({ op: 'check', bytes: image.bytes })));
    return { ModerationLabels: [], ModerationModelVersion: MODERATION_MODEL_VERSION };
  }

  async ready(): Promise<ReadyOutput> {
    return this.run({ op: 'ready' });
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }

  private facesOf(image: { bytes: Uint8Array; hash: string }): Promise<DetectedFace[]> {
    return this.faces.get(
      image.hash,
      async () => (await this.run({ op: 'faces', bytes: image.bytes })).faces,
    );
  }

  /** A gallery photo's descriptor: its largest face (faces come largest first). */
  private async describeMainFace(photo: Uint8Array): Promise<number[] | null> {
    try {
      const { faces } = await this.run({ op: 'faces', bytes: photo });
      const descriptor = faces[0]?.embedding;
      return descriptor?.length ? descriptor : null;
    } catch (error) {
      if (error instanceof RekognitionError) return null; // not a usable photo; skipped until it changes
      throw error;
    }
  }

  private image(req: { Image?: Image }): { bytes: Uint8Array; hash: string } {
    const bytes = req.Image?.Bytes;
    if (!bytes) {
      throw new RekognitionError(
        'InvalidParameterException',
        req.Image?.S3Object
          ? 'Image.Bytes is required locally: resolve Image.S3Object to its bytes before the call'
          : 'Image.Bytes is required',
      );
    }
    if (!(bytes instanceof Uint8Array)) {
      throw new RekognitionError('InvalidParameterException', 'Image.Bytes must be a Uint8Array');
    }
    if (bytes.byteLength > this.maxImageBytes) {
      throw new RekognitionError(
        'ImageTooLargeException',
        `Image size is too large: ${bytes.byteLength} bytes, the limit is ${this.maxImageBytes}`,
      );
    }
    return { bytes, hash: createHash('sha256').update(bytes).digest('base64url') };
  }

  private async run<K extends VisionTask['op']>(task: TaskOf<K>): Promise<VisionOutputs[K]> {
    let sent: VisionTask = task;
    let transferList: ArrayBuffer[] | undefined;
    if ('bytes' in task) {
      // The worker gets its own copy, moved rather than cloned: the caller's buffer stays intact.
      const bytes = new Uint8Array(task.bytes);
      sent = { ...task, bytes };
      transferList = [bytes.buffer];
    }
    const signal = this.startFailed.signal;
    if (signal.aborted) throw signal.reason;
    let result: VisionResult<VisionOutputs[K]>;
    try {
      result = await this.pool.run(sent, { transferList, signal });
    } catch (error) {
      throw signal.aborted ? signal.reason : error;
    }
    this.workersUp = true;
    if (!result.ok) throw new RekognitionError(result.error.name, result.error.message);
    return result.value;
  }
}

function checkPercent(name: string, value: number | undefined): void {
  if (value !== undefined && !(value >= 0 && value <= 100)) {
    throw new RekognitionError('InvalidParameterException', `${name} must be between 0 and 100`);
  }
}
