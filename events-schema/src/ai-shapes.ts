// Comprehend and Rekognition result shapes, as the AWS APIs return them. They keep AWS's
// PascalCase keys: on AWS the state machine passes SDK results straight through (no Lambda to
// rename them), and the local models return the same shapes, so downstream is one code path.
// Loose objects: the AWS responses are large and grow; only the fields Murmur reads are named.
import { z } from 'zod';

const score = z.number().min(0).max(1);
const percent = z.number().min(0).max(100);

// ---- Comprehend ----

export const SentimentSchema = z.enum(['POSITIVE', 'NEGATIVE', 'NEUTRAL', 'MIXED']);
export type Sentiment = z.infer<typeof SentimentSchema>;

/** DetectSentiment's `SentimentScore`. */
export const SentimentScoreSchema = z.looseObject({
  Positive: score,
  Negative: score,
  Neutral: score,
  Mixed: score,
});

/** One of DetectEntities' `Entities`. */
export const ComprehendEntitySchema = z.looseObject({
  Text: z.string(),
  Type: z.enum([
    'PERSON',
    'LOCATION',
    'ORGANIZATION',
    'COMMERCIAL_ITEM',
    'EVENT',
    'DATE',
    'QUANTITY',
    'TITLE',
    'OTHER',
  ]),
  Score: score,
  BeginOffset: z.number().int().min(0).optional(),
  EndOffset: z.number().int().min(0).optional(),
});

/** One of DetectKeyPhrases' `KeyPhrases`. */
export const KeyPhraseSchema = z.looseObject({
  Text: z.string(),
  Score: score,
  BeginOffset: z.number().int().min(0).optional(),
  EndOffset: z.number().int().min(0).optional(),
});

/** One of DetectToxicContent's `ResultList`. */
export const ToxicitySchema = z.looseObject({
  Toxicity: score,
  Labels: z.array(z.looseObject({ Name: z.string(), Score: score })),
});

// ---- Rekognition ----

/** Ratios of the image size, as Rekognition returns them. */
export const BoundingBoxSchema = z.looseObject({
  Width: z.number(),
  Height: z.number(),
  Left: z.number(),
  Top: z.number(),
});

/** One of DetectLabels' `Labels`. */
export const LabelSchema = z.looseObject({
  Name: z.string(),
  Confidence: percent,
  Instances: z
    .array(z.looseObject({ BoundingBox: BoundingBoxSchema.optional(), Confidence: percent.optional() }))
    .optional(),
  Parents: z.array(z.looseObject({ Name: z.string() })).optional(),
  Categories: z.array(z.looseObject({ Name: z.string() })).optional(),
});

/** One of DetectText's `TextDetections`. */
export const TextDetectionSchema = z.looseObject({
  DetectedText: z.string(),
  Type: z.enum(['LINE', 'WORD']),
  Id: z.number().int().optional(),
  ParentId: z.number().int().optional(),
  Confidence: percent,
  Geometry: z.looseObject({ BoundingBox: BoundingBoxSchema.optional() }).optional(),
});

/** RecognizeCelebrities' `ComparedFace` (also its `UnrecognizedFaces`). */
export const ComparedFaceSchema = z.looseObject({
  BoundingBox: BoundingBoxSchema,
  Confidence: percent.optional(),
});

/** One of RecognizeCelebrities' `CelebrityFaces`; locally, a match from the known-people gallery. */
export const CelebritySchema = z.looseObject({
  Name: z.string(),
  Id: z.string().optional(),
  Urls: z.array(z.string()).optional(),
  MatchConfidence: percent,
  Face: ComparedFaceSchema,
});

/** One of DetectFaces' `FaceDetails`. */
export const FaceDetailSchema = z.looseObject({
  BoundingBox: BoundingBoxSchema,
  Confidence: percent.optional(),
  AgeRange: z.looseObject({ Low: z.number().optional(), High: z.number().optional() }).optional(),
  Emotions: z.array(z.looseObject({ Type: z.string(), Confidence: percent })).optional(),
});

/** One of DetectModerationLabels' `ModerationLabels`. */
export const ModerationLabelSchema = z.looseObject({
  Name: z.string(),
  Confidence: percent,
  ParentName: z.string().optional(),
  TaxonomyLevel: z.number().int().optional(),
});
