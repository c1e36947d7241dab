// Model load time, per-call latency and memory of @murmur/local-vision, one photo message at a time
// the way the analysis state machine asks: DetectLabels, then in parallel RecognizeCelebrities,
// DetectFaces, DetectModerationLabels and (when there is a Text label) DetectText.
//   node_modules/.bin/tsx packages/local-vision/bench/measure.ts [rounds] [threads]
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { createLocalRekognition } from '../src/index.js';

const rounds = Number(process.argv[2] ?? 3);
const threads = Number(process.argv[3] ?? 1);
const fixtures = new URL('../test/fixtures/', import.meta.url);
const faceApiDemo = join(
  dirname(createRequire(import.meta.url).resolve('@vladmandic/face-api')),
  '..',
  'demo',
);

// ~1000 px photos: the fixture scene (people, a car, words) and face-api's six group photos.
const photos = [
  readFileSync(new URL('scene.jpg', fixtures)),
  ...(await Promise.all(
    [1, 2, 3, 4, 5, 6].map((n) =>
      sharp(join(faceApiDemo, `sample${n}.jpg`))
        .resize(1000)
        .jpeg()
        .toBuffer(),
    ),
  )),
];

const galleryDir = mkdtempSync(join(tmpdir(), 'murmur-vision-bench-'));
cpSync(new URL('gallery', fixtures), galleryDir, { recursive: true });

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const rssBefore = process.memoryUsage().rss;
let started = performance.now();
const rekognition = createLocalRekognition({ galleryDir, threads });
const ready = await rekognition.ready();
console.log(
  `models ready in ${Math.round(performance.now() - started)} ms from start (worker: human ${ready.loadMs.human} ms, ` +
    `tesseract ${ready.loadMs.ocr} ms); RSS ${mb(rssBefore)} MB before, ${mb(process.memoryUsage().rss)} MB after; ` +
    `${ready.tensors} tensors`,
);
// Describe the gallery once, outside the timings (it is cached on disk after the first start).
started = performance.now();
await rekognition.recognizeCelebrities({ Image: { Bytes: photos[0]! } });
console.log(`gallery described (+ one face pass) in ${Math.round(performance.now() - started)} ms`);

const times: Record<string, number[]> = { labels: [], faces: [], celebrities: [], text: [], message: [] };
const timed = async <T>(name: string, call: () => Promise<T>): Promise<T> => {
  const t = performance.now();
  const result = await call();
  times[name]!.push(performance.now() - t);
  return result;
};

for (let round = 0; round < rounds; round++) {
  for (const photo of photos) {
    // Fresh bytes every time: nothing comes from the result cache.
    const Bytes = new Uint8Array(
      await sharp(photo)
        .jpeg({ quality: 90 - round })
        .toBuffer(),
    );
    const image = { Image: { Bytes } };
    const t = performance.now();
    const { Labels = [] } = await timed('labels', () =>
      rekognition.detectLabels({ ...image, MinConfidence: 60 }),
    );
    await Promise.all([
      timed('celebrities', () => rekognition.recognizeCelebrities(image)),
      timed('faces', () =>
        rekognition.detectFaces({ ...image, Attributes: ['AGE_RANGE', 'EMOTIONS', 'GENDER'] }),
      ),
      rekognition.detectModerationLabels(image),
      Labels.some((l) => l.Name === 'Text') ? timed('text', () => rekognition.detectText(image)) : undefined,
    ]);
    times.message!.push(performance.now() - t);
  }
}

// A face pass alone, and OCR alone, one call at a time (no overlap with other calls).
const solo: Record<string, number[]> = { faces: [], text: [] };
for (const photo of photos) {
  const Bytes = new Uint8Array(await sharp(photo).jpeg({ quality: 70 }).toBuffer());
  let t = performance.now();
  await rekognition.detectFaces({ Image: { Bytes } });
  solo.faces!.push(performance.now() - t);
  t = performance.now();
  await rekognition.detectText({ Image: { Bytes } });
  solo.text!.push(performance.now() - t);
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0);
};
const report = (label: string, values: number[]) =>
  console.log(
    `${label.padEnd(24)} n=${String(values.length).padStart(2)}  p50 ${percentile(values, 50)} ms  ` +
      `p95 ${percentile(values, 95)} ms  max ${percentile(values, 100)} ms`,
  );
for (const [name, values] of Object.entries(times)) report(`${name} (in a message)`, values);
for (const [name, values] of Object.entries(solo)) report(`${name} (alone)`, values);
const end = await rekognition.ready();
console.log(
  `RSS at the end ${mb(process.memoryUsage().rss)} MB (main thread + ${threads} worker(s), one process); ` +
    `${end.tensors} tensors`,
);

await rekognition.close();
rmSync(galleryDir, { recursive: true, force: true });
