import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { CHECKPOINT_ID_PREFIX, DynamoDbCheckpointStore } from '../src/index.js';

const dynamo = mockClient(DynamoDBDocumentClient);
const store = () =>
  new DynamoDbCheckpointStore('idempotency', new DynamoDBClient({}), () => 1_700_000_000_000);

describe('DynamoDbCheckpointStore', () => {
  afterEach(() => {
    dynamo.reset();
  });

  it('writes a checkpoint under a checkpoint# id, with no expiration (TTL never removes it)', async () => {
    dynamo.on(PutCommand).resolves({});
    await store().put('ingress.mentions.1.sinceId', '1900000000000000123');
    const put = dynamo.commandCalls(PutCommand)[0]!.args[0].input;
    expect(put).toEqual({
      TableName: 'idempotency',
      Item: {
        id: 'checkpoint#ingress.mentions.1.sinceId',
        value: '1900000000000000123',
        updatedAt: '2023-11-14T22:13:20.000Z',
      },
    });
    expect(put.Item).not.toHaveProperty('expiration');
    expect(CHECKPOINT_ID_PREFIX).toBe('checkpoint#');
  });

  it('reads it back with a consistent read', async () => {
    dynamo
      .on(GetCommand, { Key: { id: 'checkpoint#a' } })
      .resolves({ Item: { id: 'checkpoint#a', value: '42', updatedAt: 'x' } });
    expect(await store().get('a')).toBe('42');
    expect(dynamo.commandCalls(GetCommand)[0]!.args[0].input).toEqual({
      TableName: 'idempotency',
      Key: { id: 'checkpoint#a' },
      ConsistentRead: true,
    });
  });

  it('answers undefined for a missing checkpoint, or a record that holds no string value', async () => {
    dynamo.on(GetCommand, { Key: { id: 'checkpoint#none' } }).resolves({});
    dynamo
      .on(GetCommand, { Key: { id: 'checkpoint#odd' } })
      .resolves({ Item: { id: 'checkpoint#odd', value: 7 } });
    expect(await store().get('none')).toBeUndefined();
    expect(await store().get('odd')).toBeUndefined();
  });

  it('lets DynamoDB errors through (the poll run fails and is retried)', async () => {
    dynamo.on(GetCommand).rejects(new Error('ProvisionedThroughputExceededException'));
    dynamo.on(PutCommand).rejects(new Error('AccessDeniedException'));
    await expect(store().get('a')).rejects.toThrow('ProvisionedThroughputExceededException');
    await expect(store().put('a', '1')).rejects.toThrow('AccessDeniedException');
  });
});
