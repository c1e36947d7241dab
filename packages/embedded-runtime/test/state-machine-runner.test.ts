import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { EmbeddedBus, listDeadLetters } from '@murmur/embedded-bus';
import { loadExamples, SOURCES } from '@murmur/events';
import { type AslDocument, defineService, type Logger, type ServiceDeclaration } from '@murmur/ports';
import {
  allStates,
  EmbeddedRuntime,
  FileBlobStore,
  LocalStateMachine,
  type MurmurHome,
  resolveHome,
  StateMachineDefinitionError,
  scopedBus,
} from '../src/index.js';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

const failedDetail = {
  schemaVersion: 1,
  correlationId: 'c-1',
  messageId: '1',
  accountId: '2',
  kind: 'mention',
};

/** A tiny workflow: a task function, an SDK call with a Retry and a Catch, then putEvents. */
function service(definition: AslDocument, fn = async (input: unknown) => input): ServiceDeclaration {
  return defineService({
    name: 'analysis',
    source: SOURCES.analysis,
    description: 'test',
    publishes: ['MESSAGE_ANALYSIS_FAILED'],
    archives: [],
    handlers: {},
    subscriptions: [
      {
        ruleName: 'test-rule',
        description: 'test',
        eventPattern: { source: ['test'] },
        targets: [{ kind: 'stateMachine', stateMachine: 'flow' }],
      },
    ],
    stateMachines: [
      {
        name: 'flow',
        description: 'test',
        definition,
        substitutions: {
          StepArn: { kind: 'taskFunction', taskFunction: 'Step' },
          Bus: { kind: 'eventBusName' },
        },
      },
    ],
    taskFunctions: { Step: fn },
  });
}

const flow = (): AslDocument => ({
  StartAt: 'Step',
  States: {
    Step: { Type: 'Task', Resource: '${StepArn}', Next: 'Call' },
    Call: {
      Type: 'Task',
      Resource: 'arn:aws:states:::aws-sdk:comprehend:detectSentiment',
      Parameters: { 'Text.$': '$.text' },
      Retry: [{ ErrorEquals: ['Comprehend.ThrottlingException'], MaxAttempts: 2, IntervalSeconds: 1 }],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Report' }],
      End: true,
    },
    Report: {
      Type: 'Task',
      Resource: 'arn:aws:states:::events:putEvents',
      Parameters: {
        Entries: [
          {
            EventBusName: '${Bus}',
            Source: 'murmur.analysis',
            DetailType: 'MESSAGE_ANALYSIS_FAILED',
            Detail: { ...failedDetail, 'error.$': '$.error.Error', 'cause.$': '$.error.Cause' },
          },
        ],
      },
      End: true,
    },
  },
});

describe('LocalStateMachine', () => {
  let dir: string;
  let bus: EmbeddedBus;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'murmur-sfn-'));
    bus = new EmbeddedBus({ path: join(dir, 'bus.db') });
  });
  afterEach(() => {
    bus.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const build = (
    svc: ServiceDeclaration,
    sdk: Record<string, Record<string, (p: never) => Promise<unknown>>>,
  ) =>
    new LocalStateMachine(svc.stateMachines![0]!, {
      service: svc,
      bus: scopedBus(bus, svc),
      blobs: new FileBlobStore(join(dir, 'media')),
      log: silent,
      sdk,
      retryIntervalMs: 1,
    });

  it('fills placeholders with local values and maps tasks by name to their local implementations', async () => {
    const seen: unknown[] = [];
    const svc = service(flow(), async (input) => ({ ...(input as object), step: true }));
    const machine = build(svc, {
      comprehend: {
        detectSentiment: async (params: never) => {
          seen.push(params);
          return { Sentiment: 'NEUTRAL' };
        },
      },
    });
    expect(machine.definition.States.Step!.Resource).toBe(
      'arn:aws:lambda:local:000000000000:function:analysis-Step',
    );
    const result = await machine.run({ text: 'hello' }, 'one');
    expect(result).toEqual({ status: 'SUCCEEDED', output: { Sentiment: 'NEUTRAL' } });
    expect(seen).toEqual([{ Text: 'hello' }]);
  });

  it('names SDK errors as Step Functions does (<Service>.<Name>Exception), so Retry and Catch match', async () => {
    let attempts = 0;
    const machine = build(service(flow()), {
      comprehend: {
        detectSentiment: async () => {
          attempts++;
          // Bare names without the suffix get it, as AWS documents for SDK integrations.
          throw Object.assign(new Error('slow down'), {
            name: attempts < 3 ? 'ThrottlingException' : 'Throttling',
          });
        },
      },
    });
    const result = await machine.run({ text: 'hello' }, 'two');
    expect(result.status).toBe('SUCCEEDED');
    expect(attempts).toBe(3);
    const [event] = bus.eventsAfter(0).map((e) => e.envelope);
    expect(event).toMatchObject({
      source: 'murmur.analysis',
      'detail-type': 'MESSAGE_ANALYSIS_FAILED',
      detail: { error: 'Comprehend.ThrottlingException', cause: 'slow down' },
    });
  });

  it('fails the putEvents task when the bus refuses the entry, as EventBridge.FailedEntry', async () => {
    const definition = flow();
    (definition.States.Report!.Parameters as { Entries: { DetailType: string }[] }).Entries[0]!.DetailType =
      'MESSAGE_ANALYSED';
    const machine = build(service(definition), {
      comprehend: { detectSentiment: async () => Promise.reject(new Error('nope')) },
    });
    const result = await machine.run({ text: 'x' }, 'three');
    expect(result).toMatchObject({ status: 'FAILED', error: 'EventBridge.FailedEntry' });
    expect(bus.eventsAfter(0)).toEqual([]);
  });

  it('refuses, when built, a resource with no local implementation and a state name used twice', () => {
    expect(() => build(service(flow()), {})).toThrow(
      new StateMachineDefinitionError('state Call: no local implementation of comprehend:detectSentiment'),
    );
    const twice: AslDocument = {
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }],
          End: true,
        },
      },
    };
    expect(() => allStates(twice)).toThrow('state name P is used twice');
  });
});

describe('a state machine as a rule target in the runtime', () => {
  let home: MurmurHome;
  beforeEach(() => {
    home = resolveHome({ MURMUR_HOME: mkdtempSync(join(tmpdir(), 'murmur-sfn-rt-')) });
  });
  afterEach(() => rmSync(home.root, { recursive: true, force: true }));

  it('runs one execution per event, and sends a failed execution to the DLQ with its error', async () => {
    const runs: unknown[] = [];
    const svc = service(flow(), async (input) => {
      runs.push(input);
      throw Object.assign(new Error('the input is wrong'), { name: 'InvalidMessage' });
    });
    svc.subscriptions[0]!.eventPattern = { 'detail-type': ['MESSAGE_RECEIVED'] };
    const runtime = await EmbeddedRuntime.start({
      home,
      services: [svc],
      log: silent,
      dispatcher: { pollMs: 5 },
      sdk: { comprehend: { detectSentiment: async () => ({}) } },
    });
    try {
      const example = loadExamples().find((e) => e.name === 'valid-mention-with-photos')!.envelope;
      await runtime.bus.publish({
        source: example.source,
        detailType: 'MESSAGE_RECEIVED',
        detail: example.detail as never,
      });
      const deadline = Date.now() + 10_000;
      while (listDeadLetters(runtime.bus).length === 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      const [dead] = listDeadLetters(runtime.bus);
      expect(dead).toMatchObject({ ruleName: 'test-rule', attempts: 1 });
      expect(dead!.error).toContain('flow failed: InvalidMessage: the input is wrong');
      expect(runs).toEqual([expect.objectContaining({ 'detail-type': 'MESSAGE_RECEIVED' })]);
    } finally {
      await runtime.stop();
    }
  });
});
