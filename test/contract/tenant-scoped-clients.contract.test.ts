import { randomUUID } from 'node:crypto';
import { GetItemCommand, PutItemCommand, QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { keys } from '../../functions/adapters/dynamodb/keys';
import { objectKeys } from '../../functions/adapters/s3/keys';
import { TenantScopeViolation } from '../../functions/adapters/security/tenant-key-guard';
import { S3_EMULATOR_CREDENTIALS } from '../../functions/local/services/s3-emulator';
import { createDynamoDbClient, createTenantClients } from '../../functions/runtime/aws-clients';
import { LOCAL_REGION } from '../../functions/runtime/local';
import { LOCAL_CREDENTIALS } from '../support/emulators.global-setup';

/**
 * The tenant-scoped clients as functions/runtime/local.ts builds them (the same as in AWS, minus the tenant role's
 * credentials), against DynamoDB Local and the S3 emulator, neither of which enforces IAM: what is refused here is
 * refused by the client itself, before the request is sent. Together with test/infra/tenant-isolation.test.ts
 * (the IAM policy AWS enforces), this is the proof that a tenant's credentials cannot reach another tenant's keys.
 */
const emulators = inject('emulators');
const dynamoDb = { region: LOCAL_REGION, endpoint: emulators.dynamoEndpoint, credentials: LOCAL_CREDENTIALS };
const s3 = { region: LOCAL_REGION, endpoint: emulators.s3Endpoint, credentials: S3_EMULATOR_CREDENTIALS };
const TableName = emulators.tableName;
const Bucket = emulators.bucket;

const ours = randomUUID();
const theirs = randomUUID();
const storage = { tableName: TableName, buckets: { documents: Bucket, auditAnchors: emulators.auditAnchorBucket } };
const scoped = createTenantClients(ours, { dynamoDb, s3, storage });
const theirClients = createTenantClients(theirs, { dynamoDb, s3, storage });
/** The platform (unscoped) client, to prove the refused items exist. */
const platform = createDynamoDbClient(dynamoDb);

afterAll(() => {
  for (const client of [scoped.dynamoDb, scoped.s3, theirClients.dynamoDb, theirClients.s3, platform]) client.destroy();
});

const tenantItem = (tenantId: string) => ({
  PK: { S: keys.tenant(tenantId).PK },
  SK: { S: 'TENANT' },
  GSI1PK: { S: keys.adminsIndex(tenantId, 'a1').GSI1PK },
  GSI1SK: { S: 'a1' },
});
const getTenant = (tenantId: string) =>
  new GetItemCommand({ TableName, Key: { PK: { S: keys.tenant(tenantId).PK }, SK: { S: 'TENANT' } } });

describe('tenant-scoped clients (DynamoDB Local, S3 emulator)', () => {
  it('read and write their own partitions, table and index', async () => {
    await scoped.dynamoDb.send(new PutItemCommand({ TableName, Item: tenantItem(ours) }));

    const item = await scoped.dynamoDb.send(getTenant(ours));
    const index = await scoped.dynamoDb.send(
      new QueryCommand({
        TableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :p',
        ExpressionAttributeValues: { ':p': { S: keys.adminsIndex(ours, 'a1').GSI1PK } },
      }),
    );

    expect(item.Item?.PK?.S).toBe(`T#${ours}`);
    expect(index.Items).toHaveLength(1);
  });

  it("refuse another tenant's item, though it exists, before sending", async () => {
    await theirClients.dynamoDb.send(new PutItemCommand({ TableName, Item: tenantItem(theirs) }));
    expect((await platform.send(getTenant(theirs))).Item).toBeDefined();

    await expect(scoped.dynamoDb.send(getTenant(theirs))).rejects.toThrow(TenantScopeViolation);
    await expect(scoped.dynamoDb.send(new PutItemCommand({ TableName, Item: tenantItem(theirs) }))).rejects.toThrow(
      TenantScopeViolation,
    );
  });

  it('refuse the partitions of a tenant id that is a prefix of ours, and of one that ours is a prefix of', async () => {
    const shorter = ours.slice(0, 8);
    const longer = `${ours}0`;
    const partition = (pk: string) => new GetItemCommand({ TableName, Key: { PK: { S: pk }, SK: { S: 'TENANT' } } });

    await expect(scoped.dynamoDb.send(partition(`T#${shorter}`))).rejects.toThrow(TenantScopeViolation);
    await expect(scoped.dynamoDb.send(partition(`T#${shorter}#C#x`))).rejects.toThrow(TenantScopeViolation);
    await expect(scoped.dynamoDb.send(partition(`T#${longer}`))).rejects.toThrow(TenantScopeViolation);
    await expect(scoped.dynamoDb.send(partition(`T#${longer}#C#x`))).rejects.toThrow(TenantScopeViolation);
  });

  it('refuse a Scan, even one filtered to our own items', async () => {
    await expect(
      scoped.dynamoDb.send(
        new ScanCommand({
          TableName,
          FilterExpression: 'PK = :p',
          ExpressionAttributeValues: { ':p': { S: `T#${ours}` } },
        }),
      ),
    ).rejects.toThrow(TenantScopeViolation);
  });

  it("refuse an index query on another tenant's partition", async () => {
    await expect(
      scoped.dynamoDb.send(
        new QueryCommand({
          TableName,
          IndexName: 'GSI1',
          KeyConditionExpression: 'GSI1PK = :p',
          ExpressionAttributeValues: { ':p': { S: keys.adminsIndex(theirs, 'a1').GSI1PK } },
        }),
      ),
    ).rejects.toThrow(TenantScopeViolation);
  });

  it('put, get and presign their own objects', async () => {
    const Key = objectKeys.ingestPayload(ours, randomUUID());
    await scoped.s3.send(new PutObjectCommand({ Bucket, Key, Body: '{"ok":true}' }));

    const body = await (await scoped.s3.send(new GetObjectCommand({ Bucket, Key }))).Body?.transformToString();
    const url = await getSignedUrl(scoped.s3, new GetObjectCommand({ Bucket, Key }), { expiresIn: 60 });

    expect(body).toBe('{"ok":true}');
    const download = await fetch(url);
    expect(download.status).toBe(200);
    expect(await download.text()).toBe('{"ok":true}');
  });

  it("refuse another tenant's object key, and sign no URL for it", async () => {
    const Key = objectKeys.ingestPayload(theirs, randomUUID());
    await theirClients.s3.send(new PutObjectCommand({ Bucket, Key, Body: 'theirs' }));

    await expect(scoped.s3.send(new GetObjectCommand({ Bucket, Key }))).rejects.toThrow(TenantScopeViolation);
    await expect(getSignedUrl(scoped.s3, new GetObjectCommand({ Bucket, Key }), { expiresIn: 60 })).rejects.toThrow(
      TenantScopeViolation,
    );
    await expect(
      scoped.s3.send(new PutObjectCommand({ Bucket, Key: `tenants/${ours.slice(0, 8)}/x.json`, Body: 'x' })),
    ).rejects.toThrow(TenantScopeViolation);
  });
});
