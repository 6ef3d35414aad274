import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, ValidationError } from '../../functions/domain/errors';
import { type ClinicFixture, createClinic, createTestPortal } from '../support/test-portal';

/** The DocumentRepository port's contract, run against DynamoDB Local. */
describe('document repository (DynamoDB Local)', () => {
  const portal = createTestPortal();
  let clinic: ClinicFixture;

  beforeEach(async () => {
    clinic = await createClinic(portal);
  });

  it('returns a created document by customer and id, and nothing for another customer', async () => {
    const { document } = await clinic.addDocument(clinic.customer);

    await expect(clinic.scope.documents.get(clinic.customer.id, document.id)).resolves.toEqual(document);
    await expect(clinic.scope.documents.get(clinic.otherCustomer.id, document.id)).resolves.toBeUndefined();
  });

  it("does not show one clinic's document to another clinic, even with the right customer and document ids", async () => {
    const { document } = await clinic.addDocument(clinic.customer);
    const otherClinic = await createClinic(portal);

    await expect(otherClinic.scope.documents.get(clinic.customer.id, document.id)).resolves.toBeUndefined();
    const page = await otherClinic.scope.documents.listVisible(clinic.customer.id, { limit: 10 });
    expect(page.items).toEqual([]);
  });

  it('refuses to create a document id twice and leaves the first one untouched', async () => {
    const { document } = await clinic.addDocument(clinic.customer);

    await expect(
      clinic.scope.documents.create({ ...document, invoiceNumber: 'other', description: 'overwritten?' }),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(clinic.scope.documents.get(clinic.customer.id, document.id)).resolves.toEqual(document);
  });

  it('lists only ready and published documents, newest invoice date first', async () => {
    const oldest = await clinic.addDocument(clinic.customer, { invoiceDate: '2024-01-15' });
    const newest = await clinic.addDocument(clinic.customer, { invoiceDate: '2024-03-15' });
    const middle = await clinic.addDocument(clinic.customer, { invoiceDate: '2024-02-15' });
    await clinic.addDocument(clinic.customer, { invoiceDate: '2024-04-01', visibility: 'held' });
    await clinic.addDocument(clinic.customer, { invoiceDate: '2024-04-02', visibility: 'withdrawn' });
    await clinic.addDocument(clinic.customer, { invoiceDate: '2024-04-03', status: 'rendering' });

    const page = await clinic.scope.documents.listVisible(clinic.customer.id, { limit: 50 });

    expect(page.items.map((item) => item.id)).toEqual([newest.document.id, middle.document.id, oldest.document.id]);
    expect(page.nextCursor).toBeUndefined();
  });

  it('pages through a long list with cursors, every document exactly once', async () => {
    const created = [];
    for (let day = 1; day <= 7; day += 1) {
      created.push((await clinic.addDocument(clinic.customer, { invoiceDate: `2024-05-0${day}` })).document.id);
    }

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await clinic.scope.documents.listVisible(clinic.customer.id, { limit: 3, cursor });
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);

    expect(seen).toEqual(created.reverse());
    expect(pages).toBe(3);
  });

  it('rejects a forged cursor with a validation error', async () => {
    const forged = Buffer.from('T#other-tenant#C#x').toString('base64url');

    await expect(
      clinic.scope.documents.listVisible(clinic.customer.id, { limit: 3, cursor: forged }),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it('finds the current document by invoice number', async () => {
    const { document } = await clinic.addDocument(clinic.customer);

    await expect(
      clinic.scope.documents.findByInvoiceNumber(clinic.customer.id, document.invoiceNumber),
    ).resolves.toEqual(document);
    await expect(
      clinic.scope.documents.findByInvoiceNumber(clinic.customer.id, 'no-such-number'),
    ).resolves.toBeUndefined();
  });

  it('records downloads: the first receipt stays, the last one moves', async () => {
    const { document } = await clinic.addDocument(clinic.customer);
    const first = { at: '2024-02-01T10:00:00.000Z', contactId: randomUUID(), contactName: 'Anna Åberg' };
    const second = { at: '2024-02-02T11:00:00.000Z', contactId: randomUUID(), contactName: 'Örjan Östlund' };

    await clinic.scope.documents.recordDownload(clinic.customer.id, document.id, first);
    await clinic.scope.documents.recordDownload(clinic.customer.id, document.id, second);

    const stored = await clinic.scope.documents.get(clinic.customer.id, document.id);
    expect(stored?.firstDownload).toEqual(first);
    expect(stored?.lastDownload).toEqual(second);
  });

  it('refuses a download receipt for a document that does not exist, writing nothing', async () => {
    const missingId = randomUUID();

    await expect(
      clinic.scope.documents.recordDownload(clinic.customer.id, missingId, {
        at: '2024-02-01T10:00:00.000Z',
        contactId: randomUUID(),
        contactName: 'Anna',
      }),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(clinic.scope.documents.get(clinic.customer.id, missingId)).resolves.toBeUndefined();
  });
});
