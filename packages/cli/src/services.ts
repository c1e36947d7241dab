// The composition root: which services this runtime runs. Services never import each other;
// only the CLI puts them together.

import { type AlertingConfig, alertingService, DEFAULT_ALERTING_CONFIG } from '@murmur/alerting';
import {
  type AnalysisCalls,
  analysisService,
  type MediaLimits,
  mediaLimitsFromEnv,
  parseCallPlan,
} from '@murmur/analysis';
import { analyticsService } from '@murmur/analytics';
import { egressService, type ReplyPoster } from '@murmur/egress';
import type { IngressConfig, IngressOptions } from '@murmur/ingress';
import { ingressService } from '@murmur/ingress';
import { plumbingService } from '@murmur/plumbing';
import type { ServiceDeclaration } from '@murmur/ports';
import {
  CHATBOT,
  DEFAULT_REPLY_POLICY,
  type LocalChatbot,
  type ReplyPolicy,
  respondingService,
  trainLocalChatbot,
} from '@murmur/responding';
import { CliError } from './io.js';

export interface LocalServiceConfig {
  ingress: () => IngressConfig;
  ingressOptions: IngressOptions;
  /** Limits of media downloads. @default from MURMUR_MEDIA_* variables, read when a photo is fetched */
  media: () => MediaLimits;
  /** Who gets replies. @default DEFAULT_REPLY_POLICY; `murmur start` reads MURMUR_REPLY_* */
  replyPolicy: ReplyPolicy;
  /** The optional AI calls. @default the default plan; `murmur start` reads MURMUR_ANALYSIS_CALLS */
  analysisCalls: AnalysisCalls;
  /** Alert conditions. @default DEFAULT_ALERTING_CONFIG; `murmur start` reads MURMUR_ALERT_* */
  alerting: AlertingConfig;
  /** Where replies go: X, or the dry-run outbox. `murmur start` chooses with `replyPosterFromEnv`. */
  replyPoster: ReplyPoster;
}

let localChatbot: Promise<LocalChatbot> | undefined;
/** The chat bot trained from its definition, once per process (about 50 ms). */
const chatbot = () => {
  localChatbot ??= trainLocalChatbot(CHATBOT);
  return localChatbot;
};

const notConfigured = (): never => {
  throw new CliError('this command does not configure ingress; use `murmur start`');
};

export function localServices(config: Partial<LocalServiceConfig> = {}): ServiceDeclaration[] {
  return [
    plumbingService(),
    ingressService(config.ingress ?? notConfigured, config.ingressOptions ?? {}),
    analysisService({
      media: config.media ?? (() => mediaLimitsFromEnv(process.env)),
      calls: config.analysisCalls ?? parseCallPlan(undefined),
    }),
    alertingService(config.alerting ?? DEFAULT_ALERTING_CONFIG),
    respondingService({ policy: config.replyPolicy ?? DEFAULT_REPLY_POLICY, chatbot }),
    egressService({
      poster:
        config.replyPoster ??
        (async () => {
          throw new CliError('this command does not configure egress; use `murmur start`');
        }),
    }),
    analyticsService(),
  ];
}

/** Ingress configuration as plain data, to cross into the HTTP worker thread. */
export interface IngressConfigData {
  consumerSecret: string;
  clientSecret?: string;
  accountIds: string[];
}

export function toIngressConfigData(config: IngressConfig): IngressConfigData {
  return {
    consumerSecret: config.consumerSecret,
    ...(config.clientSecret ? { clientSecret: config.clientSecret } : {}),
    accountIds: [...config.accountIds],
  };
}

/** The same services, built in the HTTP worker from plain data (see EmbeddedRuntime's `http.worker`). */
export function localServicesFromData(data: { ingress: IngressConfigData }): ServiceDeclaration[] {
  const ingress: IngressConfig = { ...data.ingress, accountIds: new Set(data.ingress.accountIds) };
  return localServices({ ingress: () => ingress });
}
