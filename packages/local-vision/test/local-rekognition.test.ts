// The real models, in their worker thread, over the committed fixtures (see fixtures/README.md).
// One instance for the file: the models load once.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { BoundingBox } from '@aws-sdk/client-rekognition';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CelebritySchema,
  ComparedFaceSchema,
  FaceDetailSchema,
  LabelSchema,
  ModerationLabelSchema,
  TextDetectionSchema,
} from '@murmur/events';
import sharp from 'sharp';
import { createLocalRekognition, Gallery, type LocalRekognition } from '../src/index.js';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));
const scene = fixture('scene.jpg');
// The scene: a banner of printed words on top; a car on the left; the gallery's "Dana Sample"
// (mirrored) and a stranger side by side on the right.
const DANA_CENTRE_X = 0.685;
const STRANGER_CENTRE_X = 0.895;

const inUnitSquare = (box: BoundingBox | undefined) => {
  const { Left = -1, Top = -1, Width = -1, Height = -1 } = box ?? {};
  return Left >= 0 && Top >= 0 && Width > 0 && Height > 0 && Left + Width <= 1 && Top + Height <= 1;
};
const centreX = (box: BoundingBox | undefined) => (box?.Left ?? 0) + (box?.Width ?? 0) / 2;

describe('LocalRekognition', () => {
  let rekognition: LocalRekognition;
  let galleryDir: string;
  let tensorsAfterLoad: number;
  beforeAll(async () => {
    galleryDir = mkdtempSync(join(tmpdir(), 'murmur-vision-gallery-'));
    cpSync(new URL('./fixtures/gallery', import.meta.url), galleryDir, { recursive: true });
    rekognition = createLocalRekognition({ galleryDir });
    tensorsAfterLoad = (await rekognition.ready()).tensors;
  });
  afterAll(async () => {
    await rekognition?.close();
    rmSync(galleryDir, { recursive: true, force: true });
  });

  it('labels the person, the car and the printed words, with boxes inside the image', async () => {
    const { Labels = [], LabelModelVersion } = await rekognition.detectLabels({
      Image: { Bytes: scene },
      MinConfidence: 60,
    });
    const byName = new Map(Labels.map((label) => [label.Name, label]));
    const person = byName.get('Person');
    const car = byName.get('Car');
    expect(person?.Instances).toHaveLength(2);
    expect(car?.Instances).toHaveLength(1);
    expect(car?.Parents).toEqual([{ Name: 'Vehicle' }, { Name: 'Transportation' }]);
    expect(byName.has('Vehicle') && byName.has('Transportation')).toBe(true);
    expect(byName.get('Text')?.Confidence).toBeGreaterThan(80);
    for (const instance of [...person!.Instances!, ...car!.Instances!]) {
      expect(inUnitSquare(instance.BoundingBox)).toBe(true);
    }
    expect(centreX(car!.Instances![0]!.BoundingBox)).toBeLessThan(0.58);
    expect(Labels.every((label) => LabelSchema.safeParse(label).success)).toBe(true);
    expect(LabelModelVersion).toBe('local-centernet-coco');
  });

  it('gives no Text label to a photo without words', async () => {
    const carOnly = await sharp(scene)
      .extract({ left: 0, top: 140, width: 580, height: 385 })
      .jpeg()
      .toBuffer();
    const { Labels = [] } = await rekognition.detectLabels({ Image: { Bytes: carOnly } });
    const names = Labels.map((label) => label.Name);
    expect(names).toContain('Car');
    expect(names).not.toContain('Text');
  });

  it('reads the printed words as lines and words', async () => {
    const { TextDetections = [] } = await rekognition.detectText({ Image: { Bytes: scene } });
    const lines = TextDetections.filter((d) => d.Type === 'LINE');
    expect(lines.map((d) => d.DetectedText)).toEqual(['CITY CAR SHOW', 'Free entry every Sunday']);
    const words = TextDetections.filter((d) => d.Type === 'WORD');
    expect(words.filter((w) => w.ParentId === lines[0]!.Id).map((w) => w.DetectedText)).toEqual([
      'CITY',
      'CAR',
      'SHOW',
    ]);
    // The banner is the top fifth of the image.
    for (const d of TextDetections) {
      expect(inUnitSquare(d.Geometry?.BoundingBox)).toBe(true);
      expect((d.Geometry?.BoundingBox?.Top ?? 1) < 0.2).toBe(true);
    }
    expect(TextDetections.every((d) => TextDetectionSchema.safeParse(d).success)).toBe(true);
  });

  it('finds both faces, with age range, gender and emotions when asked', async () => {
    const { FaceDetails = [] } = await rekognition.detectFaces({
      Image: { Bytes: scene },
      Attributes: ['AGE_RANGE', 'EMOTIONS', 'GENDER'],
    });
    expect(FaceDetails).toHaveLength(2);
    for (const face of FaceDetails) {
      expect(inUnitSquare(face.BoundingBox)).toBe(true);
      expect(face.Confidence).toBeGreaterThan(50);
      expect(face.AgeRange!.Low!).toBeLessThan(face.AgeRange!.High!);
      expect(face.Gender?.Value).toBe('Female');
      expect(face.Emotions!.length).toBeGreaterThan(0);
      expect(FaceDetailSchema.safeParse(face).success).toBe(true);
    }
    const { FaceDetails: plain = [] } = await rekognition.detectFaces({ Image: { Bytes: scene } });
    expect(plain.map((face) => face.AgeRange)).toEqual([undefined, undefined]);
  });

  it('names the gallery person and leaves the stranger unrecognised', async () => {
    const { CelebrityFaces = [], UnrecognizedFaces = [] } = await rekognition.recognizeCelebrities({
      Image: { Bytes: scene },
    });
    expect(CelebrityFaces.map((c) => c.Name)).toEqual(['Dana Sample']);
    const dana = CelebrityFaces[0]!;
    expect(dana.MatchConfidence).toBeGreaterThanOrEqual(65);
    expect(dana.Urls).toEqual([]);
    expect(Math.abs(centreX(dana.Face?.BoundingBox) - DANA_CENTRE_X)).toBeLessThan(0.05);
    expect(UnrecognizedFaces).toHaveLength(1);
    expect(Math.abs(centreX(UnrecognizedFaces[0]!.BoundingBox) - STRANGER_CENTRE_X)).toBeLessThan(0.05);
    expect(CelebritySchema.safeParse(dana).success).toBe(true);
    expect(ComparedFaceSchema.safeParse(UnrecognizedFaces[0]).success).toBe(true);
  });

  it('keeps the gallery descriptors for the next start', async () => {
    const fromCache = new Gallery({
      dir: galleryDir,
      describe: () => Promise.reject(new Error('should come from the cache')),
    });
    const people = await fromCache.people();
    expect(people.map((p) => [p.name, p.descriptors.length])).toEqual([
      ['Dana Sample', 2],
      ['Riley Example', 1],
    ]);
    expect(people[0]!.descriptors[0]).toHaveLength(1024);
  });

  it('returns no moderation labels, and says no model looked', async () => {
    const response = await rekognition.detectModerationLabels({ Image: { Bytes: scene }, MinConfidence: 60 });
    expect(response).toEqual({ ModerationLabels: [], ModerationModelVersion: 'local-none' });
    expect(response.ModerationLabels!.every((l) => ModerationLabelSchema.safeParse(l).success)).toBe(true);
  });

  it('rejects what Rekognition rejects, with its exception names, and keeps working', async () => {
    const truncated = scene.slice(0, scene.length / 2);
    const gif = await sharp(scene).gif().toBuffer();
    for (const bytes of [new TextEncoder().encode('not an image'), truncated, gif]) {
      await expect(rekognition.detectLabels({ Image: { Bytes: bytes } })).rejects.toMatchObject({
        name: 'InvalidImageFormatException',
      });
      await expect(rekognition.detectModerationLabels({ Image: { Bytes: bytes } })).rejects.toMatchObject({
        name: 'InvalidImageFormatException',
      });
    }
    await expect(
      rekognition.detectFaces({ Image: { S3Object: { Bucket: 'media', Name: 'a.jpg' } } }),
    ).rejects.toMatchObject({ name: 'InvalidParameterException', message: expect.stringContaining('Bytes') });
    await expect(
      rekognition.detectLabels({ Image: { Bytes: new Uint8Array(16 * 1024 * 1024) } }),
    ).rejects.toMatchObject({ name: 'ImageTooLargeException' });
    await expect(
      rekognition.detectLabels({ Image: { Bytes: scene }, MinConfidence: 101 }),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
    // The worker survived all of it.
    const { FaceDetails = [] } = await rekognition.detectFaces({ Image: { Bytes: scene } });
    expect(FaceDetails).toHaveLength(2);
  });

  it('keeps the main thread responsive while the models work', async () => {
    // New bytes (not cached): every model runs.
    const fresh = new Uint8Array(await sharp(scene).jpeg({ quality: 90 }).toBuffer());
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    await Promise.all([
      rekognition.detectLabels({ Image: { Bytes: fresh } }),
      rekognition.recognizeCelebrities({ Image: { Bytes: fresh } }),
      rekognition.detectText({ Image: { Bytes: fresh } }),
    ]);
    delay.disable();
    // The same work on this thread would block it for a second or more.
    expect(delay.max / 1e6).toBeLessThan(300);
  });

  it('leaves no tensors behind in the worker', async () => {
    expect((await rekognition.ready()).tensors).toBe(tensorsAfterLoad);
  });
});
