import { describe, expect, it } from '@jest/globals';
import { ComparedFaceSchema, FaceDetailSchema } from '@murmur/events';
import { comparedFace, type DetectedFace, faceDetail } from '../src/index.js';

const face: DetectedFace = {
  box: { Left: 0.6, Top: 0.3, Width: 0.1, Height: 0.2 },
  score: 0.98,
  age: 31.6,
  gender: 'female',
  genderScore: 0.8,
  emotions: [
    { emotion: 'neutral', score: 0.3 },
    { emotion: 'happy', score: 0.6 },
  ],
  embedding: [0.1, 0.2],
  landmarks: [{ type: 'nose', x: 0.65, y: 0.4 }],
  pose: { roll: 1, yaw: -2, pitch: 3 },
};

describe('faceDetail', () => {
  it('gives the DEFAULT attributes unless more are asked for, as DetectFaces does', () => {
    const detail = faceDetail(face);
    expect(Object.keys(detail).sort()).toEqual(['BoundingBox', 'Confidence', 'Landmarks', 'Pose']);
    expect(detail).toMatchObject({
      BoundingBox: face.box,
      Confidence: 98,
      Landmarks: [{ Type: 'nose', X: 0.65, Y: 0.4 }],
      Pose: { Roll: 1, Yaw: -2, Pitch: 3 },
    });
    expect(FaceDetailSchema.safeParse(detail).success).toBe(true);
  });

  it('adds age range, gender and emotions when asked for, in Rekognition terms', () => {
    const detail = faceDetail(face, ['AGE_RANGE', 'EMOTIONS', 'GENDER']);
    expect(detail.AgeRange).toEqual({ Low: 26, High: 37 });
    // genderScore 0.8 = the model put 90% on "female".
    expect(detail.Gender).toEqual({ Value: 'Female', Confidence: 90 });
    expect(detail.Emotions).toEqual([
      { Type: 'HAPPY', Confidence: 60 },
      { Type: 'CALM', Confidence: 30 },
    ]);
    expect(faceDetail(face, ['ALL'])).toEqual(detail);
    expect(faceDetail(face, ['AGE_RANGE']).Emotions).toBeUndefined();
    expect(FaceDetailSchema.safeParse(detail).success).toBe(true);
  });

  it('shapes the face of RecognizeCelebrities', () => {
    const compared = comparedFace(face);
    expect(compared.BoundingBox).toEqual(face.box);
    expect(compared.Emotions?.[0]).toEqual({ Type: 'HAPPY', Confidence: 60 });
    expect(ComparedFaceSchema.safeParse(compared).success).toBe(true);
  });
});
