import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { InvoiceDocument } from '../../functions/domain/document';
import { ConflictError, NotFoundError, ValidationError } from '../../functions/domain/errors';
import type { ReadyPdf } from '../../functions/domain/ports';
import { type ClinicFixture, createClinic, createTestPortal } from '../support/test-portal';

const PDF: ReadyPdf = {
  contentSha256: 'c'.repeat(64),
  sizeBytes: 2048,
  pageCount: 2,
  sentAt: '2024-02-01T07:00:00.000Z',
};

/** The DocumentRepository port's contract, run against DynamoDB Local. */
describe('document repository (DynamoDB Local)', () => {
  const portal = createTestPortal();
  let clinic: ClinicFixture;

  beforeEach(async () => {
    clinic = await createClinic(portal);
  });

  /** A document as ingest receives it: claimed, not yet rendered, not visible. */
  const received = (overrides: Partial<InvoiceDocument> = {}): InvoiceDocument => ({
    id: randomUUID(),
    customerId: clinic.customer.id,
    invoiceNumber: `F-${randomUUID().slice(0, 8)}`,
    invoiceDate: '2024-01-31',
    periodFrom: '2024-01-01',
    periodTo: '2024-01-31',
    description: 'Fakturering januari',
    amount: 125_000,
    vatAmount: 25_000,
    currency: 'SEK',
    documentType: 'fakturaunderlag',
    source: 'rendered',
    status: 'received',
    visibility: 'published',
    version: 1,
    receivedAt: '2024-01-31T06:00:00.000Z',
    payloadSha256: 'a'.repeat(64),
    lineCount: 3,
    ...overrides,
  });

  const receive = async (overrides: Partial<InvoiceDocument> = {}) => {
    const document = received(overrides);
    await clinic.scope.documents.receive(document);
    return document;
  };

  const complete = (document: InvoiceDocument) =>
    clinic.scope.documents.completeVersion(document.customerId, document.id, PDF);

  const visibleIds = async () =>
    (await clinic.scope.documents.listVisible(clinic.customer, { limit: 50 })).items.map((item) => item.id);

  const stored = (document: InvoiceDocument) => clinic.scope.documents.get(document.customerId, document.id);

  describe('receiving and completing a version', () => {
    it('receives a version invisibly, then shows it once it is complete, as the current version', async () => {
      const document = await receive();

      const rendering = await clinic.scope.documents.changeStatus(clinic.customer.id, document.id, ['received'], {
        status: 'rendering',
      });
      const beforeCompletion = await visibleIds();
      const completed = await complete(document);

      expect(rendering).toEqual({ ...document, status: 'rendering' });
      expect(beforeCompletion).toEqual([]);
      expect(completed).toEqual({ document: { ...document, ...PDF, status: 'ready' } });
      await expect(stored(document)).resolves.toEqual(completed.document);
      await expect(visibleIds()).resolves.toEqual([document.id]);
      await expect(
        clinic.scope.documents.findByInvoiceNumber(clinic.customer.id, document.invoiceNumber),
      ).resolves.toEqual(completed.document);
    });

    it('finds a document by its id alone and by its version, in any state', async () => {
      const document = await receive({ version: 3 });

      await expect(clinic.scope.documents.locate(document.id)).resolves.toEqual(document);
      await expect(clinic.scope.documents.findVersion(clinic.customer.id, document.invoiceNumber, 3)).resolves.toEqual(
        document,
      );
      await expect(
        clinic.scope.documents.findVersion(clinic.customer.id, document.invoiceNumber, 2),
      ).resolves.toBeUndefined();
      await expect(clinic.scope.documents.locate(randomUUID())).resolves.toBeUndefined();
    });

    it('refuses a second claim on the same version and leaves the first one untouched', async () => {
      const first = await receive();
      const second = received({ invoiceNumber: first.invoiceNumber, description: 'Ska inte synas' });

      await expect(clinic.scope.documents.receive(second)).rejects.toBeInstanceOf(ConflictError);
      await expect(stored(first)).resolves.toEqual(first);
      await expect(clinic.scope.documents.findVersion(clinic.customer.id, first.invoiceNumber, 1)).resolves.toEqual(
        first,
      );
      await expect(stored(second)).resolves.toBeUndefined();
      await expect(clinic.scope.documents.locate(second.id)).resolves.toBeUndefined();
    });

    it('refuses to receive a document id twice, writing nothing for the second', async () => {
      const first = await receive();
      const again = received({ id: first.id, invoiceNumber: 'F-other' });

      await expect(clinic.scope.documents.receive(again)).rejects.toBeInstanceOf(ConflictError);
      await expect(stored(first)).resolves.toEqual(first);
      await expect(clinic.scope.documents.findVersion(clinic.customer.id, 'F-other', 1)).resolves.toBeUndefined();
    });

    it('returns an already ready document unchanged when completed again', async () => {
      const document = await receive();
      const first = await complete(document);

      const second = await clinic.scope.documents.completeVersion(clinic.customer.id, document.id, {
        ...PDF,
        contentSha256: 'd'.repeat(64),
        sentAt: '2024-03-01T00:00:00.000Z',
      });

      expect(second).toEqual({ document: first.document });
      await expect(stored(document)).resolves.toEqual(first.document);
    });

    it('completes a document that was withdrawn while rendering, but keeps it hidden', async () => {
      const document = await receive();
      await clinic.scope.documents.withdraw(clinic.customer.id, document.id, {
        at: '2024-01-31T06:30:00.000Z',
        reason: 'Felaktig kund',
      });

      const { document: completed } = await complete(document);

      expect(completed).toMatchObject({ status: 'ready', visibility: 'withdrawn' });
      await expect(visibleIds()).resolves.toEqual([]);
    });

    it('refuses to complete a failed document, and clears the failure reason on the way back', async () => {
      const document = await receive();
      const failed = await clinic.scope.documents.changeStatus(clinic.customer.id, document.id, ['received'], {
        status: 'failed',
        failureReason: 'Raderna summerar inte till totalen.',
      });

      await expect(complete(document)).rejects.toBeInstanceOf(ConflictError);
      const retried = await clinic.scope.documents.changeStatus(clinic.customer.id, document.id, ['failed'], {
        status: 'received',
      });

      expect(failed.failureReason).toBe('Raderna summerar inte till totalen.');
      expect(retried).toEqual(document);
    });

    it('refuses a status change from a status the document does not have, and changes nothing', async () => {
      const document = await receive();

      const attempt = clinic.scope.documents.changeStatus(clinic.customer.id, document.id, ['rendering'], {
        status: 'failed',
        failureReason: 'timeout',
      });

      await expect(attempt).rejects.toBeInstanceOf(ConflictError);
      await expect(attempt).rejects.toThrow(/status received, expected rendering/u);
      await expect(stored(document)).resolves.toEqual(document);
    });

    it('refuses a status change of a document that does not exist, creating nothing', async () => {
      const missing = randomUUID();

      await expect(
        clinic.scope.documents.changeStatus(clinic.customer.id, missing, ['received'], { status: 'rendering' }),
      ).rejects.toBeInstanceOf(ConflictError);
      await expect(clinic.scope.documents.get(clinic.customer.id, missing)).resolves.toBeUndefined();
    });
  });

  describe('versions of one invoice number', () => {
    it('supersedes the current version when a newer one completes', async () => {
      const v1 = await receive();
      await complete(v1);
      const v2 = await receive({ invoiceNumber: v1.invoiceNumber, version: 2, invoiceDate: '2024-02-01' });

      const result = await complete(v2);

      expect(result.document).toMatchObject({ id: v2.id, status: 'ready', visibility: 'published' });
      expect(result.superseded).toMatchObject({ id: v1.id, visibility: 'superseded', supersededBy: v2.id });
      await expect(stored(v1)).resolves.toEqual(result.superseded);
      await expect(visibleIds()).resolves.toEqual([v2.id]);
      await expect(clinic.scope.documents.findByInvoiceNumber(clinic.customer.id, v1.invoiceNumber)).resolves.toEqual(
        result.document,
      );
    });

    it('keeps the newer version current when an older one completes after it', async () => {
      const v1 = await receive();
      const v2 = await receive({ invoiceNumber: v1.invoiceNumber, version: 2 });
      await complete(v2);

      const late = await complete(v1);

      expect(late.document).toMatchObject({
        id: v1.id,
        status: 'ready',
        visibility: 'superseded',
        supersededBy: v2.id,
      });
      expect(late.superseded).toBeUndefined();
      await expect(stored(v2)).resolves.toMatchObject({ visibility: 'published' });
      await expect(visibleIds()).resolves.toEqual([v2.id]);
      await expect(
        clinic.scope.documents.findByInvoiceNumber(clinic.customer.id, v1.invoiceNumber),
      ).resolves.toMatchObject({ id: v2.id });
    });

    it('settles two versions completing at the same time on exactly one current version', async () => {
      const v1 = await receive();
      const v2 = await receive({ invoiceNumber: v1.invoiceNumber, version: 2 });

      await Promise.all([complete(v1), complete(v2)]);

      await expect(stored(v1)).resolves.toMatchObject({
        status: 'ready',
        visibility: 'superseded',
        supersededBy: v2.id,
      });
      await expect(stored(v2)).resolves.toMatchObject({ status: 'ready', visibility: 'published' });
      await expect(visibleIds()).resolves.toEqual([v2.id]);
    });

    it('completes the same document twice at the same time once', async () => {
      const document = await receive();

      const [first, second] = await Promise.all([complete(document), complete(document)]);

      expect(first.document).toEqual(second.document);
      await expect(visibleIds()).resolves.toEqual([document.id]);
    });
  });

  describe('withdrawing', () => {
    const withdrawal = { at: '2024-02-10T09:00:00.000Z', reason: 'Fakturan makulerad' };

    it('hides a published document and records why', async () => {
      const { document } = await clinic.addDocument(clinic.customer);

      const withdrawn = await clinic.scope.documents.withdraw(clinic.customer.id, document.id, withdrawal);

      expect(withdrawn).toEqual({ ...document, visibility: 'withdrawn', withdrawal });
      await expect(stored(document)).resolves.toEqual(withdrawn);
      await expect(visibleIds()).resolves.toEqual([]);
    });

    it('returns an already withdrawn document unchanged', async () => {
      const { document } = await clinic.addDocument(clinic.customer);
      const first = await clinic.scope.documents.withdraw(clinic.customer.id, document.id, withdrawal);

      const again = await clinic.scope.documents.withdraw(clinic.customer.id, document.id, {
        at: '2024-02-11T09:00:00.000Z',
        reason: 'Igen',
      });

      expect(again).toEqual(first);
    });

    it('refuses to withdraw a superseded version, naming the version that replaced it', async () => {
      const v1 = await receive();
      await complete(v1);
      const v2 = await receive({ invoiceNumber: v1.invoiceNumber, version: 2 });
      await complete(v2);

      const attempt = clinic.scope.documents.withdraw(clinic.customer.id, v1.id, withdrawal);

      await expect(attempt).rejects.toBeInstanceOf(ConflictError);
      await expect(attempt).rejects.toMatchObject({ code: 'document_superseded' });
      await expect(attempt).rejects.toThrow(v2.id);
      await expect(stored(v1)).resolves.not.toHaveProperty('withdrawal');
    });

    it('refuses to withdraw a document that does not exist, creating nothing', async () => {
      const missing = randomUUID();

      await expect(clinic.scope.documents.withdraw(clinic.customer.id, missing, withdrawal)).rejects.toBeInstanceOf(
        ConflictError,
      );
      await expect(clinic.scope.documents.get(clinic.customer.id, missing)).resolves.toBeUndefined();
    });

    it('keeps the download receipts when a document is withdrawn', async () => {
      const { document } = await clinic.addDocument(clinic.customer);
      const receipt = { at: '2024-02-01T10:00:00.000Z', contactId: randomUUID(), contactName: 'Anna Åberg' };
      await clinic.scope.documents.recordDownload(clinic.customer.id, document.id, receipt);

      const withdrawn = await clinic.scope.documents.withdraw(clinic.customer.id, document.id, withdrawal);

      expect(withdrawn.firstDownload).toEqual(receipt);
      expect(withdrawn.lastDownload).toEqual(receipt);
    });
  });

  describe('reading and isolation', () => {
    it('returns a document by customer and id, and nothing for another customer', async () => {
      const { document } = await clinic.addDocument(clinic.customer);

      await expect(clinic.scope.documents.get(clinic.customer.id, document.id)).resolves.toEqual(document);
      await expect(clinic.scope.documents.get(clinic.otherCustomer.id, document.id)).resolves.toBeUndefined();
    });

    it("shows none of one clinic's documents to another clinic, even with the right ids", async () => {
      const { document } = await clinic.addDocument(clinic.customer);
      const pending = await receive();
      const otherClinic = await createClinic(portal);
      const other = otherClinic.scope.documents;

      await expect(other.get(clinic.customer.id, document.id)).resolves.toBeUndefined();
      await expect(other.locate(document.id)).resolves.toBeUndefined();
      await expect(other.locate(pending.id)).resolves.toBeUndefined();
      await expect(other.findVersion(clinic.customer.id, pending.invoiceNumber, 1)).resolves.toBeUndefined();
      await expect(other.findByInvoiceNumber(clinic.customer.id, document.invoiceNumber)).resolves.toBeUndefined();
      await expect(other.listVisible(clinic.customer, { limit: 10 })).resolves.toEqual({ items: [] });
      await expect(
        other.withdraw(clinic.customer.id, document.id, { at: '2024-02-10T09:00:00.000Z', reason: 'x' }),
      ).rejects.toBeInstanceOf(ConflictError);
      await expect(other.completeVersion(clinic.customer.id, pending.id, PDF)).rejects.toBeInstanceOf(ConflictError);
      await expect(stored(document)).resolves.toEqual(document);
      await expect(stored(pending)).resolves.toEqual(pending);
    });

    it('lists only ready and published documents, newest invoice date first', async () => {
      const oldest = await clinic.addDocument(clinic.customer, { invoiceDate: '2024-01-15' });
      const newest = await clinic.addDocument(clinic.customer, { invoiceDate: '2024-03-15' });
      const middle = await clinic.addDocument(clinic.customer, { invoiceDate: '2024-02-15' });
      await clinic.addDocument(clinic.customer, { invoiceDate: '2024-04-01', visibility: 'held' });
      await clinic.addDocument(clinic.customer, { invoiceDate: '2024-04-02', visibility: 'withdrawn' });
      await clinic.addDocument(clinic.customer, { invoiceDate: '2024-04-03', status: 'rendering' });

      const page = await clinic.scope.documents.listVisible(clinic.customer, { limit: 50 });

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
        const page = await clinic.scope.documents.listVisible(clinic.customer, { limit: 3, cursor });
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
        clinic.scope.documents.listVisible(clinic.customer, { limit: 3, cursor: forged }),
      ).rejects.toBeInstanceOf(ValidationError);
    });

    it('finds the current document by invoice number, and nothing for a version that is not complete', async () => {
      const { document } = await clinic.addDocument(clinic.customer);
      const pending = await receive();

      await expect(
        clinic.scope.documents.findByInvoiceNumber(clinic.customer.id, document.invoiceNumber),
      ).resolves.toEqual(document);
      await expect(
        clinic.scope.documents.findByInvoiceNumber(clinic.customer.id, pending.invoiceNumber),
      ).resolves.toBeUndefined();
      await expect(
        clinic.scope.documents.findByInvoiceNumber(clinic.customer.id, 'no-such-number'),
      ).resolves.toBeUndefined();
    });
  });

  describe('download receipts', () => {
    it('records downloads: the first receipt stays, the last one moves', async () => {
      const { document } = await clinic.addDocument(clinic.customer);
      const first = { at: '2024-02-01T10:00:00.000Z', contactId: randomUUID(), contactName: 'Anna Åberg' };
      const second = { at: '2024-02-02T11:00:00.000Z', contactId: randomUUID(), contactName: 'Örjan Östlund' };

      await clinic.scope.documents.recordDownload(clinic.customer.id, document.id, first);
      await clinic.scope.documents.recordDownload(clinic.customer.id, document.id, second);

      const after = await stored(document);
      expect(after?.firstDownload).toEqual(first);
      expect(after?.lastDownload).toEqual(second);
    });

    it('keeps the receipts of a version when a newer one supersedes it', async () => {
      const v1 = await receive();
      await complete(v1);
      const receipt = { at: '2024-02-01T10:00:00.000Z', contactId: randomUUID(), contactName: 'Anna Åberg' };
      await clinic.scope.documents.recordDownload(clinic.customer.id, v1.id, receipt);
      const v2 = await receive({ invoiceNumber: v1.invoiceNumber, version: 2 });

      const { superseded } = await complete(v2);

      expect(superseded?.firstDownload).toEqual(receipt);
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

  describe("the clinic's view and its visibility choices", () => {
    it('lists every document of the customer in any state, newest first, in cursor pages', async () => {
      const held = await receive({ invoiceDate: '2024-03-31', visibility: 'held' });
      await complete(held);
      const rendering = await receive({ invoiceDate: '2024-02-29' });
      const published = await receive({ invoiceDate: '2024-01-31' });
      await complete(published);
      await receive({ customerId: clinic.otherCustomer.id });

      const first = await clinic.scope.documents.listAll(clinic.customer.id, { limit: 2 });
      const second = await clinic.scope.documents.listAll(clinic.customer.id, { limit: 2, cursor: first.nextCursor });

      expect(first.items.map((item) => item.id)).toEqual([held.id, rendering.id]);
      expect(second.items.map((item) => item.id)).toEqual([published.id]);
      expect(second.nextCursor).toBeUndefined();
      expect(first.items[0]).toMatchObject({ status: 'ready', visibility: 'held' });
    });

    it('keeps only the documents nobody has downloaded, when asked, in cursor pages of its own', async () => {
      const documents = [];
      for (const date of ['2024-01-31', '2024-02-29', '2024-03-31', '2024-04-30']) {
        const document = await receive({ invoiceDate: date });
        await complete(document);
        documents.push(document);
      }
      const [january, february, march, april] = documents as [
        InvoiceDocument,
        InvoiceDocument,
        InvoiceDocument,
        InvoiceDocument,
      ];
      for (const fetched of [february, april]) {
        await clinic.scope.documents.recordDownload(clinic.customer.id, fetched.id, {
          at: '2024-05-01T10:00:00.000Z',
          contactId: randomUUID(),
          contactName: 'Anna',
        });
      }

      const first = await clinic.scope.documents.listAll(clinic.customer.id, { limit: 1, notDownloaded: true });
      const second = await clinic.scope.documents.listAll(clinic.customer.id, {
        limit: 1,
        notDownloaded: true,
        cursor: first.nextCursor,
      });
      const unfilteredCursor = (await clinic.scope.documents.listAll(clinic.customer.id, { limit: 1 })).nextCursor;

      expect(first.items.map((item) => item.id)).toEqual([march.id]);
      expect(second.items.map((item) => item.id)).toEqual([january.id]);
      await expect(
        clinic.scope.documents.listAll(clinic.customer.id, { limit: 1, notDownloaded: true, cursor: unfilteredCursor }),
      ).rejects.toBeInstanceOf(ValidationError);
    });

    it("refuses a cursor of the contacts' list, of another customer, or an altered one", async () => {
      for (const date of ['2024-01-31', '2024-02-29']) await complete(await receive({ invoiceDate: date }));
      const visibleCursor = (await clinic.scope.documents.listVisible(clinic.customer, { limit: 1 })).nextCursor;
      const allCursor = (await clinic.scope.documents.listAll(clinic.customer.id, { limit: 1 })).nextCursor;

      for (const cursor of [visibleCursor, `${allCursor}x`]) {
        await expect(clinic.scope.documents.listAll(clinic.customer.id, { limit: 1, cursor })).rejects.toBeInstanceOf(
          ValidationError,
        );
      }
      await expect(
        clinic.scope.documents.listAll(clinic.otherCustomer.id, { limit: 1, cursor: allCursor }),
      ).rejects.toBeInstanceOf(ValidationError);
    });

    it("publishing a held document puts it in the contacts' list; hiding takes it out again", async () => {
      const document = await receive({ visibility: 'held' });
      await complete(document);
      expect(await visibleIds()).toEqual([]);

      const published = await clinic.scope.documents.setVisibility(clinic.customer.id, document.id, 'published');
      const listedAfterPublishing = await visibleIds();
      const hidden = await clinic.scope.documents.setVisibility(clinic.customer.id, document.id, 'hidden');

      expect(published.visibility).toBe('published');
      expect(listedAfterPublishing).toEqual([document.id]);
      expect(hidden.visibility).toBe('hidden');
      expect(await visibleIds()).toEqual([]);
      expect(await stored(document)).toMatchObject({ visibility: 'hidden', status: 'ready' });
    });

    it('publishing a document that is still rendering lists it only once it is ready', async () => {
      const document = await receive({ visibility: 'held' });

      await clinic.scope.documents.setVisibility(clinic.customer.id, document.id, 'published');
      const whileRendering = await visibleIds();
      await complete(document);

      expect(whileRendering).toEqual([]);
      expect(await visibleIds()).toEqual([document.id]);
    });

    it('is idempotent, refuses withdrawn and superseded documents, and says so for a missing one', async () => {
      const withdrawn = await receive();
      await complete(withdrawn);
      await clinic.scope.documents.withdraw(clinic.customer.id, withdrawn.id, { at: PDF.sentAt, reason: 'Fel kund' });
      const v1 = await receive();
      await complete(v1);
      await complete(await receive({ invoiceNumber: v1.invoiceNumber, version: 2 }));
      const shown = await receive();
      await complete(shown);

      const again = await clinic.scope.documents.setVisibility(clinic.customer.id, shown.id, 'published');

      expect(again.visibility).toBe('published');
      await expect(
        clinic.scope.documents.setVisibility(clinic.customer.id, withdrawn.id, 'published'),
      ).rejects.toMatchObject({ code: 'document_withdrawn' });
      await expect(clinic.scope.documents.setVisibility(clinic.customer.id, v1.id, 'published')).rejects.toMatchObject({
        code: 'document_superseded',
      });
      await expect(
        clinic.scope.documents.setVisibility(clinic.customer.id, randomUUID(), 'hidden'),
      ).rejects.toBeInstanceOf(NotFoundError);
      expect((await stored(withdrawn))?.visibility).toBe('withdrawn');
    });

    it('lists who downloaded a document, newest first, and nothing of other documents', async () => {
      const document = await receive();
      await complete(document);
      const other = await receive();
      await complete(other);
      const first = { at: '2024-02-01T10:00:00.000Z', contactId: randomUUID(), contactName: 'Anna Åberg' };
      const second = { at: '2024-02-03T14:12:00.000Z', contactId: randomUUID(), contactName: 'Örjan Ek' };
      await clinic.scope.documents.recordDownload(clinic.customer.id, document.id, first);
      await clinic.scope.documents.recordDownload(clinic.customer.id, document.id, second);
      await clinic.scope.documents.recordDownload(clinic.customer.id, other.id, first);

      expect(await clinic.scope.documents.listDownloads(clinic.customer.id, document.id)).toEqual([second, first]);
    });
  });
});
