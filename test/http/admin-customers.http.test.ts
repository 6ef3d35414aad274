import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type {
  AdminCustomerListResponse,
  AdminDocumentDownloadsResponse,
  AdminDocumentPageResponse,
  AdminDocumentSummary,
} from '../../functions/http/admin-api-contract';
import { addAdmin, adminClientFor, json } from '../support/admin-fixture';
import { readAuditEvents } from '../support/audit-events';
import { ingestClient, invoiceBasisBody } from '../support/ingest-client';
import { type ClinicFixture, clientFor, createClinic, createTestPortal } from '../support/test-portal';

/**
 * Issue 6, who sees what: a clinic administrator turns customers' portal access on and off and publishes or hides
 * documents, and contacts see exactly that at once. Every change is an audit event; other clinics' ids are not found.
 */
const portal = createTestPortal();
let clinic: ClinicFixture;
let otherClinic: ClinicFixture;
let admin: ReturnType<typeof adminClientFor>;

beforeAll(async () => {
  [clinic, otherClinic] = await Promise.all([createClinic(portal), createClinic(portal)]);
  admin = adminClientFor(portal, clinic);
  await admin.login(await addAdmin(portal, clinic));
});

const put = (body: unknown) => json(body, { method: 'PUT' });
const patch = (body: unknown) => json(body, { method: 'PATCH' });

async function contactSees(fixture: ClinicFixture, customerId = fixture.customer.id) {
  const client = clientFor(portal, fixture);
  await client.login(fixture.contact);
  const list = await client.request(`/api/customers/${customerId}/documents`);
  const items = list.status === 200 ? ((await list.json()) as { items: { id: string }[] }).items : [];
  return { status: list.status, ids: items.map((item) => item.id), client };
}

async function auditOf(fixture: ClinicFixture, action: string) {
  const events = await readAuditEvents(fixture.tenantId, portal.clock.now().toISOString().slice(0, 7));
  return events.filter((event) => event.action === action);
}

describe("the clinic's customers", () => {
  it('lists every customer of the clinic with its portal access, and nothing of other clinics', async () => {
    const response = await admin.request('/api/admin/customers');

    expect(response.status).toBe(200);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    const { customers } = (await response.json()) as AdminCustomerListResponse;
    expect(customers).toEqual([
      {
        id: clinic.customer.id,
        name: clinic.customer.name,
        customerNumber: clinic.customer.customerNumber,
        orgNumber: clinic.customer.orgNumber,
        portalAccess: true,
        publishing: 'automatic',
        shownDocumentTypes: ['fakturaunderlag', 'kreditunderlag'],
      },
      expect.objectContaining({ id: clinic.otherCustomer.id }),
    ]);
    expect(JSON.stringify(customers)).not.toContain(otherClinic.customer.id);
  });

  it("turning portal access off shows the company's contacts nothing at once; on again, their list is back", async () => {
    const fixture = await createClinic(portal);
    const { document } = await fixture.addDocument(fixture.customer);
    const fixtureAdmin = adminClientFor(portal, fixture);
    const who = await addAdmin(portal, fixture);
    await fixtureAdmin.login(who);
    const before = await contactSees(fixture);

    const off = await fixtureAdmin.request(
      `/api/admin/customers/${fixture.customer.id}`,
      patch({ portalAccess: false }),
    );
    const whileOff = await before.client.request(`/api/customers/${fixture.customer.id}/documents`);
    const downloadWhileOff = await before.client.request(
      `/api/customers/${fixture.customer.id}/documents/${document.id}/download`,
      { method: 'POST' },
    );
    const on = await fixtureAdmin.request(`/api/admin/customers/${fixture.customer.id}`, patch({ portalAccess: true }));

    expect(before).toMatchObject({ status: 200, ids: [document.id] });
    expect(off.status).toBe(200);
    expect(await off.json()).toMatchObject({ id: fixture.customer.id, portalAccess: false });
    expect(whileOff.status).toBe(404);
    expect(downloadWhileOff.status).toBe(404);
    expect(on.status).toBe(200);
    expect((await contactSees(fixture)).ids).toEqual([document.id]);
    expect(await auditOf(fixture, 'customer.access_revoked')).toMatchObject([
      { actor: { type: 'admin', id: who.admin.id }, customerId: fixture.customer.id, outcome: 'success' },
    ]);
    expect(await auditOf(fixture, 'customer.access_granted')).toHaveLength(1);
  });

  it('writes no audit event for a change that changes nothing, and names a bad body', async () => {
    const fixture = await createClinic(portal);
    const fixtureAdmin = adminClientFor(portal, fixture);
    await fixtureAdmin.login(await addAdmin(portal, fixture));

    const same = await fixtureAdmin.request(
      `/api/admin/customers/${fixture.customer.id}`,
      patch({ portalAccess: true }),
    );
    const bad = await fixtureAdmin.request(
      `/api/admin/customers/${fixture.customer.id}`,
      patch({ portalAccess: 'ja' }),
    );

    expect(same.status).toBe(200);
    expect(await auditOf(fixture, 'customer.access_granted')).toEqual([]);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: { code: 'validation_failed', details: { fields: { portalAccess: expect.any(String) } } },
    });
  });
});

describe("a customer's documents, as the clinic sees them", () => {
  it('lists every document with its state, visibility and receipts, and who downloaded each', async () => {
    const fixture = await createClinic(portal);
    const fixtureAdmin = adminClientFor(portal, fixture);
    await fixtureAdmin.login(await addAdmin(portal, fixture));
    const shown = await fixture.addDocument(fixture.customer, { invoiceDate: '2024-02-29' });
    const held = await fixture.addDocument(fixture.customer, { invoiceDate: '2024-03-31', visibility: 'held' });
    const contact = await contactSees(fixture);
    await contact.client.request(`/api/customers/${fixture.customer.id}/documents/${shown.document.id}/download`, {
      method: 'POST',
    });

    const list = await fixtureAdmin.request(`/api/admin/customers/${fixture.customer.id}/documents`);
    const downloads = await fixtureAdmin.request(
      `/api/admin/customers/${fixture.customer.id}/documents/${shown.document.id}/downloads`,
    );

    expect(list.status).toBe(200);
    const body = (await list.json()) as AdminDocumentPageResponse;
    expect(body.customer.id).toBe(fixture.customer.id);
    expect(body.items.map((item) => [item.id, item.visibility, item.visibleToContacts])).toEqual([
      [held.document.id, 'held', false],
      [shown.document.id, 'published', true],
    ]);
    expect(body.items[1]).toMatchObject({
      status: 'ready',
      contentSha256: shown.document.contentSha256,
      firstDownload: { contactName: fixture.contact.contact.name },
    });
    expect(((await downloads.json()) as AdminDocumentDownloadsResponse).downloads).toEqual([
      { at: expect.any(String), contactName: fixture.contact.contact.name },
    ]);
  });

  it("publishing a held document shows it to the company's contacts; hiding it takes it away, download included", async () => {
    const fixture = await createClinic(portal);
    const fixtureAdmin = adminClientFor(portal, fixture);
    const who = await addAdmin(portal, fixture);
    await fixtureAdmin.login(who);
    const { document } = await fixture.addDocument(fixture.customer, { visibility: 'held' });
    const path = `/api/admin/customers/${fixture.customer.id}/documents/${document.id}/visibility`;
    const before = await contactSees(fixture);

    const published = await fixtureAdmin.request(path, put({ visibility: 'published' }));
    const whilePublished = await contactSees(fixture);
    const hidden = await fixtureAdmin.request(path, put({ visibility: 'hidden' }));
    const afterHiding = await contactSees(fixture);
    const download = await afterHiding.client.request(
      `/api/customers/${fixture.customer.id}/documents/${document.id}/download`,
      { method: 'POST' },
    );

    expect(before.ids).toEqual([]);
    expect(published.status).toBe(200);
    expect(((await published.json()) as AdminDocumentSummary).visibleToContacts).toBe(true);
    expect(whilePublished.ids).toEqual([document.id]);
    expect(hidden.status).toBe(200);
    expect(afterHiding.ids).toEqual([]);
    expect(download.status).toBe(404);
    expect(
      (await auditOf(fixture, 'document.visibility_changed')).map((event) => [event.actor, event.details]),
    ).toEqual(
      expect.arrayContaining([
        [
          { type: 'admin', id: who.admin.id },
          { from: 'held', to: 'published' },
        ],
        [
          { type: 'admin', id: who.admin.id },
          { from: 'published', to: 'hidden' },
        ],
      ]),
    );
  });

  it('refuses to show a withdrawn document again, naming why, and changes nothing', async () => {
    const fixture = await createClinic(portal);
    const fixtureAdmin = adminClientFor(portal, fixture);
    await fixtureAdmin.login(await addAdmin(portal, fixture));
    const { document } = await fixture.addDocument(fixture.customer);
    await fixture.scope.documents.withdraw(fixture.customer.id, document.id, {
      at: portal.clock.now().toISOString(),
      reason: 'Fel kund',
    });

    const response = await fixtureAdmin.request(
      `/api/admin/customers/${fixture.customer.id}/documents/${document.id}/visibility`,
      put({ visibility: 'published' }),
    );

    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ error: { code: 'document_withdrawn' } });
    expect((await contactSees(fixture)).ids).toEqual([]);
    expect(await auditOf(fixture, 'document.visibility_changed')).toEqual([]);
  });
});

describe('withdrawing a document', () => {
  it('takes it away from the contacts for good, keeps the reason, and says why it cannot be shown again', async () => {
    const fixture = await createClinic(portal);
    const fixtureAdmin = adminClientFor(portal, fixture);
    const who = await addAdmin(portal, fixture);
    await fixtureAdmin.login(who);
    const { document } = await fixture.addDocument(fixture.customer);
    const base = `/api/admin/customers/${fixture.customer.id}/documents/${document.id}`;

    const noReason = await fixtureAdmin.request(`${base}/withdraw`, json({ reason: '  ' }));
    const wrongCustomer = await fixtureAdmin.request(
      `/api/admin/customers/${fixture.otherCustomer.id}/documents/${document.id}/withdraw`,
      json({ reason: 'Fel kund' }),
    );
    const withdrawn = await fixtureAdmin.request(`${base}/withdraw`, json({ reason: 'Skickat till fel kund' }));
    const showAgain = await fixtureAdmin.request(`${base}/visibility`, put({ visibility: 'published' }));

    expect(noReason.status).toBe(400);
    expect(wrongCustomer.status).toBe(404);
    expect(withdrawn.status).toBe(200);
    expect(await withdrawn.json()).toMatchObject({
      visibility: 'withdrawn',
      visibleToContacts: false,
      withdrawal: { reason: 'Skickat till fel kund' },
    });
    expect((await contactSees(fixture)).ids).toEqual([]);
    expect(showAgain.status).toBe(409);
    expect(await auditOf(fixture, 'document.withdrawn')).toMatchObject([
      {
        actor: { type: 'admin', id: who.admin.id },
        documentId: document.id,
        details: { reason: 'Skickat till fel kund' },
      },
    ]);
  });
});

describe('publishing after approval', () => {
  it('holds what the practice system sends for a customer set to approval, until the clinic publishes it', async () => {
    const fixture = await createClinic(portal);
    const fixtureAdmin = adminClientFor(portal, fixture);
    await fixtureAdmin.login(await addAdmin(portal, fixture));
    const ingest = await ingestClient(portal, fixture);
    const customerPath = `/api/admin/customers/${fixture.customer.id}`;

    const set = await fixtureAdmin.request(customerPath, patch({ publishing: 'approval' }));
    const sent = await ingest.request('/invoice-bases', { body: invoiceBasisBody(fixture.customer.customerNumber) });
    await portal.renderQueue.idle();
    const whileHeld = await contactSees(fixture);
    const adminView = (await (
      await fixtureAdmin.request(`${customerPath}/documents`)
    ).json()) as AdminDocumentPageResponse;
    const published = await fixtureAdmin.request(`${customerPath}/documents/publish-held`, { method: 'POST' });
    const afterPublishing = await contactSees(fixture);
    const again = await fixtureAdmin.request(`${customerPath}/documents/publish-held`, { method: 'POST' });

    expect(set.status).toBe(200);
    expect(await set.json()).toMatchObject({ publishing: 'approval', portalAccess: true });
    expect(sent.status).toBe(202);
    expect(whileHeld.ids).toEqual([]);
    expect(adminView.items).toMatchObject([{ status: 'ready', visibility: 'held', visibleToContacts: false }]);
    expect(await published.json()).toEqual({ published: 1 });
    expect(afterPublishing.ids).toEqual([adminView.items[0]?.id]);
    expect(await again.json()).toEqual({ published: 0 });
    expect(await auditOf(fixture, 'customer.publishing_changed')).toMatchObject([
      { customerId: fixture.customer.id, details: { from: 'automatic', to: 'approval' } },
    ]);
    expect(await auditOf(fixture, 'document.visibility_changed')).toMatchObject([
      { documentId: adminView.items[0]?.id, details: { from: 'held', to: 'published' } },
    ]);
  });

  it('keeps the rule when the practice system updates the customer, and refuses an empty or unknown change', async () => {
    const fixture = await createClinic(portal);
    const fixtureAdmin = adminClientFor(portal, fixture);
    await fixtureAdmin.login(await addAdmin(portal, fixture));
    const ingest = await ingestClient(portal, fixture);
    await fixtureAdmin.request(
      `/api/admin/customers/${fixture.customer.id}`,
      patch({ publishing: 'approval', portalAccess: false }),
    );

    const update = await ingest.request('/customers', {
      method: 'PUT',
      body: {
        customers: [
          {
            customerNumber: fixture.customer.customerNumber,
            name: 'Åkeriet i Väst Aktiebolag',
            organisationNumber: '5567348122',
            addressLines: ['Box 2'],
          },
        ],
      },
    });
    const empty = await fixtureAdmin.request(`/api/admin/customers/${fixture.customer.id}`, patch({}));
    const unknown = await fixtureAdmin.request(
      `/api/admin/customers/${fixture.customer.id}`,
      patch({ publishing: 'sometimes' }),
    );

    expect(update.status).toBe(200);
    expect(await fixture.scope.customers.get(fixture.customer.id)).toMatchObject({
      name: 'Åkeriet i Väst Aktiebolag',
      publishing: 'approval',
      portalAccess: false,
    });
    expect(empty.status).toBe(400);
    expect(unknown.status).toBe(400);
  });
});

describe('who may use these routes', () => {
  it("answers 404 for another clinic's customer and document ids, and changes nothing there", async () => {
    const { document } = await otherClinic.addDocument(otherClinic.customer, { visibility: 'held' });
    const base = `/api/admin/customers/${otherClinic.customer.id}`;

    const answers = await Promise.all([
      admin.request(`${base}/documents`),
      admin.request(`${base}/documents/${document.id}/downloads`),
      admin.request(`${base}/documents/${document.id}/visibility`, put({ visibility: 'published' })),
      admin.request(base, patch({ portalAccess: false })),
      admin.request(`/api/admin/customers/${randomUUID()}/documents`),
      admin.request('/api/admin/customers/not-a-uuid/documents'),
    ]);

    expect(answers.map((answer) => answer.status)).toEqual([404, 404, 404, 404, 404, 404]);
    for (const answer of answers) expect(await answer.text()).not.toContain(otherClinic.customer.name);
    expect((await otherClinic.scope.documents.get(otherClinic.customer.id, document.id))?.visibility).toBe('held');
    expect((await otherClinic.scope.customers.get(otherClinic.customer.id))?.portalAccess).toBe(true);
  });

  it('refuses a contact session, no session, and a write from another site', async () => {
    const contact = await contactSees(clinic);

    const asContact = await contact.client.request('/api/admin/customers');
    const anonymous = await clientFor(portal, clinic).request('/api/admin/customers');
    const crossSite = await admin.request(`/api/admin/customers/${clinic.customer.id}`, {
      ...patch({ portalAccess: false }),
      headers: { 'Content-Type': 'application/json', Origin: 'https://evil.example' },
    });

    expect(asContact.status).toBe(401);
    expect(anonymous.status).toBe(401);
    expect(crossSite.status).toBe(403);
    expect((await clinic.scope.customers.get(clinic.customer.id))?.portalAccess).toBe(true);
  });
});
