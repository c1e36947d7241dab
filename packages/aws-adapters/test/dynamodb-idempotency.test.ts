import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDbIdempotencyStore } from '../src/index.js';

const dynamo = mockClient(DynamoDBDocumentClient);
const OPTIONS = { ttlSeconds: 3600, inProgressSeconds: 60 };
const conflict = () => new ConditionalCheckFailedException({ message: 'exists', $metadata: {} });

describe('DynamoDbIdempotencyStore', () => {
  afterEach(() => {
    dynamo.reset();
  });
  const store = () =>
    new DynamoDbIdempotencyStore('idempotency', new DynamoDBClient({}), () => 1_700_000_000_000);

  it('claims a new key with a conditional put in the Powertools record layout', async () => {
    dynamo.on(PutCommand).resolves({});
    expect(await store().begin(['tweet:1'], OPTIONS)).toEqual(['new']);
    const put = dynamo.commandCalls(PutCommand)[0]!.args[0].input;
    expect(put.Item).toEqual({
      id: 'tweet:1',
      status: 'INPROGRESS',
      expiration: 1_700_000_000 + 3600,
      in_progress_expiration: 1_700_000_000_000 + 60_000,
    });
    expect(put.ConditionExpression).toContain('attribute_not_exists(id)');
  });

  it('reports an existing record as completed or in progress, and a repeated key in one call as a duplicate', async () => {
    dynamo.on(PutCommand, { Item: { id: 'done' } as never }).rejects(conflict());
    dynamo.on(PutCommand).callsFake((input: { Item: { id: string } }) => {
      if (input.Item.id === 'new') return {};
      throw conflict();
    });
    dynamo.on(GetCommand, { Key: { id: 'done' } }).resolves({ Item: { id: 'done', status: 'COMPLETED' } });
    dynamo.on(GetCommand, { Key: { id: 'busy' } }).resolves({ Item: { id: 'busy', status: 'INPROGRESS' } });
    expect(await store().begin(['done', 'busy', 'new', 'new'], OPTIONS)).toEqual([
      'completed',
      'in-progress',
      'new',
      'in-progress',
    ]);
  });

  it('completes with a fresh expiration, and releases only in-progress records', async () => {
    dynamo.on(UpdateCommand).resolves({});
    dynamo.on(DeleteCommand).rejects(conflict());
    await store().complete(['k'], OPTIONS);
    expect(dynamo.commandCalls(UpdateCommand)[0]!.args[0].input.ExpressionAttributeValues).toEqual({
      ':completed': 'COMPLETED',
      ':expiration': 1_700_000_000 + 3600,
    });
    await expect(store().release(['k'])).resolves.toBeUndefined(); // someone completed it: keep it
    expect(dynamo.commandCalls(DeleteCommand)[0]!.args[0].input.ConditionExpression).toBe(
      '#status = :inProgress',
    );
  });

  it('lets other DynamoDB errors through (the webhook then answers 500 and X retries)', async () => {
    dynamo.on(PutCommand).rejects(new Error('ProvisionedThroughputExceededException'));
    await expect(store().begin(['k'], OPTIONS)).rejects.toThrow('ProvisionedThroughputExceededException');
  });
});
