import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keys } from '../../../../functions/adapters/dynamodb/keys';

const tenant = randomUUID();
const customer = randomUUID();
const contact = randomUUID();
const document = randomUUID();

describe('DynamoDB keys', () => {
  it('starts every tenant partition key with the tenant', () => {
    const partitionKeys = [
      keys.tenant(tenant).PK,
      keys.customer(tenant, customer).PK,
      keys.customerNumber(tenant, '10042').PK,
      keys.contact(tenant, contact).PK,
      keys.membership(tenant, contact, customer).PK,
      keys.customerContactsIndex(tenant, customer, contact).GSI1PK,
      keys.passwordIdentity(tenant, 'Anna@Example.se').PK,
      keys.session(tenant, contact, randomUUID()).PK,
      keys.document(tenant, customer, document).PK,
      keys.visibleDocumentsIndex(tenant, customer, '2024-01-31', document).GSI1PK,
      keys.allDocumentsIndex(tenant, customer, '2024-01-31', document).GSI2PK,
      keys.invoiceNumber(tenant, customer, '2024-0101').PK,
      keys.versionClaim(tenant, customer, '2024-0101', 2).PK,
      keys.documentLocator(tenant, document).PK,
      keys.downloadReceipt(tenant, customer, document, '2024-02-01T10:00:00.000Z', contact).PK,
      keys.auditEvent(tenant, '2024-02-01T10:00:00.000Z', randomUUID()).PK,
      keys.apiKey(tenant, randomUUID()).PK,
      keys.idempotencyRecord(tenant, 'retry-1').PK,
      keys.admin(tenant, contact).PK,
      keys.adminsIndex(tenant, contact).GSI1PK,
      keys.adminSession(tenant, contact, randomUUID()).PK,
      keys.adminPasswordIdentity(tenant, 'Anna@Example.se').PK,
      keys.adminLoginChallenge(tenant, randomUUID()).PK,
      keys.throttleAccount(tenant, 'Anna@Example.se', 'admin').PK,
    ];

    for (const partitionKey of partitionKeys) {
      expect(partitionKey === `T#${tenant}` || partitionKey.startsWith(`T#${tenant}#`)).toBe(true);
    }
  });

  it('normalises usernames so login is case-insensitive', () => {
    expect(keys.passwordIdentity(tenant, ' Anna@Example.SE ').PK).toBe(
      keys.passwordIdentity(tenant, 'anna@example.se').PK,
    );
  });

  it('keeps administrators’ login names, sessions and throttling counters apart from contacts’ with the same ids', () => {
    const sessionId = randomUUID();

    expect(keys.adminPasswordIdentity(tenant, 'anna@example.se').PK).not.toBe(
      keys.passwordIdentity(tenant, 'anna@example.se').PK,
    );
    expect(keys.adminPasswordIdentity(tenant, ' Anna@Example.SE ')).toEqual(
      keys.adminPasswordIdentity(tenant, 'anna@example.se'),
    );
    expect(keys.adminSession(tenant, contact, sessionId).PK).not.toBe(keys.session(tenant, contact, sessionId).PK);
    expect(keys.throttleAccount(tenant, 'anna@example.se', 'admin').PK).not.toBe(
      keys.throttleAccount(tenant, 'anna@example.se').PK,
    );
  });

  it.each(['', 'a#b', 'with space', `${tenant}#C#${customer}`])('refuses %j as a key part', (bad) => {
    expect(() => keys.document(tenant, customer, bad)).toThrow(/Invalid document id/u);
    expect(() => keys.tenant(bad)).toThrow(/Invalid tenant id/u);
  });

  it('sorts the visible-documents index by invoice date, so a descending query is newest first', () => {
    const older = keys.visibleDocumentsIndex(tenant, customer, '2024-01-31', document).GSI1SK;
    const newer = keys.visibleDocumentsIndex(tenant, customer, '2024-11-30', document).GSI1SK;

    expect(older < newer).toBe(true);
  });

  it('claims a version under its invoice number, zero-padded so that claims sort in version order', () => {
    const claim = keys.versionClaim(tenant, customer, 'F-17', 2);

    expect(claim).toEqual({ PK: `T#${tenant}#C#${customer}`, SK: 'INVNO#F-17#V#000002' });
    expect(claim.SK < keys.versionClaim(tenant, customer, 'F-17', 10).SK).toBe(true);
    expect(claim.SK).not.toBe(keys.invoiceNumber(tenant, customer, 'F-17').SK);
  });

  it.each([0, -1, 1.5, 1_000_000, Number.NaN])('refuses version %s', (version) => {
    expect(() => keys.versionClaim(tenant, customer, 'F-17', version)).toThrow(/Invalid version/u);
  });

  it('locates a document by its id alone, within the tenant', () => {
    expect(keys.documentLocator(tenant, document)).toEqual({ PK: `T#${tenant}#DOCID#${document}`, SK: 'LOCATOR' });
  });

  it("keeps API keys in the clinic's own partition, under a prefix a query can select", () => {
    const keyId = randomUUID();

    expect(keys.apiKey(tenant, keyId)).toEqual({ PK: `T#${tenant}`, SK: `APIKEY#${keyId}` });
    expect(keys.apiKey(tenant, keyId).SK.startsWith(keys.apiKeyPrefix)).toBe(true);
  });

  it('hashes client idempotency keys, so any characters are safe and the same key maps to the same record', () => {
    const awkward = 'order 17#retry/ä';
    const record = keys.idempotencyRecord(tenant, awkward);

    expect(record.PK).toMatch(new RegExp(`^T#${tenant}#IDEMPOTENCY#[0-9a-f]{64}$`, 'u'));
    expect(record.SK).toBe('RECORD');
    expect(record).toEqual(keys.idempotencyRecord(tenant, awkward));
    expect(record.PK).not.toBe(keys.idempotencyRecord(tenant, 'order 17#retry/a').PK);
    expect(record.PK).not.toBe(keys.idempotencyRecord(randomUUID(), awkward).PK);
    expect(() => keys.idempotencyRecord(tenant, '')).toThrow(/Invalid idempotency key/u);
  });
});
