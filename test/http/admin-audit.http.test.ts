import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../functions/adapters/dynamodb/keys';
import type { InvoiceDocument } from '../../functions/domain/document';
import type { AdminAuditPageResponse, AdminAuditVerificationResponse } from '../../functions/http/admin-api-contract';
import { anchorAuditTrail } from '../../functions/use-cases/audit-trail';
import { type AdminFixture, addAdmin, adminClientFor } from '../support/admin-fixture';
import { emulatorTable } from '../support/emulator-table';
import { type ClinicFixture, clientFor, createClinic, createTestPortal } from '../support/test-portal';

/**
 * Issue 6, the audit trail: a clinic's administrators read and filter every event of their clinic, export it as CSV,
 * and verify its hash chain, which names the one event someone altered in the table.
 */
const portal = createTestPortal();
let clinic: ClinicFixture;
let who: AdminFixture;
let admin: ReturnType<typeof adminClientFor>;
let downloaded: InvoiceDocument;
const today = () => portal.clock.now().toISOString().slice(0, 10);

beforeAll(async () => {
  clinic = await createClinic(portal);
  who = await addAdmin(portal, clinic);
  admin = adminClientFor(portal, clinic);
  await admin.login(who);
  // Some life in the clinic: a contact logs in and downloads a document.
  ({ document: downloaded } = await clinic.addDocument(clinic.customer));
  const document = downloaded;
  const contact = clientFor(portal, clinic);
  await contact.login(clinic.contact);
  await contact.request(`/api/customers/${clinic.customer.id}/documents/${document.id}/download`, { method: 'POST' });
});

async function page(query = ''): Promise<AdminAuditPageResponse> {
  const response = await admin.request(`/api/admin/audit${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as AdminAuditPageResponse;
}

describe("the clinic's audit trail", () => {
  it('lists the events newest first with names, and filters them by type, actor and customer', async () => {
    const all = await page();
    const downloads = await page(`?action=document.downloaded&customer=${clinic.customer.id}`);
    const byAdmin = await page(`?actor=${who.admin.id}`);

    expect(all.items.map((event) => event.action)).toEqual(
      expect.arrayContaining(['login.password', 'document.downloaded', 'admin.login.password', 'admin.login.totp']),
    );
    expect([...all.items].map((event) => event.at)).toEqual(
      [...all.items]
        .map((event) => event.at)
        .sort()
        .reverse(),
    );
    expect(downloads.items).toEqual([
      expect.objectContaining({
        action: 'document.downloaded',
        actor: { type: 'contact', id: clinic.contact.contact.id, name: clinic.contact.contact.name },
        customerName: clinic.customer.name,
      }),
    ]);
    expect(byAdmin.items.every((event) => event.actor.id === who.admin.id)).toBe(true);
    expect(byAdmin.items[0]?.actor.name).toBe(who.admin.name);
  });

  it("filters by document, and names each event's document by its invoice number", async () => {
    // Arrange: another document, downloaded by nobody, so the filter has something to leave out
    await clinic.addDocument(clinic.customer);

    // Act
    const ofDocument = await page(`?document=${downloaded.id}`);

    // Assert
    expect(ofDocument.items.length).toBeGreaterThan(0);
    expect(ofDocument.items.every((event) => event.documentId === downloaded.id)).toBe(true);
    expect(ofDocument.items).toContainEqual(
      expect.objectContaining({ action: 'document.downloaded', invoiceNumber: downloaded.invoiceNumber }),
    );
  });

  it('names the person an administrator acted on, not only the administrator', async () => {
    // Arrange
    const subject = await clinic.addContact([clinic.otherCustomer]);
    const deactivated = await admin.request(`/api/admin/contacts/${subject.contact.id}/deactivate`, {
      method: 'POST',
    });
    expect(deactivated.status).toBe(200);

    // Act
    const events = await page('?action=contact.deactivated');

    // Assert
    expect(events.items).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({ type: 'admin', id: who.admin.id, name: who.admin.name }),
        subjectName: subject.contact.name,
      }),
    ]);
  });

  it('names a bad filter, and shows nothing of another clinic', async () => {
    const other = await createClinic(portal);
    const otherContact = clientFor(portal, other);
    await otherContact.login(other.contact);

    const bad = await admin.request('/api/admin/audit?from=2024-13-01');
    const reversed = await admin.request(`/api/admin/audit?from=${today()}&to=2020-01-01`);
    const tooLong = await admin.request('/api/admin/audit?from=2020-01-01&to=2024-01-01');
    const unknownKind = await admin.request('/api/admin/audit?action=document.stolen');
    const theirs = await page(`?actor=${other.contact.contact.id}`);

    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { details: { fields: { from: expect.any(String) } } } });
    expect(reversed.status).toBe(400);
    expect(tooLong.status).toBe(400);
    expect(unknownKind.status).toBe(400);
    expect(await unknownKind.json()).toMatchObject({
      error: { details: { fields: { action: 'must be a kind of event the portal records' } } },
    });
    expect(theirs.items).toEqual([]);
  });

  it('exports the span as a CSV file a spreadsheet opens safely, and records the export', async () => {
    await clinic.scope.audit.append({
      id: randomUUID(),
      at: portal.clock.now().toISOString(),
      action: 'api_key.created',
      // An operator's name is whatever they typed after --by: here, a formula.
      actor: { type: 'operator', id: '=HYPERLINK("http://evil.example")' },
      outcome: 'success',
      details: { reason: 'Byte av "nyckel", steg 1' },
    });

    const response = await admin.request(`/api/admin/audit.csv?from=${today()}&to=${today()}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    // `ignoreBOM` keeps the byte-order mark in the text, where the test can see it (a plain decode drops it).
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    const [header, ...rows] = text
      .replace(/^\ufeff/u, '')
      .trim()
      .split('\r\n');

    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('Content-Disposition')).toBe(
      `attachment; filename="Handelselogg_${today()}_${today()}.csv"`,
    );
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(text.startsWith('\ufeff')).toBe(true);
    expect(header).toBe('time_utc,action,outcome,actor_type,actor_id,customer_id,document_id,source_ip,details');
    expect(
      rows.some((row) =>
        row.includes(`,document.downloaded,success,contact,${clinic.contact.contact.id},${clinic.customer.id},`),
      ),
    ).toBe(true);
    // The formula arrives as text: prefixed with an apostrophe, and quoted for its quotes; so are quotes in details.
    const operatorRow = rows.find((row) => row.includes('api_key.created')) ?? '';
    expect(operatorRow).toContain(`,operator,"'=HYPERLINK(""http://evil.example"")",`);
    expect(operatorRow.endsWith(`,"reason=Byte av ""nyckel"", steg 1"`)).toBe(true);
    const exported = await page('?action=audit.exported');
    expect(exported.items[0]).toMatchObject({
      actor: { type: 'admin', id: who.admin.id },
      details: { from: today(), to: today() },
    });
  });

  it('says how far the chain is anchored in write-once storage once the audit sealer has run', async () => {
    // Arrange
    const before = (await (
      await admin.request('/api/admin/audit/verification', { method: 'POST' })
    ).json()) as AdminAuditVerificationResponse;

    // Act: the sealer's round for this clinic (functions/lambda/audit-sealer.ts)
    const { anchored } = await anchorAuditTrail(clinic.scope, portal.clock);
    const after = (await (
      await admin.request('/api/admin/audit/verification', { method: 'POST' })
    ).json()) as AdminAuditVerificationResponse;

    // Assert
    expect(before.anchoredUpTo).toBeUndefined();
    expect(anchored?.index).toBeGreaterThan(0);
    expect(after).toMatchObject({ intact: true, anchoredUpTo: anchored?.index });
  });

  it('verifies the chain; after one stored event is altered, verification names exactly that event', async () => {
    const first = await admin.request('/api/admin/audit/verification', { method: 'POST' });
    const intact = (await first.json()) as AdminAuditVerificationResponse;
    const [, , third] = await clinic.scope.audit.chain(1, 3);
    if (!third?.event) throw new Error('The clinic has fewer than three chained events.');

    await emulatorTable().update(keys.auditEvent(clinic.tenantId, third.event.at, third.event.id), {
      expression: 'SET sourceIp = :ip',
      values: { ':ip': '203.0.113.66' },
    });
    const after = (await (
      await admin.request('/api/admin/audit/verification', { method: 'POST' })
    ).json()) as AdminAuditVerificationResponse;

    expect(first.status).toBe(200);
    expect(intact).toMatchObject({ intact: true });
    expect(intact.verified).toBeGreaterThanOrEqual(3);
    expect(after).toMatchObject({
      intact: false,
      verified: 2,
      broken: { index: 3, eventId: third.event.id, reason: 'altered' },
    });
  });

  it("refuses a contact's session and no session", async () => {
    const contact = clientFor(portal, clinic);
    await contact.login(clinic.contact);

    expect((await contact.request('/api/admin/audit')).status).toBe(401);
    expect((await clientFor(portal, clinic).request('/api/admin/audit.csv')).status).toBe(401);
  });
});
