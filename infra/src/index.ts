// The Murmur CDK app: one stack per service, found by fixed names, wired by SSM parameters.
import { App, type Environment, type Stack } from 'aws-cdk-lib';
import { AlertingStack } from '../../services/alerting/infra/alerting-stack.js';
import { AnalysisStack } from '../../services/analysis/infra/analysis-stack.js';
import { AnalyticsStack } from '../../services/analytics/infra/analytics-stack.js';
import { EgressStack } from '../../services/egress/infra/egress-stack.js';
import { IngressStack } from '../../services/ingress/infra/ingress-stack.js';
import { PlumbingStack } from '../../services/plumbing/infra/plumbing-stack.js';
import { RespondingStack } from '../../services/responding/infra/responding-stack.js';

export const PLUMBING_STACK_NAME = 'Murmur-Plumbing';
export const INGRESS_STACK_NAME = 'Murmur-Ingress';
export const ANALYSIS_STACK_NAME = 'Murmur-Analysis';
export const ALERTING_STACK_NAME = 'Murmur-Alerting';
export const RESPONDING_STACK_NAME = 'Murmur-Responding';
export const EGRESS_STACK_NAME = 'Murmur-Egress';
export const ANALYTICS_STACK_NAME = 'Murmur-Analytics';

export interface MurmurApp {
  app: App;
  stacks: Stack[];
  plumbing: PlumbingStack;
  ingress: IngressStack;
  analysis: AnalysisStack;
  alerting: AlertingStack;
  responding: RespondingStack;
  egress: EgressStack;
  analytics: AnalyticsStack;
}

/**
 * The environment from the CLI's CDK_DEFAULT_ACCOUNT/REGION, or none: an environment-agnostic
 * stack synthesizes offline without credentials and resolves account and region at deploy.
 */
export function defaultEnvironment(env: NodeJS.ProcessEnv = process.env): Environment | undefined {
  const account = env.CDK_DEFAULT_ACCOUNT;
  const region = env.CDK_DEFAULT_REGION;
  return account || region ? { ...(account ? { account } : {}), ...(region ? { region } : {}) } : undefined;
}

export function createMurmurApp(app: App = new App(), env = defaultEnvironment()): MurmurApp {
  const plumbing = new PlumbingStack(app, PLUMBING_STACK_NAME, {
    stackName: PLUMBING_STACK_NAME,
    description: 'Murmur plumbing: the event bus, its archive, the event log and the schema registry.',
    ...(env ? { env } : {}),
  });
  // Finds the bus through the SSM parameter plumbing writes: no export, no stack dependency.
  // Deploy Murmur-Plumbing first.
  const ingress = new IngressStack(app, INGRESS_STACK_NAME, {
    stackName: INGRESS_STACK_NAME,
    description: "Murmur ingress: X's Account Activity webhook, verified, deduplicated, on the bus.",
    ...(env ? { env } : {}),
  });
  // Same: the bus by its SSM parameter. DetectToxicContent stays off (only some regions offer it).
  const analysis = new AnalysisStack(app, ANALYSIS_STACK_NAME, {
    stackName: ANALYSIS_STACK_NAME,
    description:
      'Murmur analysis: MESSAGE_RECEIVED -> an Express state machine (Comprehend, Rekognition) -> MESSAGE_ANALYSED.',
    ...(env ? { env } : {}),
  });
  // Alerting, responding and egress find the bus (and the media bucket, which analysis owns) by
  // their SSM parameters: deploy Murmur-Plumbing, then Murmur-Analysis, then these.
  const alerting = new AlertingStack(app, ALERTING_STACK_NAME, {
    stackName: ALERTING_STACK_NAME,
    description:
      'Murmur alerting: alert conditions on MESSAGE_ANALYSED -> ALERT_RAISED -> an encrypted SNS topic.',
    ...(env ? { env } : {}),
  });
  const responding = new RespondingStack(app, RESPONDING_STACK_NAME, {
    stackName: RESPONDING_STACK_NAME,
    description:
      'Murmur responding: MESSAGE_ANALYSED -> at most one SEND_TWEET (a Lex V2 chat bot, annotated photos).',
    ...(env ? { env } : {}),
  });
  const egress = new EgressStack(app, EGRESS_STACK_NAME, {
    stackName: EGRESS_STACK_NAME,
    description: 'Murmur egress: SEND_TWEET -> a queue -> X, exactly once per message, rate limits honoured.',
    ...(env ? { env } : {}),
  });
  // Needs only the bus (by its SSM parameter).
  const analytics = new AnalyticsStack(app, ANALYTICS_STACK_NAME, {
    stackName: ANALYTICS_STACK_NAME,
    description:
      'Murmur analytics: every live event -> Firehose (partitioned, gzip) -> S3; Glue tables with partition projection; Athena workgroup murmur with the named queries.',
    ...(env ? { env } : {}),
  });
  return {
    app,
    stacks: [plumbing, ingress, analysis, alerting, responding, egress, analytics],
    plumbing,
    ingress,
    analysis,
    alerting,
    responding,
    egress,
    analytics,
  };
}
