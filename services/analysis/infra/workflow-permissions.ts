// What the state machine's role must be allowed, read from the ASL document itself, so the
// IAM policy cannot drift from what the workflow calls.
import type { AslDocument, AslState } from '@murmur/ports';

/**
 * AWS SDK integrations the stack knows how to grant: their IAM prefix, and why `Resource: "*"`
 * is the only choice. The Service Authorization Reference lists no resource type for these
 * actions (DetectEntities only the optional `entity-recognizer-endpoint` of a custom model,
 * which the workflow does not use), so they cannot be scoped to an ARN.
 */
export const SDK_SERVICES_WITHOUT_RESOURCES: Readonly<Record<string, string>> = {
  comprehend: 'comprehend',
  rekognition: 'rekognition',
};

const SDK_RESOURCE = /^arn:aws:states:::aws-sdk:([a-z0-9]+):([a-z][A-Za-z0-9]*)$/u;
const PLACEHOLDER_RESOURCE = /^\$\{([A-Za-z0-9_]+)\}$/u;
const PUT_EVENTS_RESOURCE = 'arn:aws:states:::events:putEvents';

export interface WorkflowCalls {
  /** IAM actions of the `aws-sdk:<service>:<action>` Task states, by IAM service prefix, sorted. */
  sdkActions: Record<string, string[]>;
  /** `${Name}` placeholders used as a Task's Resource (Lambda functions invoked by ARN), sorted. */
  functionPlaceholders: string[];
  /** Some Task state publishes with the `events:putEvents` integration. */
  putsEvents: boolean;
}

/** Every state of the document, in Parallel branches and Map processors too. */
function* statesOf(doc: { States: Record<string, AslState> }): Generator<[string, AslState]> {
  for (const [name, state] of Object.entries(doc.States)) {
    yield [name, state];
    for (const branch of (state.Branches as AslDocument[] | undefined) ?? []) yield* statesOf(branch);
    const processor = (state.ItemProcessor ?? state.Iterator) as AslDocument | undefined;
    if (processor) yield* statesOf(processor);
  }
}

/**
 * The calls the document's Task states make. Throws on a Task resource the stack cannot grant
 * (another integration pattern, an unknown SDK service): extend this module and the stack then.
 */
export function workflowCalls(definition: AslDocument): WorkflowCalls {
  const sdk = new Map<string, Set<string>>();
  const placeholders = new Set<string>();
  let putsEvents = false;
  for (const [name, state] of statesOf(definition)) {
    if (state.Type !== 'Task') continue;
    const resource = String(state.Resource);
    const placeholder = PLACEHOLDER_RESOURCE.exec(resource);
    if (placeholder) {
      placeholders.add(placeholder[1]!);
      continue;
    }
    if (resource === PUT_EVENTS_RESOURCE) {
      putsEvents = true;
      continue;
    }
    const call = SDK_RESOURCE.exec(resource);
    const prefix = call ? SDK_SERVICES_WITHOUT_RESOURCES[call[1]!] : undefined;
    if (!call || !prefix) {
      throw new Error(`state ${name}: the analysis stack does not know how to grant ${resource}`);
    }
    // `detectSentiment` in the integration ARN is the IAM action `DetectSentiment`.
    const action = `${prefix}:${call[2]!.charAt(0).toUpperCase()}${call[2]!.slice(1)}`;
    if (!sdk.has(prefix)) sdk.set(prefix, new Set());
    sdk.get(prefix)!.add(action);
  }
  return {
    sdkActions: Object.fromEntries([...sdk].map(([prefix, actions]) => [prefix, [...actions].sort()])),
    functionPlaceholders: [...placeholders].sort(),
    putsEvents,
  };
}

/** Every `${Name}` in the document (Task resources, parameters...), each once, sorted. */
export function placeholdersOf(definition: AslDocument): string[] {
  return [
    ...new Set([...JSON.stringify(definition).matchAll(/\$\{([A-Za-z0-9_]+)\}/gu)].map((m) => m[1]!)),
  ].sort();
}
