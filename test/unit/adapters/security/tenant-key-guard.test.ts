import { describe, expect, it } from 'vitest';
import { keys } from '../../../../functions/adapters/dynamodb/keys';
import { objectKeys } from '../../../../functions/adapters/s3/keys';
import {
  checkDynamoDbRequest,
  checkS3Request,
  isTenantObjectKey,
  isTenantPartitionKey,
  TenantScopeViolation,
} from '../../../../functions/adapters/security/tenant-key-guard';
import { PARTITION_KEY_NAMES } from '../../../../functions/runtime/tenant-table-scope';

const OURS = '0b6c1f2e-4a5d-4c3b-9e8f-7a6b5c4d3e2f';
const OTHER = '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a';
const CUSTOMER = '11111111-2222-4333-8444-555555555555';
const DOC = '66666666-7777-4888-9999-aaaaaaaaaaaa';

const TABLE = 'portal-table';
/** A single-item or query request names the tenant's table unless a test says otherwise. */
const check = (commandName: string, input: object) => () =>
  checkDynamoDbRequest(
    OURS,
    PARTITION_KEY_NAMES,
    TABLE,
    commandName,
    ('TransactItems' in input || 'RequestItems' in input ? input : { TableName: TABLE, ...input }) as object,
  );
const s = (value: string) => ({ S: value });

describe('the tenant key rule', () => {
  it('owns exactly T#<tenant> and T#<tenant>#…', () => {
    expect(isTenantPartitionKey(OURS, `T#${OURS}`)).toBe(true);
    expect(isTenantPartitionKey(OURS, `T#${OURS}#C#x`)).toBe(true);
    expect(isTenantPartitionKey(OURS, `T#${OTHER}`)).toBe(false);
    expect(isTenantPartitionKey(OURS, 'DIRECTORY#TENANTS')).toBe(false);
    expect(isTenantPartitionKey(OURS, undefined)).toBe(false);
  });

  it('never lets a tenant id that is a prefix of another reach the other, either way round', () => {
    expect(isTenantPartitionKey('ab', 'T#abc')).toBe(false);
    expect(isTenantPartitionKey('ab', 'T#abc#C#x')).toBe(false);
    expect(isTenantPartitionKey('abc', 'T#ab')).toBe(false);
    expect(isTenantPartitionKey('abc', 'T#ab#c')).toBe(false);
    expect(isTenantObjectKey('ab', 'tenants/abc/x.pdf')).toBe(false);
    expect(isTenantObjectKey('abc', 'tenants/ab/c/x.pdf')).toBe(false);
  });

  it('owns every partition key, table and index, that the keys module builds for the tenant', () => {
    const built = [
      keys.tenant(OURS),
      keys.customer(OURS, CUSTOMER),
      keys.contact(OURS, 'c1'),
      keys.document(OURS, CUSTOMER, DOC),
      keys.auditEvent(OURS, '2026-01-01T00:00:00Z', 'e1'),
      keys.noticeBatch(OURS, 'b1'),
      keys.idempotencyRecord(OURS, 'any key'),
      keys.visibleDocumentsIndex(OURS, CUSTOMER, '2026-01-01', DOC),
      keys.allDocumentsIndex(OURS, CUSTOMER, '2026-01-01', DOC),
      keys.customerContactsIndex(OURS, CUSTOMER, 'c1'),
      keys.adminsIndex(OURS, 'a1'),
      keys.auditUnsealedIndex(OURS, '2026', 'e1'),
      keys.pendingNoticeIndex(OURS, '2026', CUSTOMER, DOC),
      keys.openBatchIndex(OURS, '2026', 'b1'),
    ];
    const partitions = built.flatMap((key) =>
      Object.entries(key)
        .filter(([name]) => name.endsWith('PK'))
        .map(([, value]) => value),
    );
    expect(partitions.length).toBeGreaterThanOrEqual(built.length);
    for (const partition of partitions) expect(isTenantPartitionKey(OURS, partition)).toBe(true);
    expect(isTenantPartitionKey(OURS, keys.directoryHost('x.example').PK)).toBe(false);
    expect(isTenantObjectKey(OURS, objectKeys.documentPdf(OURS, CUSTOMER, DOC))).toBe(true);
    expect(isTenantObjectKey(OURS, objectKeys.ingestUpload(OURS, DOC))).toBe(true);
  });
});

describe('the DynamoDB guard', () => {
  it("passes the tenant's own item, query and transaction requests", () => {
    expect(check('GetItemCommand', { Key: { PK: s(`T#${OURS}`), SK: s('TENANT') } })).not.toThrow();
    expect(
      check('PutItemCommand', { Item: { PK: s(`T#${OURS}#C#x`), SK: s('DOC#1'), GSI1PK: s(`T#${OURS}#C#x#VISIBLE`) } }),
    ).not.toThrow();
    expect(
      check('QueryCommand', {
        IndexName: 'GSI2',
        KeyConditionExpression: 'GSI2PK = :partition AND begins_with(GSI2SK, :from)',
        ExpressionAttributeValues: { ':partition': s(`T#${OURS}#C#x#DOCS`), ':from': s(`T#${OTHER}`) },
      }),
    ).not.toThrow();
    expect(
      check('UpdateItemCommand', {
        Key: { PK: s(`T#${OURS}`), SK: s('x') },
        UpdateExpression: 'SET #GSI1PK = :GSI1PK REMOVE #GSI2PK',
        ExpressionAttributeNames: { '#GSI1PK': 'GSI1PK', '#GSI2PK': 'GSI2PK' },
        ExpressionAttributeValues: { ':GSI1PK': s(`T#${OURS}#C#x#VISIBLE`) },
      }),
    ).not.toThrow();
    expect(
      check('TransactWriteItemsCommand', {
        TransactItems: [
          { Put: { Item: { PK: s(`T#${OURS}#A`), SK: s('1') } } },
          { ConditionCheck: { Key: { PK: s(`T#${OURS}`), SK: s('2') } } },
        ],
      }),
    ).not.toThrow();
  });

  it("refuses another tenant's key in any request, and a key it cannot read", () => {
    expect(check('GetItemCommand', { Key: { PK: s(`T#${OTHER}`), SK: s('TENANT') } })).toThrow(TenantScopeViolation);
    expect(check('DeleteItemCommand', { Key: { PK: s(`T#${OURS}x`), SK: s('x') } })).toThrow(TenantScopeViolation);
    expect(check('UpdateItemCommand', { Key: { SK: s('x') } })).toThrow(TenantScopeViolation);
    expect(
      check('PutItemCommand', { Item: { PK: s(`T#${OURS}`), SK: s('x'), GSI1PK: s(`T#${OTHER}#ADMINS`) } }),
    ).toThrow(/write GSI1PK/u);
    expect(
      check('UpdateItemCommand', {
        Key: { PK: s(`T#${OURS}`), SK: s('x') },
        UpdateExpression: 'SET #state = :state, #GSI1PK = :GSI1PK',
        ExpressionAttributeNames: { '#state': 'state', '#GSI1PK': 'GSI1PK' },
        ExpressionAttributeValues: { ':state': s('published'), ':GSI1PK': s(`T#${OTHER}#C#x#VISIBLE`) },
      }),
    ).toThrow(/write GSI1PK/u);
    expect(
      check('TransactWriteItemsCommand', {
        TransactItems: [
          { Put: { Item: { PK: s(`T#${OURS}`), SK: s('1') } } },
          { Update: { Key: { PK: s(`T#${OTHER}`), SK: s('1') } } },
        ],
      }),
    ).toThrow(TenantScopeViolation);
    expect(check('BatchGetItemCommand', { RequestItems: { t: { Keys: [{ PK: s(`T#${OTHER}`) }] } } })).toThrow(
      TenantScopeViolation,
    );
    expect(
      check('BatchWriteItemCommand', { RequestItems: { t: [{ DeleteRequest: { Key: { PK: s(`T#${OTHER}`) } } }] } }),
    ).toThrow(TenantScopeViolation);
  });

  it("refuses a query on another tenant's partition, of the table or an index, however the key is named", () => {
    expect(
      check('QueryCommand', {
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :p',
        ExpressionAttributeValues: { ':p': s(`T#${OTHER}#ADMINS`) },
      }),
    ).toThrow(/query partition/u);
    expect(
      check('QueryCommand', {
        KeyConditionExpression: '#pk = :p',
        ExpressionAttributeNames: { '#pk': 'PK' },
        ExpressionAttributeValues: { ':p': s(`T#${OTHER}`) },
      }),
    ).toThrow(TenantScopeViolation);
    // Our value on the sort key does not make the partition ours.
    expect(
      check('QueryCommand', {
        KeyConditionExpression: 'SK = :mine AND PK = :theirs',
        ExpressionAttributeValues: { ':mine': s(`T#${OURS}`), ':theirs': s(`T#${OTHER}`) },
      }),
    ).toThrow(TenantScopeViolation);
    expect(check('QueryCommand', { IndexName: 'GSI9', KeyConditionExpression: 'X = :p' })).toThrow(/unknown index/u);
  });

  it("refuses any table but the tenant's own: a silo clinic's client never reaches the pool, nor a pooled one a silo", () => {
    const key = { Key: { PK: s(keys.tenant(OURS).PK), SK: s(keys.tenant(OURS).SK) } };
    const elsewhere = (input: object) => () =>
      checkDynamoDbRequest(OURS, PARTITION_KEY_NAMES, TABLE, 'GetItemCommand', input);
    expect(elsewhere({ TableName: 'pool-table', ...key })).toThrow(TenantScopeViolation);
    expect(elsewhere({ TableName: 'pool-table', ...key })).toThrow(/use table "pool-table"/u);
    expect(elsewhere(key)).toThrow(/name no table/u);
    const transaction = (TableName: string) => () =>
      checkDynamoDbRequest(OURS, PARTITION_KEY_NAMES, TABLE, 'TransactWriteItemsCommand', {
        TransactItems: [{ Put: { TableName: TABLE, Item: key.Key } }, { Delete: { TableName, ...key } }],
      });
    expect(transaction(TABLE)).not.toThrow();
    expect(transaction('pool-table')).toThrow(/use table "pool-table"/u);
    expect(() =>
      checkDynamoDbRequest(OURS, PARTITION_KEY_NAMES, TABLE, 'BatchGetItemCommand', {
        RequestItems: { 'pool-table': { Keys: [key.Key] } },
      }),
    ).toThrow(/use table "pool-table"/u);
  });

  it('refuses Scan, PartiQL and table management outright', () => {
    for (const command of ['ScanCommand', 'ExecuteStatementCommand', 'DescribeTableCommand', 'DeleteTableCommand']) {
      expect(check(command, { TableName: 't' })).toThrow(TenantScopeViolation);
    }
  });
});

describe('the S3 guard', () => {
  const BUCKETS = ['docs', 'anchors'];

  it("passes the tenant's objects in its buckets and refuses everything else", () => {
    const own = objectKeys.documentPdf(OURS, CUSTOMER, DOC);
    expect(() => checkS3Request(OURS, BUCKETS, 'GetObjectCommand', { Bucket: 'docs', Key: own })).not.toThrow();
    expect(() =>
      checkS3Request(OURS, BUCKETS, 'HeadObjectCommand', {
        Bucket: 'anchors',
        Key: objectKeys.auditAnchor(OURS, 1, 'a'.repeat(64)),
      }),
    ).not.toThrow();
    expect(() =>
      checkS3Request(OURS, BUCKETS, 'GetObjectCommand', {
        Bucket: 'docs',
        Key: objectKeys.documentPdf(OTHER, CUSTOMER, DOC),
      }),
    ).toThrow(TenantScopeViolation);
    expect(() => checkS3Request(OURS, BUCKETS, 'GetObjectCommand', { Bucket: 'other', Key: own })).toThrow(/bucket/u);
    expect(() => checkS3Request(OURS, BUCKETS, 'GetObjectCommand', { Key: own })).toThrow(/bucket/u);
    expect(() =>
      checkS3Request(OURS, BUCKETS, 'GetObjectCommand', { Bucket: 'docs', Key: `tenants/${OURS}/../${OTHER}/x.pdf` }),
    ).toThrow(TenantScopeViolation);
  });

  it("lists only under the tenant's prefix", () => {
    expect(() =>
      checkS3Request(OURS, BUCKETS, 'ListObjectsV2Command', {
        Bucket: 'anchors',
        Prefix: objectKeys.auditAnchorPrefix(OURS),
      }),
    ).not.toThrow();
    const prefixes = ['', 'tenants/', `tenants/${OURS}`, objectKeys.auditAnchorPrefix(OTHER)];
    for (const input of [{ Bucket: 'anchors' }, ...prefixes.map((Prefix) => ({ Bucket: 'anchors', Prefix }))]) {
      expect(() => checkS3Request(OURS, BUCKETS, 'ListObjectsV2Command', input)).toThrow(TenantScopeViolation);
    }
  });
});
