// The Murmur CDK app: one stack per service, found by fixed names, wired by SSM parameters.
import { App, type Environment, type Stack } from 'aws-cdk-lib';
import { PlumbingStack } from '../../services/plumbing/infra/plumbing-stack.js';

export const PLUMBING_STACK_NAME = 'Murmur-Plumbing';

export interface MurmurApp {
  app: App;
  stacks: Stack[];
  plumbing: PlumbingStack;
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
  return { app, stacks: [plumbing], plumbing };
}
