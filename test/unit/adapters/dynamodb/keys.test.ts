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
      keys.downloadReceipt(tenant, customer, document, '2024-02-01T10:00:00.000Z', contact).PK,
      keys.auditEvent(tenant, '2024-02-01T10:00:00.000Z', randomUUID()).PK,
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

  it.each(['', 'a#b', 'with space', `${tenant}#C#${customer}`])('refuses %j as a key part', (bad) => {
    expect(() => keys.document(tenant, customer, bad)).toThrow(/Invalid document id/u);
    expect(() => keys.tenant(bad)).toThrow(/Invalid tenant id/u);
  });

  it('sorts the visible-documents index by invoice date, so a descending query is newest first', () => {
    const older = keys.visibleDocumentsIndex(tenant, customer, '2024-01-31', document).GSI1SK;
    const newer = keys.visibleDocumentsIndex(tenant, customer, '2024-11-30', document).GSI1SK;

    expect(older < newer).toBe(true);
  });
});
