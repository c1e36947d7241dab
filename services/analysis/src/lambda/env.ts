/**
 * Environment variables the analysis stack sets on its functions (kept free of SDK imports: the
 * stack reads it). DownloadMedia also reads the media limits (`MURMUR_MEDIA_HOSTS`,
 * `MURMUR_MEDIA_MAX_BYTES`, `MURMUR_MEDIA_TIMEOUT_MS`, `MURMUR_MEDIA_MAX_REDIRECTS`, see
 * `mediaLimitsFromEnv`); unset, they take their defaults (X's media hosts).
 */
export const ANALYSIS_ENV = {
  /** DownloadMedia: the media bucket photos are stored in (and Rekognition reads from). */
  mediaBucket: 'MURMUR_MEDIA_BUCKET',
  /** PrepareMessage: the optional calls that are on (`parseCallPlan`, e.g. `standard`, `lean,moderation`). */
  calls: 'MURMUR_ANALYSIS_CALLS',
} as const;

/** The task functions of the analysis state machine, one Lambda each on AWS. */
export const ANALYSIS_TASKS = ['PrepareMessage', 'DownloadMedia', 'AssembleAnalysis'] as const;
export type AnalysisTaskName = (typeof ANALYSIS_TASKS)[number];
