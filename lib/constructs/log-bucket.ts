import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, type ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

export interface LogBucketProps {
  /**
   * S3 server access logs work with BUCKET_OWNER_ENFORCED; CloudFront standard logs are delivered with ACLs and
   * need BUCKET_OWNER_PREFERRED.
   */
  readonly objectOwnership: ObjectOwnership;
}

/**
 * A bucket that receives access logs: private, encrypted, TLS-only, retained, logs kept a year. It is the log
 * destination itself, so cdk-nag's "server access logs" rule is acknowledged for it alone.
 */
export function logBucket(scope: Construct, id: string, props: LogBucketProps): Bucket {
  const bucket = new Bucket(scope, id, {
    encryption: BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    objectOwnership: props.objectOwnership,
    lifecycleRules: [{ expiration: Duration.days(365) }],
    removalPolicy: RemovalPolicy.RETAIN,
  });
  Validations.of(bucket).acknowledge({
    id: 'AwsSolutions-S1',
    reason: 'This bucket is the access log destination; logging it into itself would loop.',
  });
  return bucket;
}
