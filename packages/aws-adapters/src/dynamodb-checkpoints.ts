import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { CheckpointPort } from '@murmur/ports';

/** Checkpoint ids start with this, so they never meet an idempotency key in the shared table. */
export const CHECKPOINT_ID_PREFIX = 'checkpoint#';

/**
 * Schedule checkpoints (a polling `since_id`, a rate-limit "not before") in DynamoDB. They live
 * in the ingress idempotency table, as `{ id: "checkpoint#<key>", value, updatedAt }`, with no
 * `expiration` attribute, so the table's TTL never removes them. Reads are strongly consistent:
 * the next run must see what the last one wrote.
 */
export class DynamoDbCheckpointStore implements CheckpointPort {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    private readonly tableName: string,
    client: DynamoDBClient = new DynamoDBClient({}),
    private readonly now: () => number = Date.now,
  ) {
    this.doc = DynamoDBDocumentClient.from(client);
  }

  async get(key: string): Promise<string | undefined> {
    const result = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { id: `${CHECKPOINT_ID_PREFIX}${key}` },
        ConsistentRead: true,
      }),
    );
    const value = result.Item?.value;
    return typeof value === 'string' ? value : undefined;
  }

  async put(key: string, value: string): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          id: `${CHECKPOINT_ID_PREFIX}${key}`,
          value,
          updatedAt: new Date(this.now()).toISOString(),
        },
      }),
    );
  }
}
