import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  type DescribeFace,
  faceSimilarity,
  GALLERY_CACHE_FILE,
  GALLERY_MATCH_THRESHOLD,
  Gallery,
  matchFace,
  personId,
} from '../src/index.js';

const FIXTURE_GALLERY = new URL('./fixtures/gallery', import.meta.url);

describe('faceSimilarity and matchFace', () => {
  const a = Array.from({ length: 8 }, (_, i) => i / 10);
  const shifted = (delta: number) => a.map((v, i) => (i === 0 ? v + delta : v));

  it("follows human's similarity: 1 for the same descriptor, falling with distance", () => {
    expect(faceSimilarity(a, a)).toBe(1);
    // distance sqrt(25 * 8^2) = 40 -> (1 - 0.4 - 0.2) / 0.6
    expect(faceSimilarity(a, shifted(8))).toBeCloseTo(2 / 3, 10);
    expect(faceSimilarity(a, shifted(100))).toBe(0);
    expect(faceSimilarity(a, [1, 2])).toBe(0);
  });

  it('names the nearest person only at or above the threshold', () => {
    const people = [
      { name: 'Near', id: 'n', descriptors: [shifted(8)] },
      { name: 'Far', id: 'f', descriptors: [shifted(20)] },
    ];
    expect(GALLERY_MATCH_THRESHOLD).toBeLessThan(2 / 3);
    expect(matchFace(people, a)?.person.name).toBe('Near');
    expect(matchFace(people, a, 0.7)).toBeNull();
    expect(matchFace([], a)).toBeNull();
  });
});

describe('Gallery', () => {
  let dir: string;
  let described: number;
  // Stands in for the face models: a descriptor that depends on the photo's bytes.
  const describeBytes: DescribeFace = async (photo) => {
    described++;
    return [...createHash('sha256').update(photo).digest()].map((byte) => byte / 255);
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'murmur-gallery-'));
    cpSync(FIXTURE_GALLERY, dir, { recursive: true });
    described = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('knows a person per photo file and per folder of photos', async () => {
    writeFileSync(join(dir, 'notes.txt'), 'not a photo');
    const people = await new Gallery({ dir, describe: describeBytes }).people();
    expect(people.map((p) => [p.name, p.id, p.descriptors.length])).toEqual([
      ['Dana Sample', personId('Dana Sample'), 2],
      ['Riley Example', personId('Riley Example'), 1],
    ]);
    expect(described).toBe(3);
    expect(personId('Dana Sample')).toMatch(/^[0-9a-f]{12}$/);
  });

  it('describes each photo once: later calls and later processes read the cache', async () => {
    const first = await new Gallery({ dir, describe: describeBytes }).people();
    expect(existsSync(join(dir, GALLERY_CACHE_FILE))).toBe(true);
    const again = new Gallery({
      dir,
      describe: () => Promise.reject(new Error('should come from the cache')),
    });
    expect(await again.people()).toEqual(first);
    expect(await again.people()).toEqual(first);
  });

  it('describes a changed photo again, and forgets a removed one', async () => {
    await new Gallery({ dir, describe: describeBytes }).people();
    described = 0;
    utimesSync(join(dir, 'Dana Sample', '2.jpg'), new Date(), new Date(Date.now() + 5000));
    rmSync(join(dir, 'Riley Example.jpg'));
    const people = await new Gallery({ dir, describe: describeBytes }).people();
    expect(described).toBe(1);
    expect(people.map((p) => p.name)).toEqual(['Dana Sample']);
  });

  it('leaves out photos without a face, and is empty without a folder', async () => {
    const noFaces: DescribeFace = async () => null;
    expect(await new Gallery({ dir, describe: noFaces }).people()).toEqual([]);
    expect(await new Gallery({ dir: join(dir, 'missing'), describe: describeBytes }).people()).toEqual([]);
  });
});
