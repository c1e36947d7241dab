// Real MESSAGE_ANALYSED events from @murmur/events' examples, and variants of them that the
// catalog still accepts (checked here, so no test runs on an event the bus would refuse).
import {
  type EventEnvelope,
  loadExamples,
  type MessageAnalysedDetail,
  MessageAnalysedDetailSchema,
} from '@murmur/events';

export type AnalysedEvent = EventEnvelope & { detail: MessageAnalysedDetail };

export type Example =
  | 'valid-negative-text-only'
  | 'valid-mention-with-photo'
  | 'valid-direct-message-partial-failure';

/** A catalog example of MESSAGE_ANALYSED, as written. */
export function analysed(name: Example): AnalysedEvent {
  const example = loadExamples().find((e) => e.detailType === 'MESSAGE_ANALYSED' && e.name === name);
  if (!example) throw new Error(`no MESSAGE_ANALYSED example ${name}`);
  return example.envelope as AnalysedEvent;
}

/** An example changed by `change`, still valid in the catalog. */
export function variant(name: Example, change: (detail: MessageAnalysedDetail) => void): AnalysedEvent {
  const envelope = structuredClone(analysed(name));
  change(envelope.detail);
  envelope.detail = MessageAnalysedDetailSchema.parse(envelope.detail);
  return envelope;
}

/** The negative example with toxic text (Comprehend's DetectToxicContent shape). */
export const toxicMessage = () =>
  variant('valid-negative-text-only', (d) => {
    d.analysis.toxicity = {
      Toxicity: 0.82,
      Labels: [
        { Name: 'INSULT', Score: 0.79 },
        { Name: 'PROFANITY', Score: 0.64 },
        { Name: 'HATE_SPEECH', Score: 0.03 },
      ],
    };
  });

/** The photo example with a moderation label (DetectModerationLabels' shape) on its photo. */
export const flaggedPhotoMessage = (confidence = 91.3) =>
  variant('valid-mention-with-photo', (d) => {
    d.analysis.images[0]!.analysis.moderationLabels = [
      { Name: 'Graphic Violence', Confidence: confidence, ParentName: 'Violence', TaxonomyLevel: 2 },
    ];
  });

export { type LogLine, recordingLogger } from '@murmur/ports/testing';
