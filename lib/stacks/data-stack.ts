import { Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { bucketRef, logicalIdOf } from '../cdk-helpers';
import type { PortalConfig } from '../config';
import { logBucket } from '../constructs/log-bucket';

/**
 * The single table's key attributes. Re-declared here because lib/ must not import functions/; the infra test
 * test/infra/data-stack.test.ts proves they agree with functions/adapters/dynamodb/table-schema.ts.
 */
export const TABLE_KEYS = {
  partitionKey: 'PK',
  sortKey: 'SK',
  timeToLiveAttribute: 'expiresAtEpoch',
  indexes: [
    { name: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
    { name: 'GSI2', partitionKey: 'GSI2PK', sortKey: 'GSI2SK' },
  ],
} as const;

/** Object key prefix under which all tenant documents live (see functions/adapters/s3/keys.ts). */
export const DOCUMENTS_PREFIX = 'tenants/';

/**
 * Item-level DynamoDB actions the API may use. No Scan: every access path is a key or index query, so a bug cannot
 * read across tenants by scanning. Transactions need no action of their own: IAM authorizes TransactWriteItems by
 * the Put/Update/Delete/ConditionCheck actions inside it.
 */
export const API_TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:Query',
] as const;

export interface DataStackProps extends StackProps {
  readonly config: PortalConfig;
}

/**
 * Stateful resources: everything here outlives a `cdk destroy` (RETAIN), so stateless stacks can be torn down and
 * recreated freely.
 */
export class DataStack extends Stack {
  readonly table: Table;
  readonly documentsBucket: Bucket;
  readonly sessionSigningSeed: Secret;
  /**
   * Everything the API function may do with this stack's data. Defined here, next to the resources it names, so the
   * data stack states who may do what with its data (and cdk-nag reports its ARNs by stable same-stack ids).
   */
  readonly apiDataAccess: ManagedPolicy;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.table = new Table(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: AttributeType.STRING },
      timeToLiveAttribute: TABLE_KEYS.timeToLiveAttribute,
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: config.deletionProtection,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of TABLE_KEYS.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }

    const accessLogsBucket = logBucket(this, 'AccessLogsBucket', {
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    });

    this.documentsBucket = new Bucket(this, 'DocumentsBucket', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: bucketRef(accessLogsBucket),
      serverAccessLogsPrefix: 'documents/',
      lifecycleRules: [
        {
          noncurrentVersionExpiration: config.documentVersionRetention,
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.sessionSigningSeed = new Secret(this, 'SessionSigningSeed', {
      description: 'Seed from which the API derives its Ed25519 session signing key.',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.apiDataAccess = new ManagedPolicy(this, 'ApiDataAccess', {
      description: 'Least-privilege data access of the Företagsportal API function',
      statements: [
        new PolicyStatement({ actions: [...API_TABLE_ACTIONS], resources: [this.table.tableArn] }),
        new PolicyStatement({
          actions: ['dynamodb:Query'],
          resources: TABLE_KEYS.indexes.map((index) => `${this.table.tableArn}/index/${index.name}`),
        }),
        new PolicyStatement({
          actions: ['s3:GetObject', 's3:PutObject'],
          resources: [this.documentsBucket.arnForObjects(`${DOCUMENTS_PREFIX}*`)],
        }),
        new PolicyStatement({
          actions: ['secretsmanager:GetSecretValue'],
          resources: [this.sessionSigningSeed.secretArn],
        }),
      ],
    });
    Validations.of(this.apiDataAccess).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(this.documentsBucket)}.Arn>/${DOCUMENTS_PREFIX}*]`,
      reason: 'Documents are keyed per tenant under tenants/<tenantId>/; the one API function serves every tenant.',
    });

    Validations.of(this.sessionSigningSeed).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating the seed changes the signing key and logs every user out; it is rotated by hand in a planned maintenance window.',
    });
  }
}
