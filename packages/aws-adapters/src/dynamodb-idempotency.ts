import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { IdempotencyOptions, IdempotencyPort, IdempotencyStatus } from '@murmur/ports';

/**
 * Idempotency records in DynamoDB, in the layout Powertools idempotency uses (`id`, `status`
 * INPROGRESS/COMPLETED, `expiration` in seconds as the table's TTL attribute,
 * `in_progress_expiration` in ms), so the table can also serve Powertools-wrapped functions.
 * A claim is one conditional put: it wins only if there is no live record.
 */
export class DynamoDbIdempotencyStore implements IdempotencyPort {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    private readonly tableName: string,
    client: DynamoDBClient = new DynamoDBClient({}),
    private readonly now: () => number = Date.now,
  ) {
    this.doc = DynamoDBDocumentClient.from(client);
  }

  async begin(keys: readonly string[], options: IdempotencyOptions): Promise<IdempotencyStatus[]> {
    const statuses: IdempotencyStatus[] = [];
    const claimed = new Set<string>();
    for (const key of keys) {
      // The same key twice in one call: the second is a duplicate of the first.
      if (claimed.has(key)) {
        statuses.push('in-progress');
        continue;
      }
      const status = await this.claim(key, options);
      if (status === 'new') claimed.add(key);
      statuses.push(status);
    }
    return statuses;
  }

  private async claim(key: string, options: IdempotencyOptions): Promise<IdempotencyStatus> {
    const now = this.now();
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            id: key,
            status: 'INPROGRESS',
            expiration: Math.floor(now / 1000) + options.ttlSeconds,
            in_progress_expiration: now + options.inProgressSeconds * 1000,
          },
          ConditionExpression:
            'attribute_not_exists(id) OR expiration < :nowSeconds OR (#status = :inProgress AND in_progress_expiration < :nowMs)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':nowSeconds': Math.floor(now / 1000),
            ':nowMs': now,
            ':inProgress': 'INPROGRESS',
          },
        }),
      );
      return 'new';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const existing = await this.doc.send(
        new GetCommand({ TableName: this.tableName, Key: { id: key }, ConsistentRead: true }),
      );
      return existing.Item?.status === 'COMPLETED' ? 'completed' : 'in-progress';
    }
  }

  async complete(keys: readonly string[], options: IdempotencyOptions): Promise<void> {
    const expiration = Math.floor(this.now() / 1000) + options.ttlSeconds;
    for (const key of keys) {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { id: key },
          UpdateExpression:
            'SET #status = :completed, expiration = :expiration REMOVE in_progress_expiration',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':completed': 'COMPLETED', ':expiration': expiration },
        }),
      );
    }
  }

  async release(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      try {
        await this.doc.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: { id: key },
            // Never delete a record another invocation completed.
            ConditionExpression: '#status = :inProgress',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':inProgress': 'INPROGRESS' },
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
  }
}
