// Runs a declared ASL document in-process with aws-local-stepfunctions: the same document CDK
// deploys, with every Task state mapped by name to a local implementation of its Resource.
import type {
  AslDocument,
  AslState,
  BlobPort,
  BusPort,
  Logger,
  PublishEntry,
  ServiceDeclaration,
  StateMachineDeclaration,
  TaskFunction,
} from '@murmur/ports';
import './promise-with-resolvers.js';
import { ExecutionError, StateMachine } from 'aws-local-stepfunctions';

type Json = Parameters<StateMachine['run']>[0];

/** A local stand-in for one AWS SDK call: takes the request, returns the response shape. */
export type LocalSdkCall = (params: never) => Promise<unknown>;

/**
 * Local implementations of `arn:aws:states:::aws-sdk:<service>:<action>` resources, by the
 * service and action names as they appear in the ARN (e.g. `comprehend` / `detectSentiment`).
 */
export type LocalSdkIntegrations = Record<string, Record<string, LocalSdkCall>>;

/** The local value of each `${Name}` placeholder kind. */
export const LOCAL_EVENT_BUS_NAME = 'murmur';
const LOCAL_ACCOUNT = '000000000000';
const localFunctionArn = (service: string, fn: string) =>
  `arn:aws:lambda:local:${LOCAL_ACCOUNT}:function:${service}-${fn}`;

const SDK_RESOURCE = /^arn:aws:states:::aws-sdk:([a-z0-9]+):([A-Za-z0-9]+)$/;
const PUT_EVENTS_RESOURCE = 'arn:aws:states:::events:putEvents';

export interface LocalStateMachinePorts {
  service: ServiceDeclaration;
  bus: BusPort;
  blobs: BlobPort;
  log: Logger;
  sdk: LocalSdkIntegrations;
  /** Wait this long before every retry instead of the document's backoff (tests). */
  retryIntervalMs?: number;
}

export type ExecutionResult =
  | { status: 'SUCCEEDED'; output: unknown }
  | { status: 'FAILED'; error: string; cause: string };

export class StateMachineDefinitionError extends Error {
  override readonly name = 'StateMachineDefinitionError';
}

/** One declared state machine, ready to run executions locally. */
export class LocalStateMachine {
  readonly definition: AslDocument;
  private readonly machine: StateMachine;
  private readonly handlers: Record<string, (input: Json) => Promise<Json>>;
  private readonly retryIntervals: Record<string, number> = {};

  constructor(
    readonly declaration: StateMachineDeclaration,
    private readonly ports: LocalStateMachinePorts,
  ) {
    this.definition = substitute(declaration, ports);
    this.handlers = {};
    for (const [name, state] of taskStates(this.definition)) {
      this.handlers[name] = this.localTask(name, state);
    }
    if (ports.retryIntervalMs !== undefined) {
      for (const [name, state] of allStates(this.definition)) {
        if (state.Retry) this.retryIntervals[name] = ports.retryIntervalMs;
      }
    }
    this.machine = new StateMachine(this.definition as never, {
      validationOptions: { checkArn: false },
    });
  }

  /**
   * Runs one execution to its end. Never throws for a failed execution: the result says so. An
   * abort (the runtime stopping) rejects with `ExecutionAbortedError`, so the delivery is retried.
   */
  async run(input: unknown, executionName: string, signal?: AbortSignal): Promise<ExecutionResult> {
    const execution = this.machine.run(input as Json, {
      overrides: { taskResourceLocalHandlers: this.handlers, retryIntervalOverrides: this.retryIntervals },
      context: {
        Execution: {
          Id: `arn:aws:states:local:${LOCAL_ACCOUNT}:execution:${this.declaration.name}:${executionName}`,
          Name: executionName,
          StartTime: new Date().toISOString(),
        },
        StateMachine: { Id: this.declaration.name, Name: this.declaration.name },
      } as never,
    });
    const abort = () => execution.abort();
    signal?.addEventListener('abort', abort, { once: true });
    if (signal?.aborted) abort();
    try {
      return { status: 'SUCCEEDED', output: await execution.result };
    } catch (error) {
      if (error instanceof ExecutionError) {
        const cause = (error as Error & { cause?: Error }).cause;
        return { status: 'FAILED', error: cause?.name ?? 'States.Runtime', cause: cause?.message ?? '' };
      }
      throw error;
    } finally {
      signal?.removeEventListener('abort', abort);
    }
  }

  private localTask(name: string, state: AslState): (input: Json) => Promise<Json> {
    const resource = String(state.Resource);
    const { service, sdk, bus, blobs, log } = this.ports;
    const taskLog = log.child({ stateMachine: this.declaration.name, state: name });
    const fnPrefix = localFunctionArn(service.name, '');
    if (resource.startsWith(fnPrefix)) {
      const fnName = resource.slice(fnPrefix.length);
      const fn: TaskFunction | undefined = service.taskFunctions?.[fnName];
      if (!fn) throw new StateMachineDefinitionError(`state ${name}: no task function ${fnName}`);
      return async (input) => (await fn(input, { log: taskLog, blobs })) as Json;
    }
    if (resource === PUT_EVENTS_RESOURCE) return async (input) => putEvents(bus, input) as Promise<Json>;
    const sdkMatch = SDK_RESOURCE.exec(resource);
    if (sdkMatch) {
      const [, sdkService, action] = sdkMatch as unknown as [string, string, string];
      const call = sdk[sdkService]?.[action];
      if (!call) {
        throw new StateMachineDefinitionError(
          `state ${name}: no local implementation of ${sdkService}:${action}`,
        );
      }
      return async (input) => {
        try {
          return (await call(input as never)) as Json;
        } catch (error) {
          throw asSdkIntegrationError(sdkService, error);
        }
      };
    }
    throw new StateMachineDefinitionError(`state ${name}: resource ${resource} has no local equivalent`);
  }
}

/** Every state by name, in Parallel branches and Map processors too. Names must be unique. */
export function allStates(definition: AslDocument): Map<string, AslState> {
  const states = new Map<string, AslState>();
  const walk = (doc: { States: Record<string, AslState> }) => {
    for (const [name, state] of Object.entries(doc.States)) {
      if (states.has(name)) throw new StateMachineDefinitionError(`state name ${name} is used twice`);
      states.set(name, state);
      for (const branch of (state.Branches as AslDocument[] | undefined) ?? []) walk(branch);
      const processor = (state.ItemProcessor ?? state.Iterator) as AslDocument | undefined;
      if (processor) walk(processor);
    }
  };
  walk(definition);
  return states;
}

/** The Task states, which the runner maps by name to local implementations. */
export function taskStates(definition: AslDocument): Map<string, AslState> {
  return new Map([...allStates(definition)].filter(([, state]) => state.Type === 'Task'));
}

/** `${Name}` placeholders filled with local values, as CDK's DefinitionSubstitutions do on AWS. */
function substitute(declaration: StateMachineDeclaration, ports: LocalStateMachinePorts): AslDocument {
  const values: Record<string, string> = {};
  for (const [placeholder, sub] of Object.entries(declaration.substitutions)) {
    values[placeholder] =
      sub.kind === 'taskFunction'
        ? localFunctionArn(ports.service.name, sub.taskFunction)
        : sub.kind === 'eventBusName'
          ? LOCAL_EVENT_BUS_NAME
          : ports.blobs.bucket;
  }
  const text = JSON.stringify(declaration.definition).replace(/\$\{([A-Za-z0-9_]+)\}/g, (match, name) => {
    const value = values[name];
    if (value === undefined) {
      throw new StateMachineDefinitionError(`${declaration.name}: placeholder ${match} is not declared`);
    }
    return value;
  });
  return JSON.parse(text) as AslDocument;
}

interface PutEventsEntry {
  EventBusName?: string;
  Source: string;
  DetailType: string;
  Detail: unknown;
}

/** The `events:putEvents` optimized integration: a failed entry fails the task, as on AWS. */
async function putEvents(bus: BusPort, input: unknown): Promise<unknown> {
  const entries = ((input as { Entries?: PutEventsEntry[] }).Entries ?? []).map((entry): PublishEntry => {
    if (entry.EventBusName !== undefined && entry.EventBusName !== LOCAL_EVENT_BUS_NAME) {
      throw Object.assign(new Error(`unknown event bus ${entry.EventBusName}`), {
        name: 'EventBridge.ResourceNotFoundException',
      });
    }
    const detail = typeof entry.Detail === 'string' ? JSON.parse(entry.Detail) : entry.Detail;
    return { source: entry.Source, detailType: entry.DetailType as PublishEntry['detailType'], detail };
  });
  try {
    const { eventIds } = await bus.publish(entries);
    return { Entries: eventIds.map((EventId) => ({ EventId })), FailedEntryCount: 0 };
  } catch (error) {
    throw Object.assign(new Error(error instanceof Error ? error.message : String(error)), {
      name: 'EventBridge.FailedEntry',
    });
  }
}

/**
 * AWS names SDK integration errors `<Service>.<Name>Exception`, both PascalCase, always with the
 * suffix; local implementations throw the bare AWS exception name.
 */
function asSdkIntegrationError(service: string, error: unknown): Error {
  const original = error instanceof Error ? error : new Error(String(error));
  const bare = original.name && original.name !== 'Error' ? original.name : 'InternalServerException';
  const name = `${service[0]!.toUpperCase()}${service.slice(1)}.${bare.endsWith('Exception') ? bare : `${bare}Exception`}`;
  return Object.assign(new Error(original.message), { name });
}
