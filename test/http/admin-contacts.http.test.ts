import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminContactListResponse, AdminContactSummary } from '../../functions/http/admin-api-contract';
import {
  type BankIdSimulator,
  startBankIdSimulator,
} from '../../functions/local/bankid-simulator/start-bankid-simulator';
import { addAdmin, adminClientFor, json } from '../support/admin-fixture';
import { readAuditEvents } from '../support/audit-events';
import { type ClinicFixture, clientFor, createClinic, createTestPortal, type TestPortal } from '../support/test-portal';

/**
 * Issue 6, contact persons: a clinic administrator adds a contact to a customer company (with a personal number for
 * BankID, checked and kept only as a keyed hash and a mask), invites and deactivates them. The portal runs with the
 * BankID simulator, so a contact added here really logs in with BankID.
 */
let simulator: BankIdSimulator;
let portal: TestPortal;
let clinic: ClinicFixture;
let admin: ReturnType<typeof adminClientFor>;

/** Skatteverket test numbers not used by other fixtures. */
const PERSONAL_NUMBER = '198112289874';
const OTHER_PERSONAL_NUMBER = '191212121212';

beforeAll(async () => {
  const shared = { now: () => portal.clock.now() };
  simulator = await startBankIdSimulator({ clock: shared });
  portal = createTestPortal({ bankIdSimulator: simulator });
  clinic = await createClinic(portal);
  admin = adminClientFor(portal, clinic);
  await admin.login(await addAdmin(portal, clinic));
});

afterAll(async () => {
  await simulator?.stop();
});

const uniqueEmail = () => `ny.kontakt.${randomUUID().slice(0, 8)}@kund.example`;

async function add(body: Record<string, unknown>, client = admin) {
  const response = await client.request('/api/admin/contacts', json(body));
  return {
    status: response.status,
    body: (await response.json()) as AdminContactSummary & { error?: { code: string; details?: unknown } },
  };
}

async function contactsOf(customerId: string, client = admin): Promise<AdminContactSummary[]> {
  const response = await client.request(`/api/admin/customers/${customerId}/contacts`);
  expect(response.status).toBe(200);
  return [...((await response.json()) as AdminContactListResponse).contacts];
}

async function auditOf(action: string) {
  const events = await readAuditEvents(clinic.tenantId, portal.clock.now().toISOString().slice(0, 7));
  return events.filter((event) => event.action === action);
}

describe("a customer company's contact persons", () => {
  it('lists the contacts of a customer by name, with status, their companies and no personal number', async () => {
    const contacts = await contactsOf(clinic.customer.id);

    expect(contacts).toEqual([
      {
        id: clinic.contact.contact.id,
        name: clinic.contact.contact.name,
        email: clinic.contact.contact.email,
        status: 'active',
        customers: [{ id: clinic.customer.id, name: clinic.customer.name }],
      },
    ]);
  });

  it('adds a contact with a personal number who then logs in with BankID; the number is kept only masked', async () => {
    const email = uniqueEmail();

    const added = await add({
      customerId: clinic.customer.id,
      name: 'Nils Nyberg',
      email,
      personalNumber: '19811228-9874',
    });

    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({
      name: 'Nils Nyberg',
      email,
      status: 'active',
      maskedPersonalNumber: '19811228-****',
    });
    expect((await contactsOf(clinic.customer.id)).map((contact) => contact.id)).toContain(added.body.id);

    // BankID: the simulator plays Nils's phone; the login reaches the contact just added.
    const browser = clientFor(portal, clinic);
    const start = await browser.request('/api/auth/bankid', json({ method: 'qr' }));
    const started = (await start.json()) as { loginId: string; qrData: string };
    const { orderRef } = simulator.control.scanQr(started.qrData, {
      personalNumber: PERSONAL_NUMBER,
      givenName: 'Nils',
      surname: 'Nyberg',
    });
    simulator.control.approve(orderRef);
    const done = await browser.request(`/api/auth/bankid/${started.loginId}/collect`, { method: 'POST' });
    expect(await done.json()).toMatchObject({ status: 'complete', profile: { contact: { id: added.body.id } } });

    const [created] = (await auditOf('contact.created')).filter((event) => event.details?.contactId === added.body.id);
    expect(created).toMatchObject({
      actor: { type: 'admin' },
      customerId: clinic.customer.id,
      details: { bankId: 'yes' },
    });
    expect(JSON.stringify(created)).not.toContain('9874');
    expect(JSON.stringify(created)).not.toContain(email);
  });

  it('refuses a wrong personal number, a taken one, a taken address and an unknown customer, creating nobody', async () => {
    const before = await contactsOf(clinic.customer.id);
    const first = await add({
      customerId: clinic.customer.id,
      name: 'Först',
      email: uniqueEmail(),
      personalNumber: OTHER_PERSONAL_NUMBER,
    });

    const wrongDigit = await add({
      customerId: clinic.customer.id,
      name: 'Fel',
      email: uniqueEmail(),
      personalNumber: '191212121213',
    });
    const taken = await add({
      customerId: clinic.customer.id,
      name: 'Dubbel',
      email: uniqueEmail(),
      personalNumber: OTHER_PERSONAL_NUMBER,
    });
    const takenEmail = await add({
      customerId: clinic.customer.id,
      name: 'Samma adress',
      email: clinic.contact.username,
    });
    const badEmail = await add({ customerId: clinic.customer.id, name: 'Ingen adress', email: 'inte-en-adress' });
    const unknownCustomer = await add({ customerId: randomUUID(), name: 'Ingen kund', email: uniqueEmail() });

    expect(first.status).toBe(201);
    expect(wrongDigit.status).toBe(400);
    expect(wrongDigit.body.error).toMatchObject({
      code: 'validation_failed',
      details: { fields: { personalNumber: expect.stringContaining('check digit') } },
    });
    expect(JSON.stringify(wrongDigit.body)).not.toContain('191212121213');
    expect(taken.status).toBe(409);
    expect(taken.body.error?.code).toBe('personal_number_in_use');
    expect(takenEmail.status).toBe(409);
    expect(takenEmail.body.error?.code).toBe('email_in_use');
    expect(badEmail.status).toBe(400);
    expect(unknownCustomer.status).toBe(404);
    expect((await contactsOf(clinic.customer.id)).length).toBe(before.length + 1);
  });

  it('invites a contact by mail, and deactivating one ends their open session at once', async () => {
    const fixture = await createClinic(portal);
    const fixtureAdmin = adminClientFor(portal, fixture);
    await fixtureAdmin.login(await addAdmin(portal, fixture));
    const email = uniqueEmail();
    const added = await add({ customerId: fixture.customer.id, name: 'Ida Inbjuden', email }, fixtureAdmin);

    const invited = await fixtureAdmin.request(`/api/admin/contacts/${added.body.id}/invitation`, { method: 'POST' });

    expect(invited.status).toBe(200);
    expect(await invited.json()).toMatchObject({ sentTo: email });
    const [mail] = (await portal.mailSink.list()).filter((each) => each.to.address === email);
    expect(mail).toMatchObject({ kind: 'contact-invitation', to: { name: 'Ida Inbjuden' } });

    const open = clientFor(portal, fixture);
    await open.login(fixture.contact);
    const deactivated = await fixtureAdmin.request(`/api/admin/contacts/${fixture.contact.contact.id}/deactivate`, {
      method: 'POST',
    });

    expect(deactivated.status).toBe(200);
    expect(await deactivated.json()).toMatchObject({ status: 'deactivated' });
    expect((await open.request('/api/me')).status).toBe(401);
    expect(
      (await contactsOf(fixture.customer.id, fixtureAdmin)).find((c) => c.id === fixture.contact.contact.id)?.status,
    ).toBe('deactivated');
  });

  it("answers 404 for another clinic's customer and contact ids, and refuses contacts' sessions", async () => {
    const other = await createClinic(portal);
    const contactSession = clientFor(portal, clinic);
    await contactSession.login(clinic.contact);

    const answers = await Promise.all([
      admin.request(`/api/admin/customers/${other.customer.id}/contacts`),
      admin.request('/api/admin/contacts', json({ customerId: other.customer.id, name: 'X', email: uniqueEmail() })),
      admin.request(`/api/admin/contacts/${other.contact.contact.id}/invitation`, { method: 'POST' }),
      admin.request(`/api/admin/contacts/${other.contact.contact.id}/deactivate`, { method: 'POST' }),
      contactSession.request(`/api/admin/customers/${clinic.customer.id}/contacts`),
    ]);

    expect(answers.map((answer) => answer.status)).toEqual([404, 404, 404, 404, 401]);
    expect((await other.scope.contacts.get(other.contact.contact.id))?.status).toBe('active');
  });
});

describe('without BankID configured', () => {
  it('refuses a personal number with 503 bankid_unavailable, and adds the contact without one', async () => {
    const plain = createTestPortal();
    const fixture = await createClinic(plain);
    const client = adminClientFor(plain, fixture);
    await client.login(await addAdmin(plain, fixture));

    const withNumber = await client.request(
      '/api/admin/contacts',
      json({ customerId: fixture.customer.id, name: 'Bo', email: uniqueEmail(), personalNumber: PERSONAL_NUMBER }),
    );
    const without = await client.request(
      '/api/admin/contacts',
      json({ customerId: fixture.customer.id, name: 'Bo', email: uniqueEmail() }),
    );

    expect(withNumber.status).toBe(503);
    expect(await withNumber.json()).toMatchObject({ error: { code: 'bankid_unavailable' } });
    expect(without.status).toBe(201);
  });
});
