// What every Murmur bucket is, whatever it holds: the S3 settings the stacks share.
import * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * Private (all public access blocked, ACLs off), SSE-S3, TLS 1.2 or later only, unversioned.
 * SSE-S3 rather than a customer key: Rekognition, Athena, Glue and Firehose read with the
 * caller's permissions and would each need KMS grants. Spread it first, then add what the bucket
 * needs (lifecycle, removal policy, access logs).
 */
export const PRIVATE_BUCKET_PROPS = {
  encryption: s3.BucketEncryption.S3_MANAGED,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
  enforceSSL: true,
  minimumTLSVersion: 1.2,
  versioned: false,
} as const satisfies s3.BucketProps;
