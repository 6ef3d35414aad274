import { CfnElement, Stack } from 'aws-cdk-lib';
import type { Bucket, IBucket } from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';

/**
 * aws-cdk-lib's classes declare optional members as `T | undefined`, so under our `exactOptionalPropertyTypes`
 * TypeScript refuses to pass a `Bucket` where CDK's own `IBucket` is expected. The class does implement the
 * interface; this names the one cast instead of scattering `as` through the stacks. Stack props take concrete
 * classes (Bucket, Table, ...) for the same reason.
 */
export function bucketRef(bucket: Bucket): IBucket {
  return bucket as IBucket;
}

/**
 * The CloudFormation logical id of an L2 construct's main resource, as cdk-nag prints it in finding ids such as
 * `AwsSolutions-IAM5[Resource::<LogicalId.Arn>/*]`. Lets an acknowledgement name its resource without a copied hash.
 */
export function logicalIdOf(construct: IConstruct): string {
  const resource = construct.node.defaultChild;
  if (!(resource instanceof CfnElement)) {
    throw new Error(`${construct.node.path} has no CloudFormation resource`);
  }
  return Stack.of(resource).resolve(resource.logicalId) as string;
}
