// centernet's COCO detections -> DetectLabels' `Labels`: Rekognition's names, its habit of listing
// parent labels ("Vehicle", "Transportation") as labels of their own, and a "Text" label when the
// quick OCR pass read printed words (COCO has no text class; the analysis state machine only calls
// DetectText when that label is there).
import type { DetectLabelsRequest, Instance, Label } from '@aws-sdk/client-rekognition';
import type { LabelsOutput } from './protocol.js';

/** Rekognition's DetectLabels default. */
export const DEFAULT_MIN_CONFIDENCE = 55;
export const TEXT_LABEL = 'Text';

/** COCO names Rekognition spells another way; the rest become Title Case ("teddy bear" -> "Teddy Bear"). */
const RENAMED: Record<string, string> = {
  tv: 'TV',
  'cell phone': 'Mobile Phone',
  'sports ball': 'Ball',
  'hair drier': 'Hair Dryer',
};

/** Parents, nearest first, where the hierarchy is obvious. Parents get listed as labels too. */
const PARENTS: Record<string, string[]> = {
  ...each(['Bicycle', 'Car', 'Motorcycle', 'Bus', 'Train', 'Truck', 'Boat'], ['Vehicle', 'Transportation']),
  Airplane: ['Aircraft', 'Vehicle', 'Transportation'],
  Aircraft: ['Vehicle', 'Transportation'],
  Vehicle: ['Transportation'],
  ...each(['Cat', 'Dog'], ['Pet', 'Mammal', 'Animal']),
  ...each(['Horse', 'Sheep', 'Cow', 'Elephant', 'Bear', 'Zebra', 'Giraffe'], ['Mammal', 'Animal']),
  Pet: ['Animal'],
  Mammal: ['Animal'],
  Bird: ['Animal'],
  ...each(['Banana', 'Apple', 'Orange'], ['Fruit', 'Food', 'Plant']),
  ...each(['Broccoli', 'Carrot'], ['Vegetable', 'Food', 'Plant']),
  ...each(['Fruit', 'Vegetable'], ['Food', 'Plant']),
  ...each(['Sandwich', 'Hot Dog', 'Pizza', 'Donut', 'Cake'], ['Food']),
  ...each(['Chair', 'Couch', 'Bed', 'Dining Table', 'Bench'], ['Furniture']),
  ...each(['TV', 'Laptop', 'Mouse', 'Remote', 'Keyboard', 'Mobile Phone'], ['Electronics']),
  ...each(['Microwave', 'Oven', 'Toaster', 'Refrigerator'], ['Appliance']),
  ...each(['Backpack', 'Handbag', 'Suitcase'], ['Bag', 'Accessories']),
  Bag: ['Accessories'],
  Tie: ['Accessories'],
};

/** Rekognition's label categories, by COCO supercategory. */
const CATEGORY: Record<string, string> = {
  ...each(['Person'], 'Person Description'),
  ...each(
    [
      'Bicycle',
      'Car',
      'Motorcycle',
      'Airplane',
      'Bus',
      'Train',
      'Truck',
      'Boat',
      'Vehicle',
      'Aircraft',
      'Transportation',
    ],
    'Vehicles and Automotive',
  ),
  ...each(['Traffic Light', 'Fire Hydrant', 'Stop Sign', 'Parking Meter'], 'Public Safety'),
  ...each(
    [
      'Bird',
      'Cat',
      'Dog',
      'Horse',
      'Sheep',
      'Cow',
      'Elephant',
      'Bear',
      'Zebra',
      'Giraffe',
      'Pet',
      'Mammal',
      'Animal',
    ],
    'Animals and Pets',
  ),
  ...each(
    ['Backpack', 'Umbrella', 'Handbag', 'Tie', 'Suitcase', 'Bag', 'Accessories'],
    'Apparel and Accessories',
  ),
  ...each(
    [
      'Frisbee',
      'Skis',
      'Snowboard',
      'Ball',
      'Kite',
      'Baseball Bat',
      'Baseball Glove',
      'Skateboard',
      'Surfboard',
    ],
    'Sports',
  ),
  'Tennis Racket': 'Sports',
  ...each(['Bottle', 'Wine Glass', 'Cup', 'Fork', 'Knife', 'Spoon', 'Bowl'], 'Kitchen and Dining'),
  ...each(
    ['Banana', 'Apple', 'Sandwich', 'Orange', 'Broccoli', 'Carrot', 'Hot Dog', 'Pizza', 'Donut', 'Cake'],
    'Food and Beverage',
  ),
  ...each(['Fruit', 'Vegetable', 'Food', 'Plant'], 'Food and Beverage'),
  ...each(['Chair', 'Couch', 'Bed', 'Dining Table', 'Bench', 'Furniture'], 'Furniture and Furnishings'),
  'Potted Plant': 'Plants and Flowers',
  ...each(
    ['Toilet', 'Microwave', 'Oven', 'Toaster', 'Sink', 'Refrigerator', 'Appliance'],
    'Home and Indoors',
  ),
  ...each(
    ['TV', 'Laptop', 'Mouse', 'Remote', 'Keyboard', 'Mobile Phone', 'Electronics'],
    'Technology and Computing',
  ),
  [TEXT_LABEL]: 'Text and Documents',
};

function each<T>(names: string[], value: T): Record<string, T> {
  return Object.fromEntries(names.map((name) => [name, value]));
}

/** COCO class name -> Rekognition label name. */
export function labelName(cocoName: string): string {
  return RENAMED[cocoName] ?? cocoName.replace(/\b\p{L}/gu, (letter) => letter.toUpperCase());
}

/**
 * centernet's scores for clear objects sit around 0.5-0.8 where Rekognition says 90+, so a
 * threshold written for Rekognition (the state machine asks for 60) would drop most true
 * detections. The square root keeps the order and lifts that range to ~70-90. A rescale, not a
 * calibration: 0.36 -> 60, 0.2 (the detector's floor) -> 45.
 */
export function objectConfidence(score: number): number {
  return round(100 * Math.sqrt(Math.min(1, Math.max(0, score))));
}

const round = (n: number) => Math.round(n * 1000) / 1000;

interface Draft {
  confidence: number;
  instances: Required<Pick<Instance, 'BoundingBox' | 'Confidence'>>[];
}

export function detectLabelsFrom(output: LabelsOutput, request: Omit<DetectLabelsRequest, 'Image'>): Label[] {
  const minConfidence = request.MinConfidence ?? DEFAULT_MIN_CONFIDENCE;
  const drafts = new Map<string, Draft>();
  const draft = (name: string) => {
    const found = drafts.get(name) ?? { confidence: 0, instances: [] };
    drafts.set(name, found);
    return found;
  };
  for (const object of output.objects) {
    const name = labelName(object.label);
    const confidence = objectConfidence(object.score);
    const label = draft(name);
    label.confidence = Math.max(label.confidence, confidence);
    if (confidence >= minConfidence)
      label.instances.push({ BoundingBox: { ...object.box }, Confidence: confidence });
    // A parent is as likely as its likeliest child; it has no boxes of its own.
    for (const parent of PARENTS[name] ?? []) {
      const p = draft(parent);
      p.confidence = Math.max(p.confidence, confidence);
    }
  }
  if (output.text.words.length > 0) draft(TEXT_LABEL).confidence = round(output.text.confidence);

  return [...drafts.entries()]
    .filter(([, d]) => d.confidence >= minConfidence)
    .sort(([, a], [, b]) => b.confidence - a.confidence)
    .slice(0, request.MaxLabels ?? Number.POSITIVE_INFINITY)
    .map(([name, d]) => ({
      Name: name,
      Confidence: d.confidence,
      Instances: d.instances.sort((a, b) => b.Confidence - a.Confidence),
      Parents: (PARENTS[name] ?? []).map((parent) => ({ Name: parent })),
      Aliases: [],
      Categories: CATEGORY[name] ? [{ Name: CATEGORY[name] }] : [],
    }));
}
