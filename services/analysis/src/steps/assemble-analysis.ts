// Last step before publishing: turns what the branches of the workflow returned (responses,
// caught errors, skipped calls) into one MESSAGE_ANALYSED detail, and counts the calls made.
import {
  type AnalysedImage,
  type AnalysisError,
  type MessageAnalysedDetail,
  MessageAnalysedDetailSchema,
} from '@murmur/events';
import type { PreparedMessage } from './prepare-message.js';

/** A branch's end: the trimmed response, a caught error, or why the call was not needed. */
type CallOutcome =
  | { response: Record<string, unknown> }
  | { Error: string; Cause?: string }
  | { skipped: string };

interface TextOutcome {
  skipped?: string;
  text?: { languageCode?: string | null; detected?: { LanguageCode: string; Score: number } };
  languageError?: { Error: string; Cause?: string };
  calls?: [CallOutcome, CallOutcome, CallOutcome, CallOutcome];
}

interface ImageOutcome {
  url: string;
  mediaKey: string;
  media?: {
    bucket: string;
    key: string;
    contentType: string;
    width?: number;
    height?: number;
  };
  downloadError?: { Error: string; Cause?: string };
  labels?: CallOutcome;
  calls?: [CallOutcome, CallOutcome, CallOutcome, CallOutcome];
}

export interface AssembleInput {
  message: PreparedMessage;
  results: [TextOutcome, ImageOutcome[]];
}

/** The assembled detail does not satisfy the contract: a bug, reported as MESSAGE_ANALYSIS_FAILED. */
export class InvalidAnalysisError extends Error {
  override readonly name = 'InvalidAnalysis';
}

const TEXT_CALLS = [
  ['comprehend:DetectSentiment', 'sentiment'],
  ['comprehend:DetectEntities', 'entities'],
  ['comprehend:DetectKeyPhrases', 'keyPhrases'],
  ['comprehend:DetectToxicContent', 'toxicity'],
] as const;

const IMAGE_CALLS = [
  ['rekognition:DetectText', 'text'],
  ['rekognition:RecognizeCelebrities', 'celebrities'],
  ['rekognition:DetectFaces', 'faces'],
  ['rekognition:DetectModerationLabels', 'moderation'],
] as const;

const responseOf = (outcome: CallOutcome | undefined): Record<string, unknown> | undefined =>
  outcome && 'response' in outcome ? outcome.response : undefined;

const listOf = <T>(response: Record<string, unknown> | undefined, key: string): T[] =>
  (response?.[key] as T[] | undefined) ?? [];

export function assembleAnalysis(input: AssembleInput): MessageAnalysedDetail {
  const { message } = input;
  const [textOutcome, imageOutcomes] = input.results;
  const calls = new Counter();
  const errors: AnalysisError[] = [];
  calls.add('lambda:PrepareMessage');
  calls.add('lambda:AssembleAnalysis');

  const noteOutcome = (call: string, part: string, outcome: CallOutcome | undefined, mediaKey?: string) => {
    if (!outcome || 'skipped' in outcome) return;
    calls.add(call);
    if ('Error' in outcome) {
      errors.push({
        part,
        error: outcome.Error,
        ...(outcome.Cause ? { cause: outcome.Cause } : {}),
        ...(mediaKey ? { mediaKey } : {}),
      });
    }
  };

  // ---- text ----
  const detected = textOutcome.text?.detected;
  if (detected || textOutcome.languageError) calls.add('comprehend:DetectDominantLanguage');
  if (textOutcome.languageError) {
    errors.push({
      part: 'language',
      error: textOutcome.languageError.Error,
      cause: textOutcome.languageError.Cause ?? '',
    });
  }
  const language = textOutcome.skipped ? null : (textOutcome.text?.languageCode ?? null);
  if (language && !textOutcome.calls && !textOutcome.languageError) {
    errors.push({
      part: 'sentiment',
      error: 'UnsupportedLanguage',
      cause: `Comprehend does not analyse text in "${language}"`,
    });
  }
  const textCalls = textOutcome.calls ?? [];
  for (const [i, [call, part]] of TEXT_CALLS.entries()) noteOutcome(call, part, textCalls[i]);
  const sentiment = responseOf(textCalls[0]);
  const toxicity = listOf<NonNullable<MessageAnalysedDetail['analysis']['toxicity']>>(
    responseOf(textCalls[3]),
    'ResultList',
  )[0];

  // ---- images ----
  const images: AnalysedImage[] = [];
  for (const image of imageOutcomes) {
    calls.add('lambda:DownloadMedia');
    if (!image.media) {
      const e = image.downloadError ?? { Error: 'States.Runtime', Cause: 'no download result' };
      errors.push({
        part: 'download',
        error: e.Error,
        ...(e.Cause ? { cause: e.Cause } : {}),
        mediaKey: image.mediaKey,
      });
      continue;
    }
    if (!image.labels) {
      errors.push({
        part: 'labels',
        error: 'UnsupportedImageFormat',
        cause: `Rekognition reads JPEG and PNG, not ${image.media.contentType}`,
        mediaKey: image.mediaKey,
      });
    }
    noteOutcome('rekognition:DetectLabels', 'labels', image.labels, image.mediaKey);
    const outcomes = image.calls ?? [];
    for (const [i, [call, part]] of IMAGE_CALLS.entries())
      noteOutcome(call, part, outcomes[i], image.mediaKey);
    const celebrities = responseOf(outcomes[1]);
    images.push({
      key: image.media.key,
      mediaKey: image.mediaKey,
      url: image.url,
      contentType: image.media.contentType,
      ...(image.media.width ? { width: image.media.width } : {}),
      ...(image.media.height ? { height: image.media.height } : {}),
      analysis: {
        labels: listOf(responseOf(image.labels), 'Labels'),
        textDetections: listOf(responseOf(outcomes[0]), 'TextDetections'),
        celebrityFaces: listOf(celebrities, 'CelebrityFaces'),
        unrecognizedFaces: listOf(celebrities, 'UnrecognizedFaces'),
        faceDetails: listOf(responseOf(outcomes[2]), 'FaceDetails'),
        moderationLabels: listOf(responseOf(outcomes[3]), 'ModerationLabels'),
      },
    });
  }

  const detail = {
    schemaVersion: message.schemaVersion,
    correlationId: message.correlationId,
    messageId: message.messageId,
    accountId: message.accountId,
    kind: message.kind,
    text: message.text,
    author: message.author,
    twitter: {
      userId: message.author.id,
      ...(message.tweetId ? { tweetId: message.tweetId } : {}),
      ...(message.dmId ? { dmId: message.dmId } : {}),
      ...(message.conversationId ? { conversationId: message.conversationId } : {}),
    },
    createdAt: message.createdAt,
    analysis: {
      language,
      ...(detected ? { languageScore: detected.Score } : {}),
      textSentiment: (sentiment?.Sentiment as MessageAnalysedDetail['analysis']['textSentiment']) ?? null,
      sentimentScore:
        (sentiment?.SentimentScore as MessageAnalysedDetail['analysis']['sentimentScore']) ?? null,
      textEntities: listOf(responseOf(textCalls[1]), 'Entities'),
      keyPhrases: listOf(responseOf(textCalls[2]), 'KeyPhrases'),
      ...(toxicity ? { toxicity } : {}),
      images,
      errors,
    },
    aiCalls: calls.toRecord(),
  };
  const checked = MessageAnalysedDetailSchema.safeParse(detail);
  if (!checked.success) {
    const issues = checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new InvalidAnalysisError(`MESSAGE_ANALYSED would break its contract: ${issues}`);
  }
  return checked.data;
}

class Counter {
  private readonly counts = new Map<string, number>();
  add(key: string): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
  toRecord(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
  }
}
