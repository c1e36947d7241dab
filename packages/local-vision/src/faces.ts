// human's face results -> DetectFaces' `FaceDetails` and RecognizeCelebrities' `ComparedFace`.
import type { Attribute, ComparedFace, EmotionName, FaceDetail } from '@aws-sdk/client-rekognition';
import type { DetectedFace, EmotionLabel } from './protocol.js';

/** human's emotion model has 7 classes; Rekognition's CONFUSED has no counterpart and is never reported. */
const EMOTION_NAMES: Record<EmotionLabel, EmotionName> = {
  angry: 'ANGRY',
  disgust: 'DISGUSTED',
  fear: 'FEAR',
  happy: 'HAPPY',
  sad: 'SAD',
  surprise: 'SURPRISED',
  neutral: 'CALM',
};

/** faceres gives one age; Rekognition gives a range. Plus or minus this many years. */
export const AGE_SPREAD = 5;

const percent = (score: number) => Math.round(Math.min(1, Math.max(0, score)) * 100_000) / 1000;

/** What every face gets: DetectFaces' DEFAULT attributes (less `Quality`, which no local model rates). */
function defaults(face: DetectedFace) {
  return {
    BoundingBox: { ...face.box },
    Confidence: percent(face.score),
    ...(face.landmarks.length
      ? { Landmarks: face.landmarks.map((p) => ({ Type: p.type, X: p.x, Y: p.y })) }
      : {}),
    ...(face.pose ? { Pose: { Roll: face.pose.roll, Yaw: face.pose.yaw, Pitch: face.pose.pitch } } : {}),
  };
}

function emotions(face: DetectedFace) {
  return face.emotions
    .map((e) => ({ Type: EMOTION_NAMES[e.emotion], Confidence: percent(e.score) }))
    .sort((a, b) => b.Confidence - a.Confidence);
}

/**
 * One of DetectFaces' `FaceDetails`. As on AWS, `AgeRange`, `Gender` and `Emotions` come only when
 * `Attributes` asks for them (or for ALL); Smile, EyesOpen, Beard and the other ALL-only
 * attributes have no local model and are left out.
 */
export function faceDetail(
  face: DetectedFace,
  attributes: readonly (Attribute | string)[] = ['DEFAULT'],
): FaceDetail {
  const wants = (attribute: Attribute) => attributes.includes('ALL') || attributes.includes(attribute);
  const detail: FaceDetail = defaults(face);
  if (wants('AGE_RANGE') && face.age > 0) {
    detail.AgeRange = {
      Low: Math.max(0, Math.floor(face.age - AGE_SPREAD)),
      High: Math.ceil(face.age + AGE_SPREAD),
    };
  }
  if (wants('GENDER') && face.gender !== 'unknown') {
    // genderScore is how far the model's probability sits from 0.5, scaled to 0..1.
    detail.Gender = {
      Value: face.gender === 'female' ? 'Female' : 'Male',
      Confidence: percent(0.5 + face.genderScore / 2),
    };
  }
  if (wants('EMOTIONS')) detail.Emotions = emotions(face);
  return detail;
}

/** RecognizeCelebrities' face shape (its `Face` and its `UnrecognizedFaces`). */
export function comparedFace(face: DetectedFace): ComparedFace {
  return { ...defaults(face), Emotions: emotions(face) };
}
