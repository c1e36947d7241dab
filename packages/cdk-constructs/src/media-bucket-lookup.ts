// The media bucket belongs to the analysis stack (it downloads the photos); responding writes
// annotated copies there and egress uploads them to X. Found by an SSM parameter, like the bus,
// so no stack pins another through an export.
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';

export const MEDIA_BUCKET_PARAMETER = '/murmur/media/bucket';

/** Write the media bucket's name where `lookupMediaBucket` reads it. */
export function publishMediaBucketParameter(scope: Construct, bucket: s3.IBucket): ssm.StringParameter {
  return new ssm.StringParameter(scope, 'MediaBucketParameter', {
    parameterName: MEDIA_BUCKET_PARAMETER,
    description: 'Name of the Murmur media bucket (owned by the analysis stack).',
    stringValue: bucket.bucketName,
  });
}

/** The media bucket, in a stack other than analysis (same account and region); deploy analysis first. */
export function lookupMediaBucket(scope: Construct, id = 'MediaBucket'): s3.IBucket {
  return s3.Bucket.fromBucketName(
    scope,
    id,
    ssm.StringParameter.valueForStringParameter(scope, MEDIA_BUCKET_PARAMETER),
  );
}
