import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDbCheckpointStore, DynamoDbIdempotencyStore } from '../src/index.js';
import { type FakeItem, fakeDynamoDbTable } from '../testing/fake-dynamodb-table.js';

// The services' Lambda tests trust this fake, so it is held to what the real stores need of
// DynamoDB: the claim, the completion, the guarded release, and checkpoints with no TTL.

const dynamo = mockClient(DynamoDBDocumentClient);
const OPTIONS = { ttlSeconds: 3600, inProgressSeconds: 60 };

let items: Map<string, FakeItem>;
let nowMs: number;
const store = () => new DynamoDbIdempotencyStore('table', new DynamoDBClient({}), () => nowMs);

beforeEach(() => {
  dynamo.reset();
  nowMs = 1_700_000_000_000;
  items = fakeDynamoDbTable(dynamo);
});

describe('the fake DynamoDB table, driven by the real stores', () => {
  it('claims once, reports the claim in progress, then completed', async () => {
    expect(await store().begin(['k'], OPTIONS)).toEqual(['new']);
    expect(await store().begin(['k'], OPTIONS)).toEqual(['in-progress']);
    await store().complete(['k'], OPTIONS);
    expect(await store().begin(['k'], OPTIONS)).toEqual(['completed']);
    expect(items.get('k')).toEqual({ id: 'k', status: 'COMPLETED', expiration: 1_700_000_000 + 3600 });
  });

  it('lets a claim be taken over once its holder gave up, and a record once it expired', async () => {
    await store().begin(['stale', 'old'], OPTIONS);
    await store().complete(['old'], OPTIONS);
    nowMs += 61_000;
    expect(await store().begin(['stale', 'old'], OPTIONS)).toEqual(['new', 'completed']);
    nowMs += 3600_000;
    expect(await store().begin(['old'], OPTIONS)).toEqual(['new']);
  });

  it('releases an in-progress claim, and never a completed record', async () => {
    await store().begin(['busy', 'done'], OPTIONS);
    await store().complete(['done'], OPTIONS);
    await store().release(['busy', 'done']);
    expect([...items.keys()]).toEqual(['done']);
  });

  it('keeps checkpoints beside the records, with no expiration', async () => {
    const checkpoints = new DynamoDbCheckpointStore('table', new DynamoDBClient({}));
    await checkpoints.put('since', '42');
    await checkpoints.put('since', '43');
    expect(await checkpoints.get('since')).toBe('43');
    expect(items.get('checkpoint#since')).not.toHaveProperty('expiration');
  });

  it.each([
    [
      'a condition',
      new PutCommand({ TableName: 't', Item: { id: 'x' }, ConditionExpression: 'attribute_exists(id)' }),
    ],
    ['an update', new UpdateCommand({ TableName: 't', Key: { id: 'x' }, UpdateExpression: 'SET a = :a' })],
    [
      'a delete condition',
      new DeleteCommand({ TableName: 't', Key: { id: 'x' }, ConditionExpression: 'a = :a' }),
    ],
  ])('refuses %s it does not evaluate, rather than pretend', async (_, command) => {
    const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    await expect(doc.send(command as never)).rejects.toThrow(/does not evaluate/);
  });
});
