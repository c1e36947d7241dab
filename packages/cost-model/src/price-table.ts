// The documented price table: first-tier, on-demand, us-east-1, USD. Every line says where the
// figure comes from and when it was checked, so a stale price is visible rather than silent.

export interface Price {
  /** USD for one `unit`. */
  usd: number;
  /** What one unit is, as the provider bills it. */
  unit: string;
  /** Where the figure comes from. */
  source: string;
  /** When the figure was checked against that source (YYYY-MM-DD). */
  asOf: string;
  /** Billing rules that change the arithmetic, or why the figure is an assumption. */
  note?: string;
}

export const PRICING_REGION = 'us-east-1';
export const PRICING_CURRENCY = 'USD';
const CHECKED = '2026-11-22';

export const PRICE_TABLE = {
  comprehendUnit: {
    usd: 0.0001,
    unit: '100-character unit',
    source: 'https://aws.amazon.com/comprehend/pricing/',
    asOf: CHECKED,
    note:
      'DetectDominantLanguage, DetectSentiment, DetectEntities, DetectKeyPhrases: each request is billed ' +
      'ceil(characters / 100) units with a 3-unit (300-character) minimum. First tier: up to 10M units a month.',
  },
  comprehendToxicityUnit: {
    usd: 0.0001,
    unit: '100-character unit',
    source: 'https://aws.amazon.com/comprehend/pricing/ (Trust and safety)',
    asOf: CHECKED,
    note:
      'ASSUMPTION: the stored copy of the pricing page does not render the toxicity figures. Priced like the ' +
      'NLP APIs, 3-unit minimum included, which can only overstate what Murmur pays.',
  },
  rekognitionImage: {
    usd: 0.001,
    unit: 'image, per API call',
    source: 'https://aws.amazon.com/rekognition/pricing/',
    asOf: CHECKED,
    note:
      'DetectLabels, DetectText, RecognizeCelebrities, DetectFaces, DetectModerationLabels: each call on an ' +
      'image is billed separately, at $0.001 in the first tier (first 1M images a month) of both API groups.',
  },
  expressRequest: {
    usd: 0.000001,
    unit: 'Express workflow execution',
    source: 'https://aws.amazon.com/step-functions/pricing/',
    asOf: CHECKED,
    note: '$1.00 per million requests.',
  },
  expressGbSecond: {
    usd: 0.00001667,
    unit: 'GB-second of Express execution',
    source: 'https://aws.amazon.com/step-functions/pricing/',
    asOf: CHECKED,
    note: 'Duration is rounded up to 100 ms and memory is billed in 64 MB chunks. First tier: first 1,000 GB-hours a month.',
  },
  standardTransition: {
    usd: 0.000025,
    unit: 'Standard workflow state transition',
    source: 'https://aws.amazon.com/step-functions/pricing/',
    asOf: CHECKED,
    note: '$25 per million transitions, retries included; the reference design ran a Standard workflow.',
  },
  lambdaRequest: {
    usd: 0.0000002,
    unit: 'Lambda invocation',
    source: 'https://aws.amazon.com/lambda/pricing/',
    asOf: CHECKED,
    note: '$0.20 per million requests.',
  },
  lambdaGbSecondArm: {
    usd: 0.0000133334,
    unit: 'GB-second of Lambda (arm64)',
    source: 'https://aws.amazon.com/lambda/pricing/',
    asOf: CHECKED,
    note: "Billed per 1 ms. Murmur's analysis functions run on arm64 (services/analysis/infra).",
  },
  lambdaGbSecondX86: {
    usd: 0.0000166667,
    unit: 'GB-second of Lambda (x86)',
    source: 'https://aws.amazon.com/lambda/pricing/',
    asOf: CHECKED,
    note: "Billed per 1 ms. The reference design's download function ran on x86 (CDK's default).",
  },
  eventBridgeEvent: {
    usd: 0.000001,
    unit: 'custom event (per 64 KB chunk)',
    source: 'https://aws.amazon.com/eventbridge/pricing/',
    asOf: CHECKED,
    note: '$1.00 per million custom events published; an entry is billed per started 64 KB.',
  },
  xPost: {
    usd: 0.015,
    unit: 'post or DM created',
    source: 'https://docs.x.com/x-api/getting-started/pricing',
    asOf: CHECKED,
    note:
      'ASSUMPTION, not verifiable offline: X pay-per-use "Content: Create" and "DM Interaction: Create" ' +
      '$0.015 per request ($0.20 when the post carries a URL; media upload not included). X changes these ' +
      'prices; check the Developer Console.',
  },
} as const satisfies Record<string, Price>;

export type PriceKey = keyof typeof PRICE_TABLE;

/**
 * What the ledger cannot know, assumed and documented: execution durations and memory sizes.
 * They move the workflow lines only; the AI lines come from counted calls.
 */
export const ASSUMPTIONS = {
  /** Memory an Express execution of the analysis workflow is billed for (one 64 MB chunk). */
  expressMemoryMb: 64,
  /** Billed duration of an Express execution for a message without photos. */
  expressSecondsTextOnly: 1,
  /** Billed duration of an Express execution for a message with photos (they are analysed in parallel). */
  expressSecondsWithPhotos: 4,
  /**
   * Murmur's analysis Lambdas: memory as services/analysis/infra deploys them (arm64), and an
   * assumed billed duration per invocation (a download includes fetching the photo and the S3 put).
   */
  lambdas: {
    'lambda:PrepareMessage': { memoryMb: 256, seconds: 0.05 },
    'lambda:DownloadMedia': { memoryMb: 512, seconds: 1 },
    'lambda:AssembleAnalysis': { memoryMb: 256, seconds: 0.05 },
  } as Readonly<Record<string, { memoryMb: number; seconds: number }>>,
  /** The reference design's download Lambda: CDK's default 128 MB, one invocation fetching every photo. */
  referenceLambdaMemoryMb: 128,
  /** Billed seconds of the reference design's download Lambda, per photo it fetched. */
  referenceLambdaSecondsPerPhoto: 1,
} as const;
