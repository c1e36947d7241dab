// A DynamoDB table in memory behind aws-sdk-client-mock, for the Lambda tests of the services.
// It evaluates the exact condition and update expressions the idempotency and checkpoint stores
// send, and refuses any other, so a changed expression fails the tests instead of passing blindly.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClientResolvedConfig,
  GetCommand,
  PutCommand,
  type ServiceInputTypes,
  type ServiceOutputTypes,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AwsStub } from 'aws-sdk-client-mock';

export type FakeItem = Record<string, unknown> & { id: string };

type Values = Record<string, unknown> | undefined;

const CLAIM_CONDITION =
  'attribute_not_exists(id) OR expiration < :nowSeconds OR (#status = :inProgress AND in_progress_expiration < :nowMs)';
const RELEASE_CONDITION = '#status = :inProgress';
const COMPLETE_UPDATE = 'SET #status = :completed, expiration = :expiration REMOVE in_progress_expiration';

/** What `mockClient(DynamoDBDocumentClient)` returns. */
type DocumentStub = AwsStub<ServiceInputTypes, ServiceOutputTypes, DynamoDBDocumentClientResolvedConfig>;

/**
 * Answers Put, Get, Update and Delete on `dynamo` (a `mockClient(DynamoDBDocumentClient)`) from
 * `items`, keyed on `id`, as DynamoDB would: a failed condition throws
 * ConditionalCheckFailedException, an update of a missing item creates it.
 */
export function fakeDynamoDbTable(dynamo: DocumentStub, items = new Map<string, FakeItem>()) {
  const conflict = () =>
    new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

  dynamo
    .on(PutCommand)
    .callsFake(
      (input: { Item: FakeItem; ConditionExpression?: string; ExpressionAttributeValues?: Values }) => {
        if (input.ConditionExpression !== undefined) {
          if (input.ConditionExpression !== CLAIM_CONDITION)
            throw unknown('ConditionExpression', input.ConditionExpression);
          if (!claimable(items.get(input.Item.id), input.ExpressionAttributeValues)) throw conflict();
        }
        items.set(input.Item.id, { ...input.Item });
        return {};
      },
    );

  dynamo.on(GetCommand).callsFake((input: { Key: { id: string } }) => {
    const item = items.get(input.Key.id);
    return item ? { Item: { ...item } } : {};
  });

  dynamo
    .on(UpdateCommand)
    .callsFake(
      (input: { Key: { id: string }; UpdateExpression?: string; ExpressionAttributeValues?: Values }) => {
        if (input.UpdateExpression !== COMPLETE_UPDATE)
          throw unknown('UpdateExpression', input.UpdateExpression);
        const { in_progress_expiration: _, ...rest } = items.get(input.Key.id) ?? { id: input.Key.id };
        items.set(input.Key.id, {
          ...rest,
          id: input.Key.id,
          status: input.ExpressionAttributeValues?.[':completed'],
          expiration: input.ExpressionAttributeValues?.[':expiration'],
        });
        return {};
      },
    );

  dynamo
    .on(DeleteCommand)
    .callsFake(
      (input: { Key: { id: string }; ConditionExpression?: string; ExpressionAttributeValues?: Values }) => {
        if (input.ConditionExpression !== undefined) {
          if (input.ConditionExpression !== RELEASE_CONDITION)
            throw unknown('ConditionExpression', input.ConditionExpression);
          if (items.get(input.Key.id)?.status !== input.ExpressionAttributeValues?.[':inProgress'])
            throw conflict();
        }
        items.delete(input.Key.id);
        return {};
      },
    );

  return items;
}

/** The claim's condition: no record, an expired one, or an in-progress one whose holder gave up. */
function claimable(existing: FakeItem | undefined, values: Values): boolean {
  if (!existing) return true;
  if (Number(existing.expiration) < Number(values?.[':nowSeconds'])) return true;
  return (
    existing.status === values?.[':inProgress'] &&
    Number(existing.in_progress_expiration) < Number(values?.[':nowMs'])
  );
}

function unknown(what: string, expression: string | undefined): Error {
  return new Error(`the fake DynamoDB table does not evaluate this ${what}: ${expression ?? '(none)'}`);
}
