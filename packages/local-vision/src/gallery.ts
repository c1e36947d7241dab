// The known-people gallery, what stands in for Rekognition's celebrity list locally: a folder of
// named photos, `<Name>.jpg`, or a sub-folder per person, `<Name>/<any>.jpg`. Each photo's face
// descriptor is computed once and kept in a cache file in the folder, keyed by the photo's size
// and mtime, so a restart does not run the face models over the whole gallery again.
import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';

export const GALLERY_CACHE_FILE = '.gallery-embeddings.json';

/**
 * A face matches a gallery person at this similarity (0..1, human's `match.similarity` with its
 * defaults; human's docs call 0.5 a likely match). Measured on face-api's six demo photos (21
 * faces): the same person in another crop, mirrored, scores 0.74-0.78 (about 1.0 unmirrored);
 * different people score 0.17-0.55.
 */
export const GALLERY_MATCH_THRESHOLD = 0.65;

/** Descriptors from another model cannot be compared: a cache from one is ignored. */
const DESCRIPTOR_MODEL = 'vladmandic-human-3.3.6/faceres';
const CACHE_VERSION = 1;
const PHOTO_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png']);

export interface KnownPerson {
  name: string;
  /** Stable across runs and machines: derived from the name. */
  id: string;
  /** One descriptor per photo that shows a face. */
  descriptors: number[][];
}

export interface GalleryMatch {
  person: KnownPerson;
  /** 0..1 */
  similarity: number;
}

/** The descriptor of the main (largest) face in a photo; null when it shows no face or does not decode. */
export type DescribeFace = (photo: Uint8Array) => Promise<number[] | null>;

export interface GalleryOptions {
  dir: string;
  describe: DescribeFace;
  /** Default: `<dir>/.gallery-embeddings.json`. */
  cacheFile?: string;
}

interface CachedPhoto {
  size: number;
  mtimeMs: number;
  descriptor: number[] | null;
}

interface CacheFile {
  version: number;
  model: string;
  photos: Record<string, CachedPhoto>;
}

interface GalleryPhoto {
  /** Path relative to the gallery folder, with `/`: the cache key. */
  key: string;
  name: string;
  path: string;
}

export function personId(name: string): string {
  return createHash('sha256').update(name).digest('hex').slice(0, 12);
}

/**
 * human's `match.similarity` (order 2, multiplier 25, range 0.2..0.8), so the threshold above
 * means what human's documentation says it means.
 */
export function faceSimilarity(a: readonly number[], b: readonly number[]): number {
  if (a.length === 0 || a.length !== b.length) return 0;
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    sum += diff * diff;
  }
  const distance = Math.sqrt(25 * sum);
  return Math.min(1, Math.max(0, (1 - distance / 100 - 0.2) / 0.6));
}

/** The gallery person whose photo is nearest to `descriptor`, if it is near enough. */
export function matchFace(
  people: readonly KnownPerson[],
  descriptor: readonly number[],
  threshold = GALLERY_MATCH_THRESHOLD,
): GalleryMatch | null {
  let best: GalleryMatch | null = null;
  for (const person of people) {
    for (const known of person.descriptors) {
      const similarity = faceSimilarity(descriptor, known);
      if (!best || similarity > best.similarity) best = { person, similarity };
    }
  }
  return best && best.similarity >= threshold ? best : null;
}

export class Gallery {
  private readonly cacheFile: string;
  private photos: Map<string, CachedPhoto> | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: GalleryOptions) {
    this.cacheFile = options.cacheFile ?? join(options.dir, GALLERY_CACHE_FILE);
  }

  /**
   * The people in the folder now. Looks at the folder on every call (a few `stat`s), so photos
   * added while running count from the next call; only new or changed photos are described.
   */
  people(): Promise<KnownPerson[]> {
    const next = this.queue.then(
      () => this.refresh(),
      () => this.refresh(),
    );
    this.queue = next;
    return next;
  }

  private async refresh(): Promise<KnownPerson[]> {
    this.photos ??= await this.readCache();
    const photos = await listPhotos(this.options.dir);
    let changed = false;
    const people = new Map<string, KnownPerson>();
    const seen = new Set<string>();
    for (const photo of photos) {
      seen.add(photo.key);
      const { size, mtimeMs } = await stat(photo.path);
      let cached = this.photos.get(photo.key);
      if (!cached || cached.size !== size || cached.mtimeMs !== mtimeMs) {
        const descriptor = await this.options.describe(await readFile(photo.path));
        // Six decimals: a third of the cache file, and far below what moves a similarity.
        cached = { size, mtimeMs, descriptor: descriptor?.map((n) => Math.round(n * 1e6) / 1e6) ?? null };
        this.photos.set(photo.key, cached);
        changed = true;
      }
      const person = people.get(photo.name) ?? {
        name: photo.name,
        id: personId(photo.name),
        descriptors: [],
      };
      people.set(photo.name, person);
      if (cached.descriptor) person.descriptors.push(cached.descriptor);
    }
    for (const key of this.photos.keys()) {
      if (!seen.has(key)) {
        this.photos.delete(key);
        changed = true;
      }
    }
    if (changed) await this.writeCache(this.photos);
    return [...people.values()].filter((person) => person.descriptors.length > 0);
  }

  private async readCache(): Promise<Map<string, CachedPhoto>> {
    try {
      const file = JSON.parse(await readFile(this.cacheFile, 'utf8')) as Partial<CacheFile>;
      if (
        file.version !== CACHE_VERSION ||
        file.model !== DESCRIPTOR_MODEL ||
        typeof file.photos !== 'object'
      ) {
        return new Map();
      }
      return new Map(Object.entries(file.photos ?? {}).filter(([, photo]) => isCachedPhoto(photo)));
    } catch {
      return new Map(); // none yet, or unreadable: describe the photos again
    }
  }

  private async writeCache(photos: Map<string, CachedPhoto>): Promise<void> {
    const file: CacheFile = {
      version: CACHE_VERSION,
      model: DESCRIPTOR_MODEL,
      photos: Object.fromEntries(photos),
    };
    const temp = `${this.cacheFile}.${process.pid}.tmp`;
    try {
      await writeFile(temp, JSON.stringify(file));
      await rename(temp, this.cacheFile);
    } catch {
      // A read-only gallery still works; it is described again on the next start.
    }
  }
}

function isCachedPhoto(value: unknown): value is CachedPhoto {
  const photo = value as CachedPhoto;
  return (
    typeof photo === 'object' &&
    photo !== null &&
    typeof photo.size === 'number' &&
    typeof photo.mtimeMs === 'number' &&
    (photo.descriptor === null ||
      (Array.isArray(photo.descriptor) && photo.descriptor.every((n) => typeof n === 'number')))
  );
}

const isPhoto = (entry: Dirent) => entry.isFile() && PHOTO_EXTENSIONS.has(extname(entry.name).toLowerCase());
const visible = (entry: Dirent) => !entry.name.startsWith('.');

async function entries(dir: string): Promise<Dirent[]> {
  try {
    return (await readdir(dir, { withFileTypes: true }))
      .filter(visible)
      .sort((a, b) => a.name.localeCompare(b.name));
  } catch (error) {
    // No gallery folder yet: nobody is known.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

async function listPhotos(dir: string): Promise<GalleryPhoto[]> {
  const photos: GalleryPhoto[] = [];
  for (const entry of await entries(dir)) {
    if (isPhoto(entry)) {
      const name = entry.name.slice(0, -extname(entry.name).length);
      photos.push({ key: entry.name, name, path: join(dir, entry.name) });
    } else if (entry.isDirectory()) {
      for (const inner of (await entries(join(dir, entry.name))).filter(isPhoto)) {
        photos.push({
          key: `${entry.name}/${inner.name}`,
          name: entry.name,
          path: join(dir, entry.name, inner.name),
        });
      }
    }
  }
  return photos;
}
