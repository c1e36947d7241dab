import type { BlobPort } from './blobs.js';
import type { Logger } from './logger.js';

/** An Amazon States Language document, JSONPath flavour (aws-local-stepfunctions ignores JSONata). */
export interface AslDocument {
  Comment?: string;
  StartAt: string;
  States: Record<string, AslState>;
  TimeoutSeconds?: number;
}

/** One state; the fields are ASL's, kept loose: the document is validated by the local runner and by AWS. */
export type AslState = { Type: string } & Record<string, unknown>;

/**
 * What a `${Name}` placeholder of a definition stands for. CDK renders them as
 * DefinitionSubstitutions; the embedded runtime fills in its local equivalents.
 */
export type StateMachineSubstitution =
  /** A task function of the declaring service: its Lambda ARN on AWS. */
  | { kind: 'taskFunction'; taskFunction: string }
  /** The Murmur event bus name. */
  | { kind: 'eventBusName' }
  /** The bucket of the service's BlobPort (the media bucket). */
  | { kind: 'blobBucket' };

export interface StateMachineDeclaration {
  name: string;
  description: string;
  /** Express on AWS; run in-process by the embedded runtime. The one document both use. */
  definition: AslDocument;
  substitutions: Record<string, StateMachineSubstitution>;
}

export interface TaskContext {
  log: Logger;
  blobs: BlobPort;
}

/**
 * A state machine step that needs code: a Lambda on AWS (its return value is the task's
 * result), an in-process function locally. Throw an Error whose `name` is the ASL error name.
 */
export type TaskFunction = (input: unknown, ctx: TaskContext) => Promise<unknown>;
