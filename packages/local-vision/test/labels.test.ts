import { describe, expect, it } from '@jest/globals';
import { LabelSchema } from '@murmur/events';
import { detectLabelsFrom, labelName, objectConfidence } from '../src/index.js';
import type { LabelsOutput } from '../src/protocol.js';

const box = { Left: 0.1, Top: 0.2, Width: 0.3, Height: 0.4 };
const noText = { words: [], confidence: 0 };

describe('labelName', () => {
  it('title-cases COCO names and uses Rekognition spellings where they differ', () => {
    expect(labelName('person')).toBe('Person');
    expect(labelName('traffic light')).toBe('Traffic Light');
    expect(labelName('cell phone')).toBe('Mobile Phone');
    expect(labelName('tv')).toBe('TV');
  });
});

describe('detectLabelsFrom', () => {
  const output: LabelsOutput = {
    objects: [
      { label: 'person', score: 0.6, box },
      { label: 'person', score: 0.25, box },
      { label: 'car', score: 0.5, box },
      { label: 'tie', score: 0.21, box },
    ],
    text: noText,
  };

  it('names labels, lists their instances above the bar, and adds the parents as labels', () => {
    const labels = detectLabelsFrom(output, {});
    expect(labels.map((l) => [l.Name, l.Confidence])).toEqual([
      ['Person', objectConfidence(0.6)],
      ['Car', objectConfidence(0.5)],
      ['Vehicle', objectConfidence(0.5)],
      ['Transportation', objectConfidence(0.5)],
    ]);
    const person = labels[0]!;
    // The 0.25 person (50%) is below the default 55.
    expect(person.Instances).toEqual([{ BoundingBox: box, Confidence: objectConfidence(0.6) }]);
    expect(labels[1]!.Parents).toEqual([{ Name: 'Vehicle' }, { Name: 'Transportation' }]);
    expect(labels[2]!).toMatchObject({ Instances: [], Parents: [{ Name: 'Transportation' }] });
    expect(labels[1]!.Categories).toEqual([{ Name: 'Vehicles and Automotive' }]);
    for (const label of labels) expect(LabelSchema.safeParse(label).success).toBe(true);
  });

  it('honours MinConfidence and MaxLabels, the likeliest labels first', () => {
    const low = detectLabelsFrom(output, { MinConfidence: 40 });
    expect(low.map((l) => l.Name)).toContain('Tie');
    expect(low.find((l) => l.Name === 'Person')!.Instances).toHaveLength(2);
    expect(detectLabelsFrom(output, { MaxLabels: 2 }).map((l) => l.Name)).toEqual(['Person', 'Car']);
    expect(detectLabelsFrom(output, { MinConfidence: 99 })).toEqual([]);
  });

  it('adds a Text label when the quick OCR pass read words, at their mean confidence', () => {
    const labels = detectLabelsFrom({ objects: [], text: { words: ['CITY', 'SHOW'], confidence: 93.5 } }, {});
    expect(labels).toEqual([
      {
        Name: 'Text',
        Confidence: 93.5,
        Instances: [],
        Parents: [],
        Aliases: [],
        Categories: [{ Name: 'Text and Documents' }],
      },
    ]);
    expect(detectLabelsFrom({ objects: [], text: noText }, {})).toEqual([]);
  });

  it('rescales detector scores monotonically onto 0..100', () => {
    expect(objectConfidence(0)).toBe(0);
    expect(objectConfidence(0.36)).toBe(60);
    expect(objectConfidence(1)).toBe(100);
    expect(objectConfidence(0.7)).toBeGreaterThan(objectConfidence(0.6));
  });
});
