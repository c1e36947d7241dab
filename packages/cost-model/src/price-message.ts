// One message, priced twice: what Murmur paid (its ledger, `aiCalls`) and what the reference
// design would have paid for the same message (its fixed calls, whether needed or not).
import type { MessageAnalysedDetail } from '@murmur/events';
import { billOf, type LineItem, type LineItems } from './line-items.js';
import { ASSUMPTIONS, PRICE_TABLE, type Price } from './price-table.js';
import { comprehendUnits, expressGbSeconds, lambdaGbSeconds } from './units.js';

/** The ledger's keys, as `MESSAGE_ANALYSED.aiCalls` names them (events-schema/src/messages.ts). */
export const AI_CALL_KEYS = [
  'comprehend:DetectDominantLanguage',
  'comprehend:DetectSentiment',
  'comprehend:DetectEntities',
  'comprehend:DetectKeyPhrases',
  'comprehend:DetectToxicContent',
  'rekognition:DetectLabels',
  'rekognition:DetectText',
  'rekognition:RecognizeCelebrities',
  'rekognition:DetectFaces',
  'rekognition:DetectModerationLabels',
  'lambda:PrepareMessage',
  'lambda:DownloadMedia',
  'lambda:AssembleAnalysis',
] as const;

export type AiCallKey = (typeof AI_CALL_KEYS)[number];

const COMPREHEND_UNIT = '100-character units';
const IMAGE_UNIT = 'images';
const GB_SECONDS = 'GB-seconds';

function comprehendLine(line: string, calls: number, text: string, price: Price): LineItem {
  const units = calls * comprehendUnits(text);
  return { line, scope: 'ai', calls, units, unit: COMPREHEND_UNIT, usd: units * price.usd };
}

function rekognitionLine(line: string, calls: number): LineItem {
  return {
    line,
    scope: 'ai',
    calls,
    units: calls,
    unit: IMAGE_UNIT,
    usd: calls * PRICE_TABLE.rekognitionImage.usd,
  };
}

function lambdaLine(line: string, invocations: number, gbSeconds: number, gbSecond: Price): LineItem {
  return {
    line,
    scope: 'workflow',
    calls: invocations,
    units: gbSeconds,
    unit: GB_SECONDS,
    usd: invocations * PRICE_TABLE.lambdaRequest.usd + gbSeconds * gbSecond.usd,
  };
}

/** One Express execution of the analysis workflow, at the documented duration and memory. */
export function expressExecutionLine(withPhotos: boolean): LineItem {
  const seconds = withPhotos ? ASSUMPTIONS.expressSecondsWithPhotos : ASSUMPTIONS.expressSecondsTextOnly;
  const gbSeconds = expressGbSeconds(seconds, ASSUMPTIONS.expressMemoryMb);
  return {
    line: 'stepfunctions:Express',
    scope: 'workflow',
    calls: 1,
    units: gbSeconds,
    unit: GB_SECONDS,
    usd: PRICE_TABLE.expressRequest.usd + gbSeconds * PRICE_TABLE.expressGbSecond.usd,
  };
}

const COMPREHEND_KEYS = new Set<string>(AI_CALL_KEYS.filter((k) => k.startsWith('comprehend:')));
const REKOGNITION_KEYS = new Set<string>(AI_CALL_KEYS.filter((k) => k.startsWith('rekognition:')));

/** The line for `count` calls of one ledger key; a key outside the contract is counted, not priced. */
function ledgerLine(key: string, count: number, text: string): LineItem {
  if (key === 'comprehend:DetectToxicContent') {
    return comprehendLine(key, count, text, PRICE_TABLE.comprehendToxicityUnit);
  }
  if (COMPREHEND_KEYS.has(key)) return comprehendLine(key, count, text, PRICE_TABLE.comprehendUnit);
  if (REKOGNITION_KEYS.has(key)) return rekognitionLine(key, count);
  const fn = ASSUMPTIONS.lambdas[key];
  if (fn !== undefined) {
    const gbSeconds = count * lambdaGbSeconds(fn.seconds, fn.memoryMb);
    return lambdaLine(key, count, gbSeconds, PRICE_TABLE.lambdaGbSecondArm);
  }
  const scope = key.startsWith('lambda:') ? 'workflow' : 'ai';
  return { line: key, scope, calls: count, units: count, unit: 'calls', usd: 0, unpriced: true };
}

function hadPhotos(detail: MessageAnalysedDetail): boolean {
  return (
    detail.analysis.images.length > 0 ||
    (detail.aiCalls?.['lambda:DownloadMedia'] ?? 0) > 0 ||
    detail.analysis.errors.some((e) => e.part === 'download')
  );
}

/**
 * What Murmur paid for one analysed message: every call in its ledger, priced, plus the Express
 * execution. A message without a ledger (`aiCalls` absent) is priced as its execution only.
 */
export function priceMessage(detail: MessageAnalysedDetail): LineItems {
  const lines: LineItem[] = [expressExecutionLine(hadPhotos(detail))];
  for (const [key, count] of Object.entries(detail.aiCalls ?? {})) {
    if (count > 0) lines.push(ledgerLine(key, count, detail.text));
  }
  return billOf(lines);
}

/** A message whose calls are unknown (failed analysis, or no ledger): its Express execution only. */
export function priceExecutionOnly(): LineItems {
  return billOf([expressExecutionLine(false)]);
}

/**
 * State transitions of the reference design's Standard workflow for one message. Without photos:
 * the outer Parallel, the text Parallel and its two Comprehend tasks, the Choice, the "No Images"
 * Pass and "Push Result" (7). With n photos: the Pass gives way to the download Lambda and the
 * Map, and each photo adds its Parallel and three Rekognition tasks (8 + 4n).
 */
export function referenceTransitions(photos: number): number {
  return photos === 0 ? 7 : 8 + 4 * photos;
}

/**
 * What the reference design would have paid for the same message: DetectEntities and
 * DetectSentiment (language fixed to `en`) on any non-empty text, and DetectLabels, DetectText and
 * RecognizeCelebrities on every photo, after one download Lambda, in a Standard workflow.
 *
 * Photos are those Murmur downloaded (`analysis.images`): a photo that could not be fetched is
 * charged to neither design. With empty text Comprehend rejects the request unbilled and the
 * reference workflow fails before its photos are analysed, so only its transitions are charged.
 */
export function referenceDesignCost(detail: MessageAnalysedDetail): LineItems {
  const hasText = detail.text.length > 0;
  const photos = hasText ? detail.analysis.images.length : 0;
  const lines: LineItem[] = [
    {
      line: 'stepfunctions:Standard',
      scope: 'workflow',
      calls: 1,
      units: referenceTransitions(photos),
      unit: 'transitions',
      usd: referenceTransitions(photos) * PRICE_TABLE.standardTransition.usd,
    },
  ];
  if (hasText) {
    for (const key of ['comprehend:DetectEntities', 'comprehend:DetectSentiment']) {
      lines.push(comprehendLine(key, 1, detail.text, PRICE_TABLE.comprehendUnit));
    }
  }
  if (photos > 0) {
    for (const key of [
      'rekognition:DetectLabels',
      'rekognition:DetectText',
      'rekognition:RecognizeCelebrities',
    ]) {
      lines.push(rekognitionLine(key, photos));
    }
    const seconds = photos * ASSUMPTIONS.referenceLambdaSecondsPerPhoto;
    lines.push(
      lambdaLine(
        'lambda:DownloadImages',
        1,
        lambdaGbSeconds(seconds, ASSUMPTIONS.referenceLambdaMemoryMb),
        PRICE_TABLE.lambdaGbSecondX86,
      ),
    );
  }
  return billOf(lines);
}
