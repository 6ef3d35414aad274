import { beforeAll, describe, expect, it } from 'vitest';
import type { InvoiceDocument } from '../../functions/domain/document';
import type { AdminCustomerSummary, AdminDocumentPageResponse } from '../../functions/http/admin-api-contract';
import { upsertCustomers } from '../../functions/use-cases/ingest/upsert-customers';
import { addAdmin, adminClientFor, json } from '../support/admin-fixture';
import { readAuditEvents } from '../support/audit-events';
import { type ClinicFixture, clientFor, createClinic, createTestPortal } from '../support/test-portal';

/**
 * Issue 6, "which document types are shown" per customer company: a clinic administrator shows a company's contacts
 * only some document types. Whatever way the contact reaches a document — the list, a search by invoice number, the
 * years, a download, a ZIP of a year or of chosen ids — a hidden type is not there; the administrator still sees
 * every document, marked. One clinic for the whole file: the invoice bases (2024, 2025) and credit notes (2024, 2023).
 */
const portal = createTestPortal();
const patch = (body: unknown) => json(body, { method: 'PATCH' });

let clinic: ClinicFixture;
let admin: ReturnType<typeof adminClientFor>;
let contact: ReturnType<typeof clientFor>;
let invoices: InvoiceDocument[];
let credits: InvoiceDocument[];

beforeAll(async () => {
  clinic = await createClinic(portal);
  admin = adminClientFor(portal, clinic);
  await admin.login(await addAdmin(portal, clinic));
  contact = clientFor(portal, clinic);
  await contact.login(clinic.contact);
  const add = async (invoiceDate: string, documentType: InvoiceDocument['documentType']) =>
    (await clinic.addDocument(clinic.customer, { invoiceDate, documentType })).document;
  invoices = [await add('2024-01-31', 'fakturaunderlag'), await add('2025-02-28', 'fakturaunderlag')];
  credits = [await add('2024-02-15', 'kreditunderlag'), await add('2023-05-05', 'kreditunderlag')];
});

async function choose(shownDocumentTypes: unknown) {
  const response = await admin.request(`/api/admin/customers/${clinic.customer.id}`, patch({ shownDocumentTypes }));
  return { status: response.status, body: (await response.json()) as AdminCustomerSummary & { error?: unknown } };
}

async function listed(query = ''): Promise<string[]> {
  const response = await contact.request(`/api/customers/${clinic.customer.id}/documents${query}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: { id: string }[] }).items.map((item) => item.id);
}

async function years(): Promise<number[]> {
  const response = await contact.request(`/api/customers/${clinic.customer.id}/document-years`);
  return ((await response.json()) as { years: number[] }).years;
}

const download = (document: InvoiceDocument) =>
  contact.request(`/api/customers/${clinic.customer.id}/documents/${document.id}/download`, { method: 'POST' });

const archive = (body: unknown) =>
  contact.request(`/api/customers/${clinic.customer.id}/document-archives`, json(body));

const ids = (documents: readonly InvoiceDocument[]) => documents.map((document) => document.id);

describe("a customer's shown document types", () => {
  it('shows every type until the clinic chooses', async () => {
    expect(new Set(await listed())).toEqual(new Set(ids([...invoices, ...credits])));
    expect(await years()).toEqual([2025, 2024, 2023]);
    expect((await download(credits[0] as InvoiceDocument)).status).toBe(200);
  });

  it('hides credit notes from the contacts everywhere once only invoice bases are shown; audited', async () => {
    const [credit] = credits as [InvoiceDocument];

    const chosen = await choose(['fakturaunderlag']);

    expect(chosen).toMatchObject({ status: 200, body: { shownDocumentTypes: ['fakturaunderlag'] } });
    expect(await listed()).toEqual(ids(invoices).reverse());
    expect(await listed(`?invoiceNumber=${encodeURIComponent(credit.invoiceNumber)}`)).toEqual([]);
    expect(await listed('?year=2024')).toEqual([invoices[0]?.id]);
    expect(await years()).toEqual([2025, 2024]);
    expect((await download(credit)).status).toBe(404);
    expect((await download(invoices[0] as InvoiceDocument)).status).toBe(200);
    // A ZIP of 2024 holds only the invoice basis; naming the credit note refuses the whole selection.
    const year = await archive({ year: 2024 });
    expect(year.status).toBe(200);
    expect(((await year.json()) as { documentCount: number }).documentCount).toBe(1);
    expect((await archive({ documentIds: [invoices[0]?.id, credit.id] })).status).toBe(404);
    expect((await archive({ year: 2023 })).status).toBe(422);
    const events = await readAuditEvents(clinic.tenantId, portal.clock.now().toISOString().slice(0, 7));
    expect(events.filter((event) => event.action === 'customer.document_types_changed')).toMatchObject([
      {
        actor: { type: 'admin' },
        customerId: clinic.customer.id,
        details: { from: 'fakturaunderlag,kreditunderlag', to: 'fakturaunderlag' },
      },
    ]);
  });

  it('still shows the administrator every document, marking the ones of a hidden type, and filters by type', async () => {
    await choose(['fakturaunderlag']);

    const all = (await (
      await admin.request(`/api/admin/customers/${clinic.customer.id}/documents`)
    ).json()) as AdminDocumentPageResponse;
    const onlyCredits = (await (
      await admin.request(`/api/admin/customers/${clinic.customer.id}/documents?documentType=kreditunderlag`)
    ).json()) as AdminDocumentPageResponse;
    const badType = await admin.request(`/api/admin/customers/${clinic.customer.id}/documents?documentType=kvitto`);

    expect(all.items).toHaveLength(4);
    const credit = all.items.find((item) => item.id === credits[0]?.id);
    expect(credit).toMatchObject({ typeShownToContacts: false, visibleToContacts: false, visibility: 'published' });
    expect(all.items.find((item) => item.id === invoices[0]?.id)).toMatchObject({
      typeShownToContacts: true,
      visibleToContacts: true,
    });
    expect(all.customer.shownDocumentTypes).toEqual(['fakturaunderlag']);
    expect(onlyCredits.items.map((item) => item.id)).toEqual(ids(credits));
    expect(badType.status).toBe(400);
  });

  it('refuses showing no type at all (400) and an unknown type, changing nothing', async () => {
    await choose(['fakturaunderlag']);

    const none = await choose([]);
    const unknown = await choose(['kvitto']);

    expect(none.status).toBe(400);
    expect(none.body.error).toMatchObject({
      code: 'validation_failed',
      details: { fields: { shownDocumentTypes: expect.stringContaining('at least one') } },
    });
    expect(unknown.status).toBe(400);
    expect((await clinic.scope.customers.get(clinic.customer.id))?.shownDocumentTypes).toEqual(['fakturaunderlag']);
  });

  it('gives the credit notes back at once when the clinic shows every type again', async () => {
    await choose(['fakturaunderlag']);

    const back = await choose(['kreditunderlag', 'fakturaunderlag']);

    expect(back.body.shownDocumentTypes).toEqual(['fakturaunderlag', 'kreditunderlag']);
    expect(new Set(await listed())).toEqual(new Set(ids([...invoices, ...credits])));
    expect(await years()).toEqual([2025, 2024, 2023]);
    expect((await download(credits[1] as InvoiceDocument)).status).toBe(200);
  });

  it("answers 404 for another clinic's customer and changes nothing there", async () => {
    const otherClinic = await createClinic(portal);

    const response = await admin.request(
      `/api/admin/customers/${otherClinic.customer.id}`,
      patch({ shownDocumentTypes: ['fakturaunderlag'] }),
    );

    expect(response.status).toBe(404);
    expect((await otherClinic.scope.customers.get(otherClinic.customer.id))?.shownDocumentTypes).toBeUndefined();
  });

  it("survives the practice system's update of the company", async () => {
    await choose(['fakturaunderlag']);
    const current = await clinic.scope.customers.get(clinic.customer.id);

    await upsertCustomers(
      { scope: clinic.scope, clock: portal.clock, ids: portal.deps.ids },
      { type: 'system', id: 't' },
      [
        {
          customerNumber: clinic.customer.customerNumber,
          name: 'Åkeriet i Väst AB (nytt namn)',
          orgNumber: current?.orgNumber ?? '',
          addressLines: ['Box 2'],
        },
      ],
    );

    const after = await clinic.scope.customers.get(clinic.customer.id);
    expect(after?.name).toBe('Åkeriet i Väst AB (nytt namn)');
    expect(after?.shownDocumentTypes).toEqual(['fakturaunderlag']);
  });
});
