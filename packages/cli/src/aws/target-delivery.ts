// Delivering a dead-lettered event again to the one target that missed it, as EventBridge would
// have: the same input (the rule's Input, InputPath or InputTransformer applied to the event), by
// the same kind of call (Lambda asynchronous Invoke, Step Functions StartExecution, SNS Publish,
// SQS SendMessage). Not PutEvents: that would send the event to every rule again (the other
// services would get it twice, the lake would hold it twice) under a new event id, and the bus
// policy lets no untagged principal publish anyway.
import {
  type EventBridgeClient,
  ListTargetsByRuleCommand,
  type ListTargetsByRuleCommandOutput,
  type Target,
} from '@aws-sdk/client-eventbridge';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { applyInputTransformer } from '@murmur/embedded-bus';
import type { EventEnvelope } from '@murmur/events';
import { parseArn, queueUrlOfArn, ruleOfArn, shortName } from './arn.js';
import { awsCall, awsError, errorNameOf } from './clients.js';

export interface DeliveryClients {
  lambda: LambdaClient;
  sfn: SFNClient;
  sns: SNSClient;
  sqs: SQSClient;
}

/** A target this command cannot deliver to (an API destination, a Kinesis stream...). */
export class UnsupportedTargetError extends Error {
  override readonly name = 'UnsupportedTargetError';
}

/** A template that is one JSON string (`"... <x> ..."`): its result is sent as JSON, quotes and all. */
const JSON_STRING_TEMPLATE = /^\s*"(?:[^"\\]|\\.)*"\s*$/s;

/**
 * What EventBridge sent the target: the rule's constant Input, the InputPath's value, the
 * InputTransformer's output, or the event itself (`body`, byte for byte). A dead-letter message
 * carries no ingestion time, so `<aws.events.event.ingestion-time>` gets the event's time.
 */
export function targetInput(target: Target, event: EventEnvelope, body: string, ruleArn: string): string {
  if (target.Input !== undefined) return target.Input;
  const ctx = { ruleName: ruleOfArn(ruleArn)?.ruleName ?? '', ruleArn, ingestionTime: event.time };
  if (target.InputPath) {
    const value = applyInputTransformer(
      { inputPathsMap: { value: target.InputPath }, inputTemplate: '<value>' },
      event,
      ctx,
    );
    return JSON.stringify(value ?? null);
  }
  const transformer = target.InputTransformer;
  if (transformer?.InputTemplate) {
    const template = transformer.InputTemplate;
    const value = applyInputTransformer(
      {
        ...(transformer.InputPathsMap ? { inputPathsMap: transformer.InputPathsMap } : {}),
        inputTemplate: template,
      },
      event,
      ctx,
    );
    return typeof value === 'string' && !JSON_STRING_TEMPLATE.test(template) ? value : JSON.stringify(value);
  }
  return body;
}

/** The targets of the rules dead letters came from, one ListTargetsByRule per rule. */
export class RuleTargets {
  readonly #events: EventBridgeClient;
  readonly #byRule = new Map<string, Promise<Target[]>>();

  constructor(events: EventBridgeClient) {
    this.#events = events;
  }

  /** The rule's target with this ARN, or undefined when the rule or the target is gone. */
  async find(ruleArn: string, targetArn: string): Promise<Target | undefined> {
    let targets = this.#byRule.get(ruleArn);
    if (!targets) {
      targets = this.#load(ruleArn);
      this.#byRule.set(ruleArn, targets);
      // A failed look-up is not kept: the next message of this rule tries again.
      targets.catch(() => this.#byRule.delete(ruleArn));
    }
    return (await targets).find((t) => t.Arn === targetArn);
  }

  async #load(ruleArn: string): Promise<Target[]> {
    const rule = ruleOfArn(ruleArn);
    if (!rule) return [];
    const targets: Target[] = [];
    let token: string | undefined;
    do {
      let page: ListTargetsByRuleCommandOutput;
      try {
        page = await this.#events.send(
          new ListTargetsByRuleCommand({
            Rule: rule.ruleName,
            EventBusName: rule.busName,
            ...(token ? { NextToken: token } : {}),
          }),
        );
      } catch (error) {
        if (errorNameOf(error) === 'ResourceNotFoundException') return [];
        throw awsError(`EventBridge ListTargetsByRule ${rule.ruleName}`, error);
      }
      targets.push(...(page.Targets ?? []));
      token = page.NextToken;
    } while (token);
    return targets;
  }
}

export interface DeliveryOptions {
  /** For FIFO queue targets: the rule target's SqsParameters.MessageGroupId. */
  messageGroupId?: string;
  /** For FIFO queues and topics: the event id, so a second redrive is dropped as a duplicate. */
  deduplicationId?: string;
}

/** Delivers `input` to the target; returns what was done, e.g. "invoked function analyse". */
export async function deliverToTarget(
  clients: DeliveryClients,
  targetArn: string,
  input: string,
  options: DeliveryOptions = {},
): Promise<string> {
  const arn = parseArn(targetArn);
  const name = shortName(targetArn);
  switch (arn?.service) {
    case 'lambda': {
      if (!arn.resource.startsWith('function:')) break;
      // Asynchronous, as EventBridge invokes: Lambda's own retries and destinations apply again.
      const out = await awsCall(`Lambda Invoke ${name}`, () =>
        clients.lambda.send(
          new InvokeCommand({
            FunctionName: targetArn,
            InvocationType: 'Event',
            Payload: new TextEncoder().encode(input),
          }),
        ),
      );
      if (out.StatusCode !== 202) throw new Error(`Lambda Invoke ${name}: status ${out.StatusCode}, not 202`);
      return `invoked function ${name}`;
    }
    case 'states': {
      if (!arn.resource.startsWith('stateMachine:')) break;
      const out = await awsCall(`Step Functions StartExecution ${name}`, () =>
        clients.sfn.send(new StartExecutionCommand({ stateMachineArn: targetArn, input })),
      );
      return `started execution ${shortName(out.executionArn ?? '') || '?'} of ${name}`;
    }
    case 'sns': {
      const fifo = name.endsWith('.fifo');
      await awsCall(`SNS Publish ${name}`, () =>
        clients.sns.send(
          new PublishCommand({
            TopicArn: targetArn,
            Message: input,
            ...(fifo && options.messageGroupId ? { MessageGroupId: options.messageGroupId } : {}),
            ...(fifo && options.deduplicationId ? { MessageDeduplicationId: options.deduplicationId } : {}),
          }),
        ),
      );
      return `published to topic ${name}`;
    }
    case 'sqs': {
      const fifo = name.endsWith('.fifo');
      await awsCall(`SQS SendMessage ${name}`, () =>
        clients.sqs.send(
          new SendMessageCommand({
            QueueUrl: queueUrlOfArn(targetArn),
            MessageBody: input,
            ...(fifo && options.messageGroupId ? { MessageGroupId: options.messageGroupId } : {}),
            ...(fifo && options.deduplicationId ? { MessageDeduplicationId: options.deduplicationId } : {}),
          }),
        ),
      );
      return `sent to queue ${name}`;
    }
  }
  throw new UnsupportedTargetError(
    `redriving to ${arn ? `a ${arn.service} target` : 'this target'} (${targetArn}) is not supported: ` +
      'only Lambda functions, Step Functions state machines, SNS topics and SQS queues',
  );
}
