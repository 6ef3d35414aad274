import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Key } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { bucketRef, logicalIdOf } from '../cdk-helpers';

/**
 * Where clinics' data lives: a table and a documents bucket. The data stack holds the pool's (every pooled clinic,
 * fenced by tenant id); a silo stack holds one clinic's (lib/stacks/silo-clinic-stack.ts). Both are built here, so a
 * silo is the pool's exact shape, and the runtime reads and writes both the same way.
 */

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
 * The tag that marks temporary objects ("download many" ZIPs under tenants/<t>/archives/), which the documents bucket
 * deletes a day after they were written. A lifecycle filter matches only a literal key prefix, and the archives sit
 * below each tenant's prefix, so the rule filters on this tag instead. Repeated from functions/adapters/s3/keys.ts
 * (lib/ must not import functions/); test/infra/data-stack.test.ts proves the two agree.
 */
export const TEMPORARY_OBJECT_TAG = { key: 'portal-retention', value: 'temporary' } as const;

/**
 * The session tag that names the tenant a tenant role session may reach (functions/runtime/tenant-credentials.ts sets
 * it on AssumeRole; test/infra checks the two agree).
 */
export const TENANT_SESSION_TAG = 'tenant';
const TENANT = `\${aws:PrincipalTag/${TENANT_SESSION_TAG}}`;

/**
 * The partition keys a tenant session may touch: exactly `T#<tenant>` or `T#<tenant>#…`, every tenant key of
 * functions/adapters/dynamodb/keys.ts (table and index partitions alike). Two patterns rather than `T#<tenant>*`:
 * that one would let tenant `ab` reach `T#abc…`. Tenant ids are fixed-length UUIDs, so no id is a prefix of
 * another today, but the `#` after the id is what makes that a rule of the policy rather than of the id format.
 */
export const TENANT_PARTITION_PATTERNS = [`T#${TENANT}`, `T#${TENANT}#*`] as const;

/** The objects a tenant session may touch: under `tenants/<tenant>/` (the slash plays the part of the `#` above). */
export const TENANT_OBJECT_PATTERN = `${DOCUMENTS_PREFIX}${TENANT}/*`;
/** The tenant's temporary "download many" archives (functions/adapters/s3/keys.ts `archive`). */
export const TENANT_ARCHIVES_PATTERN = `${DOCUMENTS_PREFIX}${TENANT}/archives/*`;
/** The tenant's logos (functions/adapters/s3/keys.ts `brandingLogo`). */
export const TENANT_BRANDING_PATTERN = `${DOCUMENTS_PREFIX}${TENANT}/branding/*`;
/** The tenant's audit anchors in the audit anchor bucket (functions/adapters/s3/keys.ts `auditAnchor`). */
export const TENANT_AUDIT_ANCHORS_PATTERN = `${DOCUMENTS_PREFIX}${TENANT}/audit-anchors/*`;

/**
 * Item-level DynamoDB actions of tenant sessions. No Scan: every access path is a key or index query. And Scan must
 * never be added: it names no partition, so a `ForAllValues` LeadingKeys condition (true for an empty set) would not
 * stop it. Transactions need no action of their own: IAM authorizes TransactWriteItems by the
 * Put/Update/Delete/ConditionCheck actions inside it, each against its item's partition key.
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

/**
 * What a tenant session needs of a silo's KMS key, only through DynamoDB and S3 (kms:ViaService): DynamoDB and S3
 * use the key on the caller's behalf for every read and write, so the caller must be allowed to. Named one by one
 * rather than `kms:GenerateDataKey*`, so no wildcard widens them.
 */
export const TENANT_KEY_ACTIONS = [
  'kms:Decrypt',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:DescribeKey',
] as const;

/** Each function's tenant sessions, by what the function does with a tenant's data. */
export interface TenantDataAccessPolicies {
  readonly api: ManagedPolicy;
  readonly ingest: ManagedPolicy;
  readonly renderWorker: ManagedPolicy;
  readonly notificationSender: ManagedPolicy;
  readonly auditSealer: ManagedPolicy;
}

export interface PortalTableProps {
  readonly deletionProtection: boolean;
  /** A silo's own key; undefined: AWS-managed encryption (the pool). */
  readonly encryptionKey?: Key;
}

/** The single table (functions/adapters/dynamodb/table-schema.ts): on demand, encrypted, PITR, RETAINed. */
export function portalTable(scope: Construct, id: string, props: PortalTableProps): Table {
  const table = new Table(scope, id, {
    partitionKey: { name: TABLE_KEYS.partitionKey, type: AttributeType.STRING },
    sortKey: { name: TABLE_KEYS.sortKey, type: AttributeType.STRING },
    timeToLiveAttribute: TABLE_KEYS.timeToLiveAttribute,
    billingMode: BillingMode.PAY_PER_REQUEST,
    ...(props.encryptionKey
      ? { encryption: TableEncryption.CUSTOMER_MANAGED, encryptionKey: props.encryptionKey }
      : { encryption: TableEncryption.AWS_MANAGED }),
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection: props.deletionProtection,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  for (const index of TABLE_KEYS.indexes) {
    table.addGlobalSecondaryIndex({
      indexName: index.name,
      partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
      sortKey: { name: index.sortKey, type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });
  }
  return table;
}

export interface DocumentsBucketProps {
  readonly accessLogsBucket: Bucket;
  /** Old versions of replaced or deleted documents are kept this long, then expire. */
  readonly versionRetention: Duration;
  /** A silo's own key (with an S3 bucket key, so S3 asks KMS once per object batch, not per request). */
  readonly encryptionKey?: Key;
}

/** PDFs, ingest payloads, archives and logos under `tenants/<id>/`: versioned, private, TLS only, logged. */
export function documentsBucket(scope: Construct, id: string, props: DocumentsBucketProps): Bucket {
  return new Bucket(scope, id, {
    ...(props.encryptionKey
      ? { encryption: BucketEncryption.KMS, encryptionKey: props.encryptionKey, bucketKeyEnabled: true }
      : { encryption: BucketEncryption.S3_MANAGED }),
    enforceSSL: true,
    versioned: true,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    serverAccessLogsBucket: bucketRef(props.accessLogsBucket),
    serverAccessLogsPrefix: 'documents/',
    lifecycleRules: [
      {
        noncurrentVersionExpiration: props.versionRetention,
        abortIncompleteMultipartUploadAfter: Duration.days(7),
      },
      {
        // An archive's link lives 60 s; a day leaves room for a retried download and is S3's shortest expiry.
        id: 'ExpireTemporaryArchives',
        tagFilters: { [TEMPORARY_OBJECT_TAG.key]: TEMPORARY_OBJECT_TAG.value },
        expiration: Duration.days(1),
        noncurrentVersionExpiration: Duration.days(1),
      },
    ],
    removalPolicy: RemovalPolicy.RETAIN,
  });
}

/** The data a set of tenant policies covers. */
export interface TenantDataResources {
  readonly table: Table;
  readonly documentsBucket: Bucket;
  /** The pool's audit anchor bucket: a silo keeps its anchors there too (they guard its trail, hold no data). */
  readonly auditAnchorBucket?: Bucket;
  /** A silo's key, which its tenant sessions use through DynamoDB and S3. */
  readonly encryptionKey?: Key;
}

/**
 * Which tenant sessions the table and document statements apply to, beside the tenant patterns: a silo's policies
 * to its one clinic, the pool's to every clinic but the silos (so a silo clinic's data can never land in the pool,
 * whatever the code asks for).
 */
export type TenantSelection = { readonly only: string } | { readonly except: readonly string[] };

/**
 * What each function's tenant sessions (its tenant role, lib/stacks/api-stack.ts, assumed with the tenant as session
 * tag) may do with `resources`: that tenant's partitions and objects, and of those only what the function needs.
 * The policies are created in `scope` under fixed ids (`TenantApiDataAccess`, …).
 */
export function tenantDataAccessPolicies(
  scope: Construct,
  resources: TenantDataResources,
  tenants: TenantSelection,
): TenantDataAccessPolicies {
  const selected = tenantCondition(tenants);
  const objects = (pattern: string, ...actions: string[]) =>
    new PolicyStatement({
      actions,
      resources: [resources.documentsBucket.arnForObjects(pattern)],
      ...(selected ? { conditions: selected } : {}),
    });
  const anchors = resources.auditAnchorBucket;
  // An anchor's key names its index and hash, so a listing is all a reader needs (no GetObject).
  const listAnchors = anchors
    ? [
        new PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: [anchors.bucketArn],
          conditions: { StringLike: { 's3:prefix': [TENANT_AUDIT_ANCHORS_PATTERN] } },
        }),
      ]
    : [];
  const writeAnchors = anchors
    ? [
        new PolicyStatement({
          actions: ['s3:PutObject'],
          resources: [anchors.arnForObjects(TENANT_AUDIT_ANCHORS_PATTERN)],
        }),
      ]
    : [];
  const policy = (id: string, who: string, indexes: boolean, statements: PolicyStatement[]) =>
    tenantPolicy(scope, id, { who, indexes, resources, selected, statements });
  return {
    // The API reads documents; it writes only temporary ZIPs ("download many", a multipart upload tagged for the
    // 1-day expiry) and logos (a new logo replaces, and deletes, the old one). It verifies the audit trail against
    // the anchors; only the sealer writes them.
    api: policy('TenantApiDataAccess', 'the API function', true, [
      objects(TENANT_OBJECT_PATTERN, 's3:GetObject'),
      objects(TENANT_ARCHIVES_PATTERN, 's3:PutObject', 's3:PutObjectTagging', 's3:AbortMultipartUpload'),
      objects(TENANT_BRANDING_PATTERN, 's3:PutObject', 's3:DeleteObject'),
      ...listAnchors,
    ]),
    // Ingest deletes an uploaded PDF once it has checked it and stored it under its final key.
    ingest: policy('TenantIngestDataAccess', 'the ingest function', true, [
      objects(TENANT_OBJECT_PATTERN, 's3:GetObject', 's3:PutObject', 's3:DeleteObject'),
    ]),
    // Reads by key only (no index queries); never deletes a document.
    renderWorker: policy('TenantRenderWorkerDataAccess', 'the render worker', false, [
      objects(TENANT_OBJECT_PATTERN, 's3:GetObject', 's3:PutObject'),
    ]),
    // The outbox lives in the table alone: pending notices and open batches are found through GSI1.
    notificationSender: policy('TenantNotificationSenderDataAccess', 'the notification sender', true, []),
    // Chains the clinic's new audit events (found through GSI1) and anchors the chain head.
    auditSealer: policy('TenantAuditSealerDataAccess', 'the audit sealer', true, [...listAnchors, ...writeAnchors]),
  };
}

function tenantCondition(tenants: TenantSelection): Record<string, Record<string, string | string[]>> | undefined {
  const principalTag = `aws:PrincipalTag/${TENANT_SESSION_TAG}`;
  if ('only' in tenants) return { StringEquals: { [principalTag]: tenants.only } };
  return tenants.except.length > 0 ? { StringNotEquals: { [principalTag]: [...tenants.except] } } : undefined;
}

/**
 * One function's tenant sessions: item actions (and index queries if `indexes`) in the session tenant's partitions,
 * the key's use through DynamoDB and S3 if the data has one, plus `statements` (objects under
 * `tenants/${aws:PrincipalTag/tenant}/`).
 */
function tenantPolicy(
  scope: Construct,
  id: string,
  options: {
    readonly who: string;
    readonly indexes: boolean;
    readonly resources: TenantDataResources;
    readonly selected: ReturnType<typeof tenantCondition>;
    readonly statements: PolicyStatement[];
  },
): ManagedPolicy {
  const { table, encryptionKey } = options.resources;
  // LeadingKeys is the table's partition key for item requests and the index's for an index query: every key of
  // functions/adapters/dynamodb/keys.ts, table or index, starts with the tenant.
  const inTenantPartitions = {
    ...options.selected,
    'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...TENANT_PARTITION_PATTERNS] },
  };
  const region = Stack.of(scope).region;
  const policy = new ManagedPolicy(scope, id, {
    description: `What a tenant session of ${options.who} may do: the partitions and objects of the tenant in its session tag`,
    statements: [
      new PolicyStatement({
        actions: [...API_TABLE_ACTIONS],
        resources: [table.tableArn],
        conditions: inTenantPartitions,
      }),
      ...(options.indexes
        ? [
            new PolicyStatement({
              actions: ['dynamodb:Query'],
              resources: TABLE_KEYS.indexes.map((index) => `${table.tableArn}/index/${index.name}`),
              conditions: inTenantPartitions,
            }),
          ]
        : []),
      ...(encryptionKey
        ? [
            new PolicyStatement({
              actions: [...TENANT_KEY_ACTIONS],
              resources: [encryptionKey.keyArn],
              conditions: {
                ...options.selected,
                'ForAnyValue:StringEquals': {
                  'kms:ViaService': [`dynamodb.${region}.amazonaws.com`, `s3.${region}.amazonaws.com`],
                },
              },
            }),
          ]
        : []),
      ...options.statements,
    ],
  });
  const { documentsBucket, auditAnchorBucket } = options.resources;
  const tenantPatterns = [
    ...[TENANT_OBJECT_PATTERN, TENANT_ARCHIVES_PATTERN, TENANT_BRANDING_PATTERN].map(
      (pattern) => [documentsBucket, pattern] as const,
    ),
    ...(auditAnchorBucket ? [[auditAnchorBucket, TENANT_AUDIT_ANCHORS_PATTERN] as const] : []),
  ];
  for (const [bucket, pattern] of tenantPatterns) {
    const resource = bucket.arnForObjects(pattern);
    if (!options.statements.some((statement) => statement.resources.includes(resource))) continue;
    Validations.of(policy).acknowledge({
      // cdk-nag prints the policy variable `${aws:PrincipalTag/tenant}` as `<aws:PrincipalTag/tenant>`.
      id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(bucket)}.Arn>/${pattern.replace(TENANT, `<aws:PrincipalTag/${TENANT_SESSION_TAG}>`)}]`,
      reason: `Objects of the one tenant named by the session's tag, under ${DOCUMENTS_PREFIX}<tenantId>/: the wildcard covers only that tenant's objects.`,
    });
  }
  return policy;
}
