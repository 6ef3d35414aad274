import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { TABLE_SCHEMA } from '../../functions/adapters/dynamodb/table-schema';
import { TEMPORARY_OBJECT_TAG } from '../../functions/adapters/s3/keys';
import { buildPortalApp, SYNTH_TIMEOUT_MS, templatesOf } from './support/portal-app';
import { propertiesOf } from './support/template-queries';

describe('the data stack', () => {
  let data: Template;
  beforeAll(() => {
    data = templatesOf(buildPortalApp('dev')).data;
  }, SYNTH_TIMEOUT_MS);

  it('declares exactly the keys, indexes and TTL attribute the DynamoDB adapter was written for', () => {
    // Arrange: the adapter's own description of the table
    const keyAttributes = [
      TABLE_SCHEMA.partitionKey,
      TABLE_SCHEMA.sortKey,
      ...TABLE_SCHEMA.indexes.flatMap((index) => [index.partitionKey, index.sortKey]),
    ];

    // Act
    const tables = Object.values(data.findResources('AWS::DynamoDB::Table'));

    // Assert
    expect(tables).toHaveLength(1);
    const table = tables[0]?.Properties;
    expect(table.KeySchema).toEqual([
      { AttributeName: TABLE_SCHEMA.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE_SCHEMA.sortKey, KeyType: 'RANGE' },
    ]);
    expect(table.GlobalSecondaryIndexes).toEqual(
      TABLE_SCHEMA.indexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    );
    expect(table.AttributeDefinitions).toEqual(
      expect.arrayContaining(keyAttributes.map((name) => ({ AttributeName: name, AttributeType: 'S' }))),
    );
    expect(table.AttributeDefinitions).toHaveLength(keyAttributes.length);
    expect(table.TimeToLiveSpecification).toEqual({
      AttributeName: TABLE_SCHEMA.timeToLiveAttribute,
      Enabled: true,
    });
  });

  it('bills the table per request, encrypts it and keeps point-in-time recovery on', () => {
    data.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it('protects the prod table from deletion but lets dev tables be deleted', () => {
    // Arrange
    const prod = templatesOf(buildPortalApp('prod')).data;

    // Assert
    prod.hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: true });
    data.hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: false });
  });

  it('keeps documents in a versioned, encrypted, private bucket that logs access to a separate bucket', () => {
    data.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LoggingConfiguration: { DestinationBucketName: { Ref: Match.stringLikeRegexp('^AccessLogsBucket') } },
    });
  });

  it('expires replaced document versions after a year', () => {
    data.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 365 } })]),
      },
    });
  });

  it('deletes temporary archives a day after they were written, by the tag the archive store writes', () => {
    data.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({
            Status: 'Enabled',
            TagFilters: [{ Key: TEMPORARY_OBJECT_TAG.key, Value: TEMPORARY_OBJECT_TAG.value }],
            ExpirationInDays: 1,
            NoncurrentVersionExpiration: { NoncurrentDays: 1 },
          }),
        ]),
      },
    });
  });

  it('refuses plain-HTTP access to every bucket', () => {
    // Arrange
    const buckets = Object.keys(data.findResources('AWS::S3::Bucket'));

    // Act
    const policies = Object.values(data.findResources('AWS::S3::BucketPolicy'));

    // Assert: one TLS-only Deny per bucket
    for (const bucket of buckets) {
      const policy = policies.find((candidate) => candidate.Properties.Bucket.Ref === bucket);
      expect(policy?.Properties.PolicyDocument.Statement).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Effect: 'Deny',
            Action: 's3:*',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      );
    }
  });

  it('generates the session signing seed inside Secrets Manager: 64 characters, no punctuation', () => {
    data.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true },
    });
  });

  it('keeps the table, the buckets and the secrets when the stack is deleted or a resource replaced', () => {
    // Arrange
    const statefulTypes = ['AWS::DynamoDB::Table', 'AWS::S3::Bucket', 'AWS::SecretsManager::Secret'];

    // Act
    const resources = statefulTypes.flatMap((type) => Object.values(data.findResources(type)));

    // Assert: the table, three buckets (documents, audit anchors, access logs), four secrets (session seed, BankID,
    // pepper, admin key)
    expect(resources).toHaveLength(8);
    for (const resource of resources) {
      expect(resource).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    }
  });

  describe('the audit anchor bucket', () => {
    it.each([
      ['dev', 'GOVERNANCE', 30],
      ['prod', 'COMPLIANCE', 2557],
    ] as const)(
      'locks every anchor in %s (%s mode, %d days), versioned, encrypted and private',
      (stage, mode, days) => {
        // Act
        const template = stage === 'dev' ? data : templatesOf(buildPortalApp(stage)).data;
        const bucket = propertiesOf(template, 'AWS::S3::Bucket', 'AuditAnchorBucket');

        // Assert
        expect(bucket.ObjectLockEnabled).toBe(true);
        expect(bucket.ObjectLockConfiguration).toEqual({
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: mode, Days: days } },
        });
        expect(bucket.VersioningConfiguration).toEqual({ Status: 'Enabled' });
        expect(bucket.BucketEncryption).toBeDefined();
        expect(bucket.PublicAccessBlockConfiguration).toEqual({
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        });
        expect(bucket.LoggingConfiguration).toMatchObject({ LogFilePrefix: 'audit-anchors/' });
      },
      SYNTH_TIMEOUT_MS,
    );

    it('refuses to everyone a PutObject that could overwrite, and every delete, besides plain HTTP', () => {
      // Act
      const statements = propertiesOf(data, 'AWS::S3::BucketPolicy', 'AuditAnchorBucketPolicy').PolicyDocument
        .Statement;

      // Assert
      expect(statements).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:PutObject',
            Condition: { Null: { 's3:if-none-match': 'true' } },
          }),
          expect.objectContaining({
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
          }),
          expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      );
      expect(JSON.stringify(statements)).not.toContain('"Allow"');
    });
  });
});
