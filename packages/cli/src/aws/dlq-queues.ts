// Finding the dead-letter queues of the Murmur stacks. Every Murmur stack tags its resources
// `murmur-service=<service>` (tagAsMurmurService in @murmur/cdk-constructs), queues included, so
// the Murmur queues are the ones carrying that tag (sqs:ListQueues + sqs:ListQueueTags; only the
// SQS API, no Resource Groups Tagging API permission needed). Among them, a dead-letter queue is
// one without a redrive policy of its own: every Murmur work queue has one (cdk-nag
// AwsSolutions-SQS3), and no DLQ has a DLQ. Work queues' redrive policies tell which DLQs have
// source queues to move messages back to.
import {
  GetQueueAttributesCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { CliError } from '../io.js';
import { queueNameOfUrl } from './arn.js';
import { AwsCallError, awsCall, errorNameOf } from './clients.js';
import { mapLimit } from './map-limit.js';

/** The tag every Murmur stack puts on its resources (SERVICE_TAG_KEY in @murmur/cdk-constructs). */
export const MURMUR_SERVICE_TAG = 'murmur-service';
const STACK_TAG = 'aws:cloudformation:stack-name';

export interface DeadLetterQueue {
  name: string;
  url: string;
  arn: string;
  /** The `murmur-service` tag: which service's stack owns it. */
  service: string;
  stack: string | null;
  /** Approximate, as SQS counts: visible, in flight (received, not deleted), delayed. */
  messages: number;
  inFlight: number;
  delayed: number;
  /** Queues whose redrive policy names this one; redrive moves their messages back (StartMessageMoveTask). */
  sourceQueueArns: string[];
  fifo: boolean;
}

const CONCURRENCY = 8;

/** SQS's answer for a queue deleted between ListQueues and the next call. */
const GONE = new Set(['QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue']);

async function unlessGone<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (GONE.has(error instanceof AwsCallError ? error.errorName : errorNameOf(error))) return undefined;
    throw error;
  }
}

async function listQueueUrls(sqs: SQSClient, prefix: string | undefined): Promise<string[]> {
  const urls: string[] = [];
  let token: string | undefined;
  do {
    const page = await awsCall('SQS ListQueues', () =>
      sqs.send(
        new ListQueuesCommand({
          MaxResults: 1000,
          ...(prefix ? { QueueNamePrefix: prefix } : {}),
          ...(token ? { NextToken: token } : {}),
        }),
      ),
    );
    urls.push(...(page.QueueUrls ?? []));
    token = page.NextToken;
  } while (token);
  return urls;
}

/** The Murmur dead-letter queues of the account and region, by service then name. */
export async function listDeadLetterQueues(
  sqs: SQSClient,
  options: { prefix?: string } = {},
): Promise<DeadLetterQueue[]> {
  const urls = await listQueueUrls(sqs, options.prefix);
  const tagged = await mapLimit(urls, CONCURRENCY, async (url) => {
    const tags = await unlessGone(() =>
      awsCall(`SQS ListQueueTags ${queueNameOfUrl(url)}`, () =>
        sqs.send(new ListQueueTagsCommand({ QueueUrl: url })),
      ),
    );
    const service = tags?.Tags?.[MURMUR_SERVICE_TAG];
    return service ? { url, service, stack: tags?.Tags?.[STACK_TAG] ?? null } : undefined;
  });
  const murmur = tagged.filter((q) => q !== undefined);
  const described = await mapLimit(murmur, CONCURRENCY, async (q) => {
    const attributes = await unlessGone(() =>
      awsCall(`SQS GetQueueAttributes ${queueNameOfUrl(q.url)}`, () =>
        sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: q.url,
            AttributeNames: [
              'QueueArn',
              'ApproximateNumberOfMessages',
              'ApproximateNumberOfMessagesNotVisible',
              'ApproximateNumberOfMessagesDelayed',
              'RedrivePolicy',
              'FifoQueue',
            ],
          }),
        ),
      ),
    );
    return attributes?.Attributes ? { ...q, attributes: attributes.Attributes } : undefined;
  });
  const queues = described.filter((q) => q !== undefined);

  const sources = new Map<string, string[]>();
  for (const q of queues) {
    const target = deadLetterTargetOf(q.attributes.RedrivePolicy);
    if (!target || !q.attributes.QueueArn) continue;
    sources.set(target, [...(sources.get(target) ?? []), q.attributes.QueueArn]);
  }
  return queues
    .filter((q) => !q.attributes.RedrivePolicy && q.attributes.QueueArn)
    .map((q) => ({
      name: queueNameOfUrl(q.url),
      url: q.url,
      arn: q.attributes.QueueArn!,
      service: q.service,
      stack: q.stack,
      messages: Number(q.attributes.ApproximateNumberOfMessages ?? 0),
      inFlight: Number(q.attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
      delayed: Number(q.attributes.ApproximateNumberOfMessagesDelayed ?? 0),
      sourceQueueArns: (sources.get(q.attributes.QueueArn!) ?? []).sort(),
      fifo: q.attributes.FifoQueue === 'true',
    }))
    .sort((a, b) => a.service.localeCompare(b.service) || a.name.localeCompare(b.name));
}

function deadLetterTargetOf(redrivePolicy: string | undefined): string | undefined {
  if (!redrivePolicy) return undefined;
  try {
    const parsed: unknown = JSON.parse(redrivePolicy);
    const target = (parsed as { deadLetterTargetArn?: unknown }).deadLetterTargetArn;
    return typeof target === 'string' ? target : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `--queue`: a Murmur DLQ's name, URL or ARN, or a part of its name that only one of them has
 * (CloudFormation names them `<stack>-<construct path>-<random>`, so `analyse` is enough).
 */
export function findDeadLetterQueue(queues: readonly DeadLetterQueue[], query: string): DeadLetterQueue {
  const exact = queues.find((q) => q.name === query || q.url === query || q.arn === query);
  if (exact) return exact;
  const needle = query.toLowerCase();
  const matches = queues.filter((q) => q.name.toLowerCase().includes(needle));
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) {
    throw new CliError(
      `no Murmur dead-letter queue matches "${query}"` +
        (queues.length ? `; there are: ${queues.map((q) => q.name).join(', ')}` : ' (none found)'),
    );
  }
  throw new CliError(
    `"${query}" matches ${matches.length} dead-letter queues: ${matches.map((q) => q.name).join(', ')}; be more specific`,
  );
}
