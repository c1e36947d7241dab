// The DynamoDB table behind @murmur/aws-adapters DynamoDbIdempotencyStore (and its checkpoints):
// Powertools' idempotency layout, one shape for every service that claims work exactly once.
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/** Exactly what DynamoDbIdempotencyStore calls (claim, read, complete, release); checkpoints use put and get. */
export const IDEMPOTENCY_TABLE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:GetItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
] as const;

/**
 * Partition key `id`, TTL attribute `expiration` (Powertools' names), on demand, point-in-time
 * recovery, AWS-managed encryption. Deleted with its stack: records live a day to a month, and
 * losing them can at worst repeat one effect (a publish, an alert, a reply) for an event replayed
 * after the stack was rebuilt.
 */
export class IdempotencyTable extends dynamodb.Table {
  constructor(scope: Construct, id: string) {
    super(scope, id, {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: 'expiration',
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }

  /** What DynamoDbIdempotencyStore and DynamoDbCheckpoints need on this table, and nothing more. */
  grantIdempotency(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, ...IDEMPOTENCY_TABLE_ACTIONS);
  }
}
