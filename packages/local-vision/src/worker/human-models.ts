// @vladmandic/human on the tfjs WASM backend: centernet (COCO objects), and the face pipeline
// (blazeface -> facemesh -> emotion, faceres for age, gender and the descriptor).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Config, FaceResult, Human } from '@vladmandic/human';
import {
  type DetectedFace,
  type DetectedObject,
  type EmotionLabel,
  type FacePoint,
  type RatioBox,
  ratio,
  ratioBox,
} from '../protocol.js';
import type { RgbImage } from './decode.js';
import { registerFileModelLoader } from './model-files.js';

const require = createRequire(import.meta.url);
// The package's `exports` sends Node to its tfjs-node build (which cannot install here); the
// WASM build and the `models/` folder sit beside it.
const humanDist = dirname(require.resolve('@vladmandic/human'));
const { Human: HumanClass } = require(
  join(humanDist, 'human.node-wasm.js'),
) as typeof import('@vladmandic/human');

/** Rekognition's DetectFaces finds up to 100 faces; every face costs a mesh, emotion and faceres run here. */
export const MAX_FACES = 20;
export const MAX_OBJECTS = 50;

const CONFIG: Partial<Config> = {
  backend: 'wasm',
  wasmPath: `${dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}/`,
  modelBasePath: `${pathToFileURL(join(humanDist, '..', 'models')).href}/`,
  debug: false,
  warmup: 'none',
  cacheModels: false,
  // One photo at a time, not video frames: no result reuse between calls.
  cacheSensitivity: 0,
  skipAllowed: false,
  filter: { enabled: false },
  gesture: { enabled: false },
  body: { enabled: false },
  hand: { enabled: false },
  segmentation: { enabled: false },
  object: { enabled: true, minConfidence: 0.2, maxDetected: MAX_OBJECTS, iouThreshold: 0.4 },
  face: {
    enabled: true,
    detector: { rotation: false, maxDetected: MAX_FACES, minConfidence: 0.3, return: false },
    mesh: { enabled: true },
    iris: { enabled: false },
    attention: { enabled: false },
    // Zero bars: every emotion's score and a gender for every face, as Rekognition reports them.
    emotion: { enabled: true, minConfidence: 0 },
    description: { enabled: true, minConfidence: 0 },
    antispoof: { enabled: false },
    liveness: { enabled: false },
  },
};

const OBJECTS_ONLY: Partial<Config> = { object: { enabled: true }, face: { enabled: false } };
const FACES_ONLY: Partial<Config> = { object: { enabled: false }, face: { enabled: true } };

export async function loadHuman(): Promise<Human> {
  const human = new HumanClass(CONFIG);
  registerFileModelLoader(human.tf.io);
  await human.init();
  await human.load();
  const missing = ['centernet', 'blazeface', 'facemesh', 'emotion', 'faceres'].filter(
    (name) => !human.models.loaded().includes(name),
  );
  if (missing.length > 0) throw new Error(`vision models did not load: ${missing.join(', ')}`);
  // The first inference pays for kernel set-up; pay it here, not on the first message.
  await run(
    human,
    { data: new Uint8Array(64 * 64 * 3), width: 64, height: 64 },
    { object: { enabled: true } },
  );
  return human;
}

export function tensorCount(human: Human): number {
  return (human.tf.memory() as { numTensors: number }).numTensors;
}

async function run(human: Human, image: RgbImage, config: Partial<Config>) {
  const tensor = human.tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
  try {
    const result = await human.detect(tensor, config);
    if (result.error) throw new Error(`vision model failed: ${result.error}`);
    return result;
  } finally {
    human.tf.dispose(tensor);
  }
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

/** [x, y, w, h] ratios -> a box clipped to the image (Rekognition's may overhang; ours do not). */
function clippedBox([x = 0, y = 0, w = 0, h = 0]: readonly number[]): RatioBox {
  const left = clamp01(x);
  const top = clamp01(y);
  return ratioBox(left, top, clamp01(x + w) - left, clamp01(y + h) - top);
}

export async function detectObjects(human: Human, image: RgbImage): Promise<DetectedObject[]> {
  const result = await run(human, image, OBJECTS_ONLY);
  return result.object.map((o) => ({ label: o.label, score: o.score, box: clippedBox(o.boxRaw) }));
}

export async function detectFaces(human: Human, image: RgbImage): Promise<DetectedFace[]> {
  const result = await run(human, image, FACES_ONLY);
  return result.face.map(toDetectedFace).sort((a, b) => area(b.box) - area(a.box));
}

const area = (box: RatioBox) => box.Width * box.Height;

// MediaPipe face-mesh indices: eye corners, nose tip, mouth corners.
const MESH = { eyeA: [33, 133], eyeB: [362, 263], nose: 1, mouthA: 61, mouthB: 291 } as const;
const MESH_POINTS = 468;

function toDetectedFace(face: FaceResult): DetectedFace {
  const mesh = face.meshRaw.length >= MESH_POINTS ? face.meshRaw : null;
  return {
    box: mesh ? meshBox(mesh) : clippedBox(face.boxRaw),
    score: face.score,
    age: face.age ?? 0,
    gender: face.gender ?? 'unknown',
    genderScore: face.genderScore ?? 0,
    emotions: (face.emotion ?? []).map((e) => ({ emotion: e.emotion as EmotionLabel, score: e.score })),
    embedding: face.embedding ?? [],
    landmarks: mesh ? meshLandmarks(mesh) : [],
    pose: face.rotation
      ? {
          roll: degrees(face.rotation.angle.roll),
          yaw: degrees(face.rotation.angle.yaw),
          pitch: degrees(face.rotation.angle.pitch),
        }
      : null,
  };
}

const degrees = (radians: number) => Math.round(((radians * 180) / Math.PI) * 100) / 100;

type MeshPoint = readonly (number | undefined)[];

/** The mesh's extent: forehead to chin, cheek to cheek, like Rekognition's face box. */
function meshBox(mesh: readonly MeshPoint[]): RatioBox {
  const xs = mesh.map((p) => p[0] ?? 0);
  const ys = mesh.map((p) => p[1] ?? 0);
  const left = Math.min(...xs);
  const top = Math.min(...ys);
  return clippedBox([left, top, Math.max(...xs) - left, Math.max(...ys) - top]);
}

function meshLandmarks(mesh: readonly MeshPoint[]): FacePoint[] {
  const at = (i: number) => ({ x: ratio(clamp01(mesh[i]?.[0] ?? 0)), y: ratio(clamp01(mesh[i]?.[1] ?? 0)) });
  const mid = ([i, j]: readonly [number, number]) => {
    const a = at(i);
    const b = at(j);
    return { x: ratio((a.x + b.x) / 2), y: ratio((a.y + b.y) / 2) };
  };
  // Left and right as the image shows them (Rekognition's eyeLeft is on the image's left).
  const [eyeLeft, eyeRight] = [mid(MESH.eyeA), mid(MESH.eyeB)].sort((a, b) => a.x - b.x);
  const [mouthLeft, mouthRight] = [at(MESH.mouthA), at(MESH.mouthB)].sort((a, b) => a.x - b.x);
  return [
    { type: 'eyeLeft', ...eyeLeft! },
    { type: 'eyeRight', ...eyeRight! },
    { type: 'nose', ...at(MESH.nose) },
    { type: 'mouthLeft', ...mouthLeft! },
    { type: 'mouthRight', ...mouthRight! },
  ];
}
