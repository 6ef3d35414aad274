import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { readAuditEvents } from '../support/audit-events';
import { type ClinicFixture, clientFor, createClinic, createTestPortal } from '../support/test-portal';

const portal = createTestPortal();
let clinic: ClinicFixture;
let otherClinic: ClinicFixture;

beforeAll(async () => {
  [clinic, otherClinic] = await Promise.all([createClinic(portal), createClinic(portal)]);
});

async function loggedIn(fixture: ClinicFixture, who = fixture.contact) {
  const client = clientFor(portal, fixture);
  await client.login(who);
  return client;
}

interface DocumentRow {
  id: string;
  invoiceNumber: string;
  downloaded: boolean;
  lastDownload?: { at: string; contactName: string };
}

describe('the document list of a contact', () => {
  it('shows the published documents of their company, newest first, with Swedish invoice data', async () => {
    const fixture = await createClinic(portal);
    const january = await fixture.addDocument(fixture.customer, { invoiceDate: '2024-01-31' });
    const february = await fixture.addDocument(fixture.customer, { invoiceDate: '2024-02-29' });
    await fixture.addDocument(fixture.customer, { invoiceDate: '2024-03-15', visibility: 'held' });
    await fixture.addDocument(fixture.otherCustomer, { invoiceDate: '2024-03-31' });
    const client = await loggedIn(fixture);

    const response = await client.request(`/api/customers/${fixture.customer.id}/documents`);

    expect(response.status).toBe(200);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    const body = (await response.json()) as { items: DocumentRow[]; nextCursor?: string };
    expect(body.items.map((row) => row.id)).toEqual([february.document.id, january.document.id]);
    expect(body.items[0]).toEqual({
      id: february.document.id,
      invoiceNumber: february.document.invoiceNumber,
      invoiceDate: '2024-02-29',
      periodFrom: '2024-01-01',
      periodTo: '2024-01-31',
      description: 'Fakturering januari',
      amount: 125_000,
      vatAmount: 25_000,
      currency: 'SEK',
      documentType: 'fakturaunderlag',
      sentAt: '2024-01-31T07:00:00.000Z',
      downloaded: false,
    });
    expect(body.nextCursor).toBeUndefined();
  });

  it('pages with a cursor when there are more documents than the limit', async () => {
    const fixture = await createClinic(portal);
    for (const day of ['01', '02', '03'])
      await fixture.addDocument(fixture.customer, { invoiceDate: `2024-06-${day}` });
    const client = await loggedIn(fixture);

    const first = (await (await client.request(`/api/customers/${fixture.customer.id}/documents?limit=2`)).json()) as {
      items: DocumentRow[];
      nextCursor: string;
    };
    const second = (await (
      await client.request(`/api/customers/${fixture.customer.id}/documents?limit=2&cursor=${first.nextCursor}`)
    ).json()) as { items: DocumentRow[]; nextCursor?: string };

    expect(first.items).toHaveLength(2);
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeUndefined();
    expect(new Set([...first.items, ...second.items].map((row) => row.id)).size).toBe(3);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=many', 'limit'],
    ['cursor=bm90LWEtY3Vyc29y', 'cursor'],
  ])('answers 400 for %s, naming %s', async (query, field) => {
    const client = await loggedIn(clinic);

    const response = await client.request(`/api/customers/${clinic.customer.id}/documents?${query}`);

    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain(field);
  });

  it('needs a session', async () => {
    const response = await clientFor(portal, clinic).request(`/api/customers/${clinic.customer.id}/documents`);

    expect(response.status).toBe(401);
  });

  it("gives 404, and nothing else, for another customer's list in the same clinic", async () => {
    await clinic.addDocument(clinic.otherCustomer, { description: 'Hemlig beskrivning' });
    const client = await loggedIn(clinic);

    const response = await client.request(`/api/customers/${clinic.otherCustomer.id}/documents`);

    expect(response.status).toBe(404);
    const text = await response.text();
    expect(text).not.toContain('Hemlig');
    expect(text).not.toContain(clinic.otherCustomer.name);
  });

  it("gives 404 for another clinic's customer, even when the contact uses that clinic's real ids", async () => {
    await otherClinic.addDocument(otherClinic.customer);
    const client = await loggedIn(clinic);

    const response = await client.request(`/api/customers/${otherClinic.customer.id}/documents`);

    expect(response.status).toBe(404);
  });

  it('hides the list of a customer whose portal access the clinic has turned off', async () => {
    const fixture = await createClinic(portal);
    await fixture.addDocument(fixture.customer);
    const client = await loggedIn(fixture);
    await fixture.scope.customers.put({ ...fixture.customer, portalAccess: false });

    const list = await client.request(`/api/customers/${fixture.customer.id}/documents`);
    const me = (await (await client.request('/api/me')).json()) as { customers: unknown[] };

    expect(list.status).toBe(404);
    expect(me.customers).toEqual([]);
  });

  it('answers 404 for ids that are not UUIDs', async () => {
    const client = await loggedIn(clinic);

    const response = await client.request('/api/customers/..%2F..%2Fetc/documents');

    expect(response.status).toBe(404);
  });
});

describe('downloading a document', () => {
  it('audits the download, then returns a 60-second link to exactly the stored PDF with a Swedish file name', async () => {
    const fixture = await createClinic(portal);
    const { document, pdf } = await fixture.addDocument(fixture.customer, {
      invoiceNumber: 'Å-2024-17',
      periodFrom: '2024-02-01',
      periodTo: '2024-02-29',
    });
    const client = await loggedIn(fixture);

    const requestedAt = portal.clock.now().getTime();
    const response = await client.request(`/api/customers/${fixture.customer.id}/documents/${document.id}/download`, {
      method: 'POST',
    });
    const answeredAt = portal.clock.now().getTime();

    expect(response.status).toBe(200);
    const body = (await response.json()) as { url: string; fileName: string; expiresAt: string };
    expect(body.fileName).toBe('Fakturaunderlag_2024-02_Å-2024-17.pdf');
    expect(Date.parse(body.expiresAt)).toBeGreaterThanOrEqual(requestedAt + 60_000);
    expect(Date.parse(body.expiresAt)).toBeLessThanOrEqual(answeredAt + 60_000);
    const file = await fetch(body.url);
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer())).toEqual(Buffer.from(pdf));
    expect(file.headers.get('content-disposition')).toContain(
      "filename*=UTF-8''Fakturaunderlag_2024-02_%C3%85-2024-17.pdf",
    );
    expect(file.headers.get('content-disposition')).toMatch(/^attachment;/u);

    const events = await readAuditEvents(fixture.tenantId, portal.clock.now().toISOString().slice(0, 7));
    expect(events.filter((event) => event.action === 'document.downloaded')).toEqual([
      expect.objectContaining({
        actor: { type: 'contact', id: fixture.contact.contact.id },
        customerId: fixture.customer.id,
        documentId: document.id,
        outcome: 'success',
      }),
    ]);
  });

  it('marks the document as downloaded, by whom, for everyone in the company', async () => {
    const fixture = await createClinic(portal);
    const { document } = await fixture.addDocument(fixture.customer);
    const colleague = await fixture.addContact([fixture.customer]);
    const client = await loggedIn(fixture);
    await client.request(`/api/customers/${fixture.customer.id}/documents/${document.id}/download`, { method: 'POST' });

    const colleagueClient = await loggedIn(fixture, colleague);
    const list = (await (await colleagueClient.request(`/api/customers/${fixture.customer.id}/documents`)).json()) as {
      items: DocumentRow[];
    };

    expect(list.items[0]?.downloaded).toBe(true);
    expect(list.items[0]?.lastDownload?.contactName).toBe(fixture.contact.contact.name);
  });

  it('gives 404 for a document of another customer in the same clinic, and writes no audit event or receipt', async () => {
    const fixture = await createClinic(portal);
    const { document } = await fixture.addDocument(fixture.otherCustomer);
    const client = await loggedIn(fixture);

    const viaOwnCustomer = await client.request(
      `/api/customers/${fixture.customer.id}/documents/${document.id}/download`,
      { method: 'POST' },
    );
    const viaOtherCustomer = await client.request(
      `/api/customers/${fixture.otherCustomer.id}/documents/${document.id}/download`,
      { method: 'POST' },
    );

    expect(viaOwnCustomer.status).toBe(404);
    expect(viaOtherCustomer.status).toBe(404);
    expect(await viaOtherCustomer.text()).not.toContain(document.invoiceNumber);
    const events = await readAuditEvents(fixture.tenantId, portal.clock.now().toISOString().slice(0, 7));
    expect(events.filter((event) => event.action === 'document.downloaded')).toEqual([]);
    expect((await fixture.scope.documents.get(fixture.otherCustomer.id, document.id))?.firstDownload).toBeUndefined();
  });

  it('gives 401 to a session ended elsewhere, and writes no audit event or receipt (its reads overlap the check, its writes wait)', async () => {
    const fixture = await createClinic(portal);
    const { document } = await fixture.addDocument(fixture.customer);
    const ended = await loggedIn(fixture);
    const elsewhere = await loggedIn(fixture);
    expect((await elsewhere.request('/api/me/sessions/revoke-others', { method: 'POST' })).status).toBe(200);

    const response = await ended.request(`/api/customers/${fixture.customer.id}/documents/${document.id}/download`, {
      method: 'POST',
    });

    expect(response.status).toBe(401);
    const body = await response.text();
    expect(body).not.toContain('X-Amz-Signature');
    expect(body).not.toContain(document.invoiceNumber);
    const events = await readAuditEvents(fixture.tenantId, portal.clock.now().toISOString().slice(0, 7));
    expect(events.filter((event) => event.action === 'document.downloaded')).toEqual([]);
    expect((await fixture.scope.documents.get(fixture.customer.id, document.id))?.firstDownload).toBeUndefined();
  });

  it('gives 404 for a document of another clinic', async () => {
    const { document } = await otherClinic.addDocument(otherClinic.customer);
    const client = await loggedIn(clinic);

    const response = await client.request(
      `/api/customers/${otherClinic.customer.id}/documents/${document.id}/download`,
      { method: 'POST' },
    );

    expect(response.status).toBe(404);
  });

  it.each(['held', 'hidden', 'withdrawn', 'superseded'] as const)('gives 404 for a %s document', async (visibility) => {
    const { document } = await clinic.addDocument(clinic.customer, { visibility });
    const client = await loggedIn(clinic);

    const response = await client.request(`/api/customers/${clinic.customer.id}/documents/${document.id}/download`, {
      method: 'POST',
    });

    expect(response.status).toBe(404);
  });

  it('gives 404 for a document id that does not exist', async () => {
    const client = await loggedIn(clinic);

    const response = await client.request(`/api/customers/${clinic.customer.id}/documents/${randomUUID()}/download`, {
      method: 'POST',
    });

    expect(response.status).toBe(404);
  });

  it('refuses a download request from another site', async () => {
    const { document } = await clinic.addDocument(clinic.customer);
    const client = await loggedIn(clinic);

    const response = await client.request(`/api/customers/${clinic.customer.id}/documents/${document.id}/download`, {
      method: 'POST',
      headers: { Origin: 'https://evil.example' },
    });

    expect(response.status).toBe(403);
  });
});
