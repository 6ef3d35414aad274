import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { InvoiceDocument } from '../../functions/domain/document';
import { ValidationError } from '../../functions/domain/errors';
import type { ContactsCustomer, DocumentRepository, VisibleDocumentsQuery } from '../../functions/domain/ports';
import { createDynamoDbClient } from '../../functions/runtime/aws-clients';
import { LOCAL_REGION } from '../../functions/runtime/local';
import { bulkDocument, putDocumentsDirectly } from '../support/bulk-documents';
import { LOCAL_CREDENTIALS } from '../support/emulators.global-setup';
import { type ClinicFixture, createClinic, createTestPortal } from '../support/test-portal';

/** DocumentRepository.listVisible's filters and visibleYears, on DynamoDB Local. */
describe('filtered document lists (DynamoDB Local)', () => {
  const portal = createTestPortal();

  async function bulkClinic(documents: (customerId: string) => InvoiceDocument[]): Promise<ClinicFixture> {
    const clinic = await createClinic(portal);
    const emulators = inject('emulators');
    const client = createDynamoDbClient({
      region: LOCAL_REGION,
      endpoint: emulators.dynamoEndpoint,
      credentials: LOCAL_CREDENTIALS,
    });
    await putDocumentsDirectly(
      { client, tableName: emulators.tableName, tenantId: clinic.tenantId },
      documents(clinic.customer.id),
    );
    return clinic;
  }

  async function allPages(documents: DocumentRepository, customer: ContactsCustomer, query: VisibleDocumentsQuery) {
    const pages: InvoiceDocument[][] = [];
    let cursor: string | undefined;
    do {
      const page = await documents.listVisible(customer, { ...query, cursor });
      pages.push([...page.items]);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return pages;
  }

  /** 1,100 documents, one a day from 2021-01-01; only the two oldest have been downloaded. */
  let large: ClinicFixture;
  let largeDocuments: InvoiceDocument[];
  const receipt = { at: '2025-01-01T10:00:00.000Z', contactId: randomUUID(), contactName: 'Anna' };

  beforeAll(async () => {
    large = await bulkClinic((customerId) => {
      largeDocuments = Array.from({ length: 1100 }, (_, day) =>
        bulkDocument(customerId, randomUUID(), new Date(Date.UTC(2021, 0, 1 + day)).toISOString().slice(0, 10), {
          ...(day < 2 ? { firstDownload: receipt, lastDownload: receipt } : {}),
        }),
      );
      return largeDocuments;
    });
  });

  it('bounds what one filtered request reads: a page may come back empty with a cursor to continue', async () => {
    const first = await large.scope.documents.listVisible(large.customer, {
      limit: 50,
      downloadState: 'downloaded',
    });
    const second = await large.scope.documents.listVisible(large.customer, {
      limit: 50,
      downloadState: 'downloaded',
      cursor: first.nextCursor,
    });

    expect(first.items).toEqual([]);
    expect(first.nextCursor).toBeDefined();
    expect(second.items.map((document) => document.id)).toEqual([largeDocuments[1]?.id, largeDocuments[0]?.id]);
    expect(second.nextCursor).toBeUndefined();
  });

  it('fills filtered pages across batches, every match once and in order', async () => {
    const pages = await allPages(large.scope.documents, large.customer, {
      limit: 150,
      downloadState: 'new',
      order: 'oldest',
    });

    expect(pages.flat().map((document) => document.id)).toEqual(largeDocuments.slice(2).map((document) => document.id));
    expect(pages[0]).toHaveLength(150);
  });

  it('reads an invoice-date range inclusively, in either order', async () => {
    const range = { from: '2022-02-01', to: '2022-02-28' };
    const february = largeDocuments.filter((document) => document.invoiceDate.startsWith('2022-02'));

    const newest = await large.scope.documents.listVisible(large.customer, { limit: 100, invoiceDates: range });
    const oldest = await allPages(large.scope.documents, large.customer, {
      limit: 10,
      invoiceDates: range,
      order: 'oldest',
    });

    expect(newest.items.map((document) => document.id)).toEqual(february.map((document) => document.id).reverse());
    expect(oldest.flat().map((document) => document.id)).toEqual(february.map((document) => document.id));
  });

  it('refuses a cursor of another filter or order', async () => {
    const page = await large.scope.documents.listVisible(large.customer, { limit: 5 });

    for (const other of [
      { order: 'oldest' },
      { downloadState: 'new' },
      { invoiceDates: { from: '2021-01-01', to: '2030-12-31' } },
    ] as const) {
      await expect(
        large.scope.documents.listVisible(large.customer, { limit: 5, cursor: page.nextCursor, ...other }),
      ).rejects.toBeInstanceOf(ValidationError);
    }
  });

  it('shows only the types shown to the customer: full pages across batches, every match once, cursors that continue', async () => {
    // 1,100 credit notes, one a day from 2021-01-01, with an invoice basis every 300th day: 4 shown in all, and more
    // than one request's read budget of hidden entries between some of them.
    let shown: InvoiceDocument[] = [];
    const clinic = await bulkClinic((customerId) => {
      const all = Array.from({ length: 1100 }, (_, day) =>
        bulkDocument(customerId, randomUUID(), new Date(Date.UTC(2021, 0, 1 + day)).toISOString().slice(0, 10), {
          documentType: day % 300 === 0 ? 'fakturaunderlag' : 'kreditunderlag',
        }),
      );
      shown = all.filter((document) => document.documentType === 'fakturaunderlag');
      return all;
    });
    const customer = { id: clinic.customer.id, shownDocumentTypes: ['fakturaunderlag'] } as const;

    const pages = await allPages(clinic.scope.documents, customer, { limit: 2 });
    const oldestFirst = await allPages(clinic.scope.documents, customer, { limit: 3, order: 'oldest' });
    const credits = await clinic.scope.documents.listVisible(
      { id: clinic.customer.id, shownDocumentTypes: ['kreditunderlag'] },
      { limit: 5 },
    );

    expect(pages.flat().map((document) => document.id)).toEqual(shown.map((document) => document.id).reverse());
    expect(oldestFirst.flat().map((document) => document.id)).toEqual(shown.map((document) => document.id));
    // A page never holds more than asked, and one that ends early says where to go on.
    expect(pages.every((page) => page.length <= 2)).toBe(true);
    expect(credits.items.map((document) => document.documentType)).toEqual(Array(5).fill('kreditunderlag'));
    expect(credits.nextCursor).toBeDefined();
    // The years of shown documents only: 2021 (days 0, 300), 2022 (day 600), 2023 (day 900); 2024 has credits only.
    await expect(clinic.scope.documents.visibleYears(customer)).resolves.toEqual([2023, 2022, 2021]);
    await expect(clinic.scope.documents.visibleYears(clinic.customer)).resolves.toEqual([2024, 2023, 2022, 2021]);
  });

  it('lists the years with visible documents, newest first, without gaps or invisible ones', async () => {
    const clinic = await bulkClinic((customerId) => [
      bulkDocument(customerId, randomUUID(), '2019-12-31'),
      bulkDocument(customerId, randomUUID(), '2020-01-01'),
      bulkDocument(customerId, randomUUID(), '2020-06-01'),
      bulkDocument(customerId, randomUUID(), '2023-01-01'),
      bulkDocument(customerId, randomUUID(), '2024-01-01', { visibility: 'held' }),
      bulkDocument(customerId, randomUUID(), '2025-01-01', { status: 'rendering' }),
    ]);

    await expect(clinic.scope.documents.visibleYears(clinic.customer)).resolves.toEqual([2023, 2020, 2019]);
    await expect(clinic.scope.documents.visibleYears(clinic.otherCustomer)).resolves.toEqual([]);
    await expect(large.scope.documents.visibleYears(large.customer)).resolves.toEqual([2024, 2023, 2022, 2021]);
  });
});
