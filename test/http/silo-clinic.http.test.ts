import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { runTenantCli } from '../../functions/cli/tenant-cli';
import { ConflictError } from '../../functions/domain/errors';
import { ensureTable } from '../../functions/local/services/ensure-table';
import { createDynamoDbClient } from '../../functions/runtime/aws-clients';
import { LOCAL_REGION } from '../../functions/runtime/local';
import type { SiloClinic } from '../../functions/runtime/storage-routing';
import { anchorAuditTrail, verifyAuditTrail } from '../../functions/use-cases/audit-trail';
import { LOCAL_CREDENTIALS } from '../support/emulators.global-setup';
import { ingestClient, invoiceBasisBody } from '../support/ingest-client';
import { s3TestClient } from '../support/s3-test-client';
import {
  type ClinicFixture,
  clientFor,
  createClinic,
  createTestPortal,
  operatorDataFor,
  type TestPortal,
} from '../support/test-portal';

/**
 * The silo tier end to end on the emulators: a clinic configured with `silo: true` (SILO_CLINICS) keeps every item and
 * object in its own table and bucket, through ingest, rendering, the contact's download and the audit seal, while a
 * pooled clinic of the same portal stays in the pool; `npm run tenant -- create` gives a silo slug its configured id.
 * The pool table is this file's own, so "nothing of the silo in the pool" is checked on the whole table.
 */
const emulators = inject('emulators');
const dynamoDb = createDynamoDbClient({
  region: LOCAL_REGION,
  endpoint: emulators.dynamoEndpoint,
  credentials: LOCAL_CREDENTIALS,
});
const s3 = s3TestClient().client;
const POOL_TABLE = `silo-test-pool-${randomUUID()}`;
const suffix = randomUUID().slice(0, 8);
const silo: SiloClinic = {
  tenantId: randomUUID(),
  slug: `halsan-nord-${suffix}`,
  tableName: `silo-test-${suffix}`,
  documentsBucket: `silo-documents-${suffix}`,
};
/** A second silo, provisioned by the operator command rather than by the fixture. */
const provisionedSilo: SiloClinic = {
  tenantId: randomUUID(),
  slug: `halsan-syd-${suffix}`,
  tableName: `silo-test-syd-${suffix}`,
  documentsBucket: `silo-documents-syd-${suffix}`,
};

/** A silo whose provisioning names a host another clinic already has. */
const clashingSilo: SiloClinic = {
  tenantId: randomUUID(),
  slug: `halsan-vast-${suffix}`,
  tableName: `silo-test-vast-${suffix}`,
  documentsBucket: `silo-documents-vast-${suffix}`,
};

let portal: TestPortal;
let siloClinic: ClinicFixture;
let pooledClinic: ClinicFixture;

beforeAll(async () => {
  for (const tableName of [POOL_TABLE, silo.tableName, provisionedSilo.tableName, clashingSilo.tableName]) {
    await ensureTable(dynamoDb, tableName);
  }
  for (const bucket of [silo.documentsBucket, provisionedSilo.documentsBucket]) {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  }
  portal = createTestPortal({ tableName: POOL_TABLE, silos: [silo, provisionedSilo, clashingSilo] });
  siloClinic = await createClinic(portal, 'Hälsan Nord AB', silo.tenantId);
  pooledClinic = await createClinic(portal, 'Hälsan Pool AB');
});

const partitionKeys = async (tableName: string) =>
  ((await dynamoDb.send(new ScanCommand({ TableName: tableName }))).Items ?? []).map((item) => item.PK?.S ?? '');
const objectKeys = async (bucket: string, prefix = '') =>
  ((await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))).Contents ?? []).map(
    (object) => object.Key ?? '',
  );

async function ingestAndDownload(clinic: ClinicFixture): Promise<{ url: string; pdf: Uint8Array }> {
  const ingest = await ingestClient(portal, clinic);
  const received = await ingest.request('/invoice-bases', { body: invoiceBasisBody(clinic.customer.customerNumber) });
  expect(received.status).toBe(202);
  const { documentId } = (await received.json()) as { documentId: string };
  await portal.renderQueue.idle();
  const contact = clientFor(portal, clinic);
  await contact.login(clinic.contact);
  const link = await contact.request(`/api/customers/${clinic.customer.id}/documents/${documentId}/download`, {
    method: 'POST',
  });
  expect(link.status).toBe(200);
  const { url } = (await link.json()) as { url: string };
  const file = await fetch(url);
  expect(file.status).toBe(200);
  return { url, pdf: new Uint8Array(await file.arrayBuffer()) };
}

describe('a clinic on dedicated resources (silo tier)', () => {
  it("keeps the silo clinic's items and objects in its own table and bucket, from ingest to download", async () => {
    // Act
    const download = await ingestAndDownload(siloClinic);

    // Assert: the contact got the rendered PDF through a link to the silo's bucket (the emulator checks its signature).
    expect(new URL(download.url).pathname.startsWith(`/${silo.documentsBucket}/tenants/${silo.tenantId}/`)).toBe(true);
    expect(Buffer.from(download.pdf.subarray(0, 5)).toString()).toBe('%PDF-');
    const siloKeys = await partitionKeys(silo.tableName);
    expect(siloKeys.length).toBeGreaterThan(10);
    expect(siloKeys.every((key) => key === `T#${silo.tenantId}` || key.startsWith(`T#${silo.tenantId}#`))).toBe(true);
    const siloObjects = await objectKeys(silo.documentsBucket);
    expect(siloObjects.some((key) => key.endsWith('.pdf'))).toBe(true);
    expect(siloObjects.every((key) => key.startsWith(`tenants/${silo.tenantId}/`))).toBe(true);
    // Nothing of it in the pool: only the platform directory (its host, the clinic list) names it there.
    const poolKeys = await partitionKeys(POOL_TABLE);
    expect(poolKeys.filter((key) => key.includes(silo.tenantId))).toEqual([]);
    expect(await objectKeys(emulators.bucket, `tenants/${silo.tenantId}/`)).toEqual([]);
  });

  it('keeps a pooled clinic of the same portal in the pool, and out of every silo', async () => {
    // Act
    const download = await ingestAndDownload(pooledClinic);

    // Assert
    expect(new URL(download.url).pathname.startsWith(`/${emulators.bucket}/tenants/${pooledClinic.tenantId}/`)).toBe(
      true,
    );
    expect((await partitionKeys(POOL_TABLE)).some((key) => key.startsWith(`T#${pooledClinic.tenantId}`))).toBe(true);
    for (const tableName of [silo.tableName, provisionedSilo.tableName]) {
      expect((await partitionKeys(tableName)).filter((key) => key.includes(pooledClinic.tenantId))).toEqual([]);
    }
    expect(await objectKeys(silo.documentsBucket, `tenants/${pooledClinic.tenantId}/`)).toEqual([]);
  });

  it("anchors the silo clinic's audit trail in the shared anchor bucket and verifies it from its own table", async () => {
    // Act
    const { anchored } = await anchorAuditTrail(siloClinic.scope, portal.clock);
    const verification = await verifyAuditTrail(siloClinic.scope);

    // Assert
    expect(anchored?.index).toBeGreaterThan(0);
    expect(verification).toMatchObject({ verified: anchored?.index, anchored });
    expect(verification.broken).toBeUndefined();
    expect(await objectKeys(emulators.auditAnchorBucket, `tenants/${silo.tenantId}/audit-anchors/`)).toHaveLength(1);
  });

  it('provisions a silo slug with the id its silo was deployed for, into its table, and lists it as silo', async () => {
    // Arrange
    const printed: string[] = [];
    const data = { ...operatorDataFor(portal), portalUrl: 'http://localhost:3000' };
    const run = (...argv: string[]) => runTenantCli(argv, { data, print: (line) => printed.push(line) });

    // Act
    const created = await run(
      'create',
      '--name',
      'Hälsan Syd AB',
      '--slug',
      provisionedSilo.slug,
      '--admin-email',
      `admin@${suffix}.example`,
      '--json',
    );
    const listed = await run('list', '--json');

    // Assert
    expect(created).toBe(0);
    expect(JSON.parse(printed[0] ?? '')).toMatchObject({ tenantId: provisionedSilo.tenantId, tier: 'silo' });
    expect(
      (await partitionKeys(provisionedSilo.tableName)).some((key) => key === `T#${provisionedSilo.tenantId}`),
    ).toBe(true);
    expect((await partitionKeys(POOL_TABLE)).filter((key) => key.startsWith(`T#${provisionedSilo.tenantId}`))).toEqual(
      [],
    );
    expect(listed).toBe(0);
    const clinics = JSON.parse(printed[1] ?? '') as Array<{ tenantId: string; tier: string }>;
    expect(clinics.find((clinic) => clinic.tenantId === provisionedSilo.tenantId)?.tier).toBe('silo');
    expect(clinics.find((clinic) => clinic.tenantId === pooledClinic.tenantId)?.tier).toBe('pool');
  });

  it("refuses a silo slug another clinic's host (409 host_taken), writing nothing into the silo or the pool", async () => {
    // Arrange
    const printed: string[] = [];
    // As in AWS: no local portal, so the host is named and the origin is https://<host>.
    const data = operatorDataFor(portal);
    const poolBefore = (await partitionKeys(POOL_TABLE)).length;

    // Act
    const refused = runTenantCli(
      [
        'create',
        '--name',
        'Hälsan Väst AB',
        '--slug',
        clashingSilo.slug,
        '--admin-email',
        `v@${suffix}.example`,
        '--host',
        pooledClinic.host,
      ],
      { data, print: (line) => printed.push(line) },
    );

    // Assert: the program turns the ConflictError into exit code 3 (test/local/tenant-cli.test.ts)
    await expect(refused).rejects.toThrow(ConflictError);
    await expect(refused).rejects.toThrow(`The host ${pooledClinic.host} already belongs to another clinic`);
    expect(await partitionKeys(clashingSilo.tableName)).toEqual([]);
    expect((await partitionKeys(POOL_TABLE)).length).toBe(poolBefore);
  });
});
