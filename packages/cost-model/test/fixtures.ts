// Analysed messages built from the catalog's examples, checked against the contract, so every
// constructed case is one the analysis service could really publish.
import {
  type AnalysedImage,
  type EventEnvelope,
  loadExamples,
  type MessageAnalysedDetail,
  MessageAnalysedDetailSchema,
} from '@murmur/events';

export function example(detailType: string, name: string): EventEnvelope {
  const found = loadExamples().find((e) => e.detailType === detailType && e.name === name);
  if (!found) throw new Error(`no example ${detailType}/${name}`);
  return found.envelope;
}

export const analysedExample = (name: string) =>
  example('MESSAGE_ANALYSED', name).detail as unknown as MessageAnalysedDetail;

/** The example photo, with only the labels given (so the calls the labels justify are clear). */
export function photo(index: number, labels: string[]): AnalysedImage {
  const base = analysedExample('valid-mention-with-photo').analysis.images[0]!;
  return {
    ...base,
    key: `media/2026/03/14/1900000000000000123/3_19000000000000002${index}.jpg`,
    mediaKey: `3_19000000000000002${index}`,
    analysis: {
      labels: labels.map((Name) => ({ Name, Confidence: 90, Instances: [], Parents: [] })),
      textDetections: [],
      celebrityFaces: [],
      unrecognizedFaces: [],
      faceDetails: [],
      moderationLabels: [],
    },
  };
}

export interface Constructed {
  text?: string;
  images?: AnalysedImage[];
  aiCalls?: Record<string, number> | undefined;
  errors?: MessageAnalysedDetail['analysis']['errors'];
}

/** A MESSAGE_ANALYSED detail on the text-only example, with the given text, photos and ledger. */
export function analysed(c: Constructed): MessageAnalysedDetail {
  const base = analysedExample('valid-negative-text-only');
  const { aiCalls: _, ...withoutLedger } = base;
  const detail = {
    ...withoutLedger,
    text: c.text ?? base.text,
    analysis: { ...base.analysis, images: c.images ?? [], errors: c.errors ?? [] },
    ...(c.aiCalls ? { aiCalls: c.aiCalls } : {}),
  };
  return MessageAnalysedDetailSchema.parse(detail);
}

/** An envelope around a detail, as the archive holds it. */
export function envelopeOf(detailType: string, detail: object, id: string): EventEnvelope {
  return {
    version: '0',
    id,
    'detail-type': detailType,
    source: detailType.startsWith('MESSAGE_ANALYS') ? 'murmur.analysis' : 'murmur.egress',
    account: '123456789012',
    time: '2026-03-14T09:50:02Z',
    region: 'us-east-1',
    resources: [],
    detail: detail as Record<string, unknown>,
  };
}

/** What Murmur's workflow calls for an English text with X's `lang` and words, no toxicity. */
export const TEXT_CALLS = {
  'comprehend:DetectSentiment': 1,
  'comprehend:DetectEntities': 1,
  'comprehend:DetectKeyPhrases': 1,
  'lambda:PrepareMessage': 1,
  'lambda:AssembleAnalysis': 1,
};
