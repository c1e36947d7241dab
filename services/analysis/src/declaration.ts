// Analysis: MESSAGE_RECEIVED -> one state machine -> MESSAGE_ANALYSED (or MESSAGE_ANALYSIS_FAILED).
import { SOURCES } from '@murmur/events';
import { defineService, type RetryPolicy } from '@murmur/ports';
import { downloadMedia, type MediaLimits } from './media/index.js';
import type { AnalysisCalls } from './state-machine/call-plan.js';
import {
  ANALYSIS_STATE_MACHINE,
  ANALYSIS_SUBSTITUTIONS,
  analysisDefinition,
} from './state-machine/definition.js';
import { type AssembleInput, assembleAnalysis } from './steps/assemble-analysis.js';
import { prepareMessage } from './steps/prepare-message.js';

export const ANALYSIS_RULE_NAME = 'analysis-message-received';

/** Starting an execution is retried; a failed execution reports itself (MESSAGE_ANALYSIS_FAILED). */
export const ANALYSIS_TARGET_RETRY: RetryPolicy = {
  maximumRetryAttempts: 8,
  maximumEventAgeInSeconds: 3_600,
};

export interface AnalysisOptions {
  /** Limits of the media download; read when a photo is downloaded (config errors surface at start). */
  media: () => MediaLimits;
  /**
   * The optional AI calls that are on (`parseCallPlan`; DetectToxicContent exists only in some
   * AWS regions). Each is still made only where it can add something.
   */
  calls: AnalysisCalls;
}

export function analysisService(options: AnalysisOptions) {
  return defineService({
    name: 'analysis',
    source: SOURCES.analysis,
    description:
      'Text and image AI on every message addressed to the bot, calling only what can add something.',
    publishes: ['MESSAGE_ANALYSED', 'MESSAGE_ANALYSIS_FAILED'],
    archives: [],
    handlers: {},
    subscriptions: [
      {
        ruleName: ANALYSIS_RULE_NAME,
        description: 'MESSAGE_RECEIVED -> the analysis state machine',
        eventPattern: { source: [SOURCES.ingress], 'detail-type': ['MESSAGE_RECEIVED'] },
        targets: [
          { kind: 'stateMachine', stateMachine: ANALYSIS_STATE_MACHINE, retryPolicy: ANALYSIS_TARGET_RETRY },
        ],
      },
    ],
    stateMachines: [
      {
        name: ANALYSIS_STATE_MACHINE,
        description:
          'Language, sentiment, entities, key phrases, toxicity; per photo labels, then text, faces, people, moderation.',
        definition: analysisDefinition(),
        substitutions: ANALYSIS_SUBSTITUTIONS,
      },
    ],
    taskFunctions: {
      PrepareMessage: async (input) => prepareMessage(input, { calls: options.calls }),
      DownloadMedia: async (input, ctx) =>
        downloadMedia(input as never, { blobs: ctx.blobs, limits: options.media() }),
      AssembleAnalysis: async (input) => assembleAnalysis(input as AssembleInput),
    },
  });
}
