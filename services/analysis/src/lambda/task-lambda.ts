// One analysis task function as a Lambda: the very TaskFunction the embedded runtime calls
// in-process, given AWS ports. Step Functions invokes it by ARN (the ASL document's
// `${<Task>FunctionArn}` Task resources) with the state's input, and takes the return value as
// the task's result.
//
// A failure must reach Step Functions under the error's own `name` (`InvalidMessage`,
// `MediaTooLarge`...), since the document's Retry and Catch match on it. The Node.js runtime
// reports a thrown Error as `errorType: error.name` (aws-lambda-nodejs-runtime-interface-client,
// `toRapidResponse`/`formatError`), and Step Functions uses that errorType as the error name. So
// errors are rethrown untouched; only a thrown non-Error (which the runtime would report as
// `errorType: "string"`/`"object"`) is wrapped.
import { powertoolsLogger, S3BlobStore } from '@murmur/aws-adapters';
import type { BlobPort, Logger, TaskContext, TaskFunction } from '@murmur/ports';
import { analysisService } from '../declaration.js';
import { type MediaLimits, mediaLimitsFromEnv } from '../media/index.js';
import { type AnalysisCalls, parseCallPlan } from '../state-machine/call-plan.js';
import { ANALYSIS_ENV, type AnalysisTaskName } from './env.js';

export { ANALYSIS_ENV, ANALYSIS_TASKS, type AnalysisTaskName } from './env.js';

type Env = Record<string, string | undefined>;

/** A required variable is missing or malformed: the stack and the function disagree. */
export class AnalysisConfigError extends Error {
  override readonly name = 'AnalysisConfigError';
}

/** A task function threw something that is not an Error: reported under this name. */
export class TaskFunctionError extends Error {
  override readonly name = 'TaskFunctionError';
}

export interface TaskLambdaOptions {
  env?: Env;
  log?: Logger;
  /** The media store. @default an S3BlobStore on `MURMUR_MEDIA_BUCKET` (DownloadMedia only) */
  blobs?: (env: Env) => BlobPort;
}

/** The minimal shape of the Lambda context used here (the request id, for the log). */
export interface LambdaContextLike {
  awsRequestId?: string;
}

/** `MURMUR_ANALYSIS_CALLS` (`parseCallPlan`); unset or empty is the default plan. */
export function callPlanFromEnv(env: Env): AnalysisCalls {
  try {
    return parseCallPlan(env[ANALYSIS_ENV.calls]);
  } catch (error) {
    throw new AnalysisConfigError(`${ANALYSIS_ENV.calls}: ${(error as Error).message}`);
  }
}

function s3Blobs(env: Env): BlobPort {
  const bucket = env[ANALYSIS_ENV.mediaBucket]?.trim();
  if (!bucket) {
    throw new AnalysisConfigError(`${ANALYSIS_ENV.mediaBucket} is not set (the analysis stack sets it)`);
  }
  return new S3BlobStore(bucket);
}

/**
 * For the functions that store nothing (and may not, by IAM): a use is a wiring bug, said plainly
 * instead of an S3 AccessDenied.
 */
function noBlobs(task: AnalysisTaskName): BlobPort {
  const refuse = (): never => {
    throw new AnalysisConfigError(`${task} has no media store; only DownloadMedia writes media`);
  };
  return {
    get bucket(): string {
      return refuse();
    },
    put: async () => refuse(),
    get: async () => refuse(),
  };
}

/** Read once per execution environment; a failure is not kept (the next invocation reads again). */
function once<T>(load: () => T): () => T {
  let value: { v: T } | undefined;
  return () => {
    value ??= { v: load() };
    return value.v;
  };
}

/**
 * The Lambda handler running `analysisService(...).taskFunctions[task]`. Configuration is read
 * on the first invocation (and on the next one again, if it failed), so a bad variable fails the
 * task with `AnalysisConfigError` or `MediaConfigError`, which the document catches and reports.
 */
export function createTaskLambda(task: AnalysisTaskName, options: TaskLambdaOptions = {}) {
  const env = options.env ?? process.env;
  const log = options.log ?? powertoolsLogger('analysis');
  const media = once((): MediaLimits => mediaLimitsFromEnv(env as NodeJS.ProcessEnv));
  let ready: { fn: TaskFunction; blobs: BlobPort } | undefined;

  const prepare = (): { fn: TaskFunction; blobs: BlobPort } => {
    // Only PrepareMessage reads the plan, only DownloadMedia the limits and the bucket.
    const calls = task === 'PrepareMessage' ? callPlanFromEnv(env) : parseCallPlan('');
    const service = analysisService({ media, calls });
    const fn = service.taskFunctions?.[task];
    if (!fn) throw new AnalysisConfigError(`the analysis service declares no task function ${task}`);
    const blobs = task === 'DownloadMedia' ? (options.blobs ?? s3Blobs)(env) : noBlobs(task);
    return { fn, blobs };
  };

  return async (input: unknown, context?: LambdaContextLike): Promise<unknown> => {
    const taskLog = log.child({
      task,
      ...(context?.awsRequestId ? { requestId: context.awsRequestId } : {}),
    });
    try {
      ready ??= prepare();
      const ctx: TaskContext = { log: taskLog, blobs: ready.blobs };
      return await ready.fn(input, ctx);
    } catch (thrown) {
      const error = thrown instanceof Error ? thrown : new TaskFunctionError(String(thrown));
      // Names and messages only: messages say which field or URL is at fault, never the text.
      taskLog.error('analysis task failed', { error: error.name, reason: error.message });
      throw error;
    }
  };
}
