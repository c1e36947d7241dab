// Other stacks find the bus through SSM parameters, never through cross-stack exports:
// an export pins the producer stack (it cannot change or delete the bus while consumers exist).
import * as events from 'aws-cdk-lib/aws-events';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';

export const BUS_NAME_PARAMETER = '/murmur/bus/name';
export const BUS_ARN_PARAMETER = '/murmur/bus/arn';

/** Write the bus's name and ARN where `lookupMurmurBus` reads them. */
export function publishBusParameters(
  scope: Construct,
  bus: events.IEventBus,
): { name: ssm.StringParameter; arn: ssm.StringParameter } {
  return {
    name: new ssm.StringParameter(scope, 'BusNameParameter', {
      parameterName: BUS_NAME_PARAMETER,
      description: 'Name of the Murmur event bus (owned by the plumbing stack).',
      stringValue: bus.eventBusName,
    }),
    arn: new ssm.StringParameter(scope, 'BusArnParameter', {
      parameterName: BUS_ARN_PARAMETER,
      description: 'ARN of the Murmur event bus (owned by the plumbing stack).',
      stringValue: bus.eventBusArn,
    }),
  };
}

/**
 * The Murmur bus, in a stack other than plumbing, same account and region. Only the name
 * parameter is read (a CloudFormation parameter of type `AWS::SSM::Parameter::Value<String>`,
 * resolved at deploy time, so synthesis needs no credentials); the ARN follows from it, and an
 * unread ARN parameter would be an unused template parameter. Deploy the plumbing stack first.
 */
export function lookupMurmurBus(scope: Construct, id = 'MurmurBus'): events.IEventBus {
  return events.EventBus.fromEventBusName(
    scope,
    id,
    ssm.StringParameter.valueForStringParameter(scope, BUS_NAME_PARAMETER),
  );
}
