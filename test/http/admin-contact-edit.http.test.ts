import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminContactSummary } from '../../functions/http/admin-api-contract';
import {
  type BankIdSimulator,
  startBankIdSimulator,
} from '../../functions/local/bankid-simulator/start-bankid-simulator';
import { addAdmin, adminClientFor, json } from '../support/admin-fixture';
import { readAuditEvents } from '../support/audit-events';
import { type ClinicFixture, clientFor, createClinic, createTestPortal, type TestPortal } from '../support/test-portal';

/**
 * Issue 6, editing a contact person: name, e-mail address (the password login moves with it), personal number for
 * BankID (set, replaced, removed: the BankID login moves with it) and the customer companies they belong to — all
 * checked before anything is written and written in one transaction, audited before/after, and felt by the contact
 * at their next request. Every test has a clinic of its own.
 */
let simulator: BankIdSimulator;
let portal: TestPortal;

/** Skatteverket test numbers not used by the other test files' contacts. */
const FIRST_NUMBER = '189001019802';
const SECOND_NUMBER = '190001029875';
const THIRD_NUMBER = '201701012393';

beforeAll(async () => {
  const shared = { now: () => portal.clock.now() };
  simulator = await startBankIdSimulator({ clock: shared });
  portal = createTestPortal({ bankIdSimulator: simulator });
});

afterAll(async () => {
  await simulator?.stop();
});

const patch = (body: unknown) => json(body, { method: 'PATCH' });

async function clinicWithAdmin() {
  const clinic = await createClinic(portal);
  const admin = adminClientFor(portal, clinic);
  await admin.login(await addAdmin(portal, clinic));
  const edit = async (contactId: string, body: unknown) => {
    const response = await admin.request(`/api/admin/contacts/${contactId}`, patch(body));
    return {
      status: response.status,
      body: (await response.json()) as AdminContactSummary & {
        error?: { code: string; message: string; details?: unknown };
      },
    };
  };
  return { clinic, admin, edit };
}

/** Logs in with BankID through the simulator; the contact id the login reached, or the status it ended with. */
async function bankIdLogin(clinic: ClinicFixture, personalNumber: string): Promise<string> {
  const browser = clientFor(portal, clinic);
  const start = await browser.request('/api/auth/bankid', json({ method: 'qr' }));
  const started = (await start.json()) as { loginId: string; qrData: string };
  const { orderRef } = simulator.control.scanQr(started.qrData, { personalNumber, givenName: 'Test', surname: 'Test' });
  simulator.control.approve(orderRef);
  const done = await browser.request(`/api/auth/bankid/${started.loginId}/collect`, { method: 'POST' });
  const body = (await done.json()) as { status: string; profile?: { contact: { id: string } } };
  return body.profile?.contact.id ?? body.status;
}

async function passwordLogin(clinic: ClinicFixture, username: string, password: string): Promise<number> {
  const response = await clientFor(portal, clinic).request('/api/auth/login', json({ username, password }));
  return response.status;
}

async function auditOf(clinic: ClinicFixture, action: string) {
  const events = await readAuditEvents(clinic.tenantId, portal.clock.now().toISOString().slice(0, 7));
  return events.filter((event) => event.action === action);
}

describe('PATCH /api/admin/contacts/:contactId', () => {
  it('renames a contact and moves their password login to the new address: same password, old address refused', async () => {
    const { clinic, edit } = await clinicWithAdmin();
    const who = clinic.contact;
    const newEmail = `nytt.namn.${randomUUID().slice(0, 8)}@kund.example`;

    const edited = await edit(who.contact.id, { name: 'Anna Nyman', email: newEmail.toUpperCase() });

    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ id: who.contact.id, name: 'Anna Nyman', email: newEmail, status: 'active' });
    expect(await passwordLogin(clinic, newEmail, who.password)).toBe(200);
    expect(await passwordLogin(clinic, who.username, who.password)).toBe(401);
    expect(await clinic.scope.contacts.findPasswordIdentity(who.username)).toBeUndefined();
    const [event, ...more] = await auditOf(clinic, 'contact.updated');
    expect(more).toHaveLength(0);
    expect(event).toMatchObject({
      actor: { type: 'admin' },
      outcome: 'success',
      details: { contactId: who.contact.id, changed: 'name,email' },
    });
    // The trail is append-only and chained: it never holds a name or an address, which could not be erased later.
    expect(JSON.stringify(event)).not.toContain('Anna Nyman');
    expect(JSON.stringify(event)).not.toContain(who.contact.name);
    expect(JSON.stringify(event)).not.toContain(newEmail);
    expect(JSON.stringify(event)).not.toContain(who.username);
  });

  it('voids an invitation still open when the address changes: it went to the old address', async () => {
    const { clinic, admin, edit } = await clinicWithAdmin();
    const invitee = await clinic.addContactWithoutPassword('Ivar Inbjuden', [clinic.customer]);
    await admin.request(`/api/admin/contacts/${invitee.id}/invitation`, { method: 'POST' });
    const [mail] = (await portal.mailSink.list()).filter((each) => each.to.address === invitee.email);
    const token = /\/satt-losenord#(\S+)/u.exec(mail?.text ?? '')?.[1] ?? '';
    expect(token).not.toBe('');

    const edited = await edit(invitee.id, { email: `ratt.adress.${randomUUID().slice(0, 8)}@kund.example` });
    const used = await clientFor(portal, clinic).request(
      '/api/auth/set-password',
      json({ token, newPassword: 'ett-långt-och-nytt-lösenord' }),
    );

    expect(edited.status).toBe(200);
    expect(used.status).toBe(400);
    expect(await clinic.scope.passwordLinks.get({ kind: 'contact', id: invitee.id })).toBeUndefined();
  });

  it('refuses an address another contact logs in with (409 email_in_use), changing nothing', async () => {
    const { clinic, edit } = await clinicWithAdmin();
    const before = await clinic.scope.contacts.get(clinic.contact.contact.id);

    const taken = await edit(clinic.contact.contact.id, {
      name: 'Ändrat namn',
      email: clinic.otherCustomersContact.username,
    });

    expect(taken.status).toBe(409);
    expect(taken.body.error?.code).toBe('email_in_use');
    expect(await clinic.scope.contacts.get(clinic.contact.contact.id)).toEqual(before);
    expect(await passwordLogin(clinic, clinic.contact.username, clinic.contact.password)).toBe(200);
    expect(await auditOf(clinic, 'contact.updated')).toHaveLength(0);
  });

  it('sets, replaces and removes the personal number: only the current number logs in with BankID', async () => {
    const { clinic, edit } = await clinicWithAdmin();
    const id = clinic.contact.contact.id;

    const set = await edit(id, { personalNumber: '18900101-9802' });
    const afterSet = await bankIdLogin(clinic, FIRST_NUMBER);
    const replaced = await edit(id, { personalNumber: SECOND_NUMBER });
    const oldAfterReplace = await bankIdLogin(clinic, FIRST_NUMBER);
    const newAfterReplace = await bankIdLogin(clinic, SECOND_NUMBER);
    const removed = await edit(id, { personalNumber: null });
    const afterRemove = await bankIdLogin(clinic, SECOND_NUMBER);

    expect(set).toMatchObject({ status: 200, body: { maskedPersonalNumber: '18900101-****' } });
    expect(afterSet).toBe(id);
    expect(replaced).toMatchObject({ status: 200, body: { maskedPersonalNumber: '19000102-****' } });
    expect(oldAfterReplace).not.toBe(id);
    expect(newAfterReplace).toBe(id);
    expect(removed.status).toBe(200);
    expect(removed.body.maskedPersonalNumber).toBeUndefined();
    expect(afterRemove).not.toBe(id);
    // Not just refused at login: the old numbers' identities are gone, so another contact may be given them.
    const keys = portal.deps.bankId?.personalNumberKeys;
    expect(await clinic.scope.contacts.findBankIdIdentity((await keys?.keyOf(FIRST_NUMBER)) ?? '')).toBeUndefined();
    expect(await clinic.scope.contacts.findBankIdIdentity((await keys?.keyOf(SECOND_NUMBER)) ?? '')).toBeUndefined();
    // The password login is untouched by all of it.
    expect(await passwordLogin(clinic, clinic.contact.username, clinic.contact.password)).toBe(200);
    const events = await auditOf(clinic, 'contact.updated');
    expect(events.map((event) => event.details?.changed)).toEqual(
      expect.arrayContaining(['personalNumber', 'personalNumber', 'personalNumber']),
    );
    expect(events.filter((event) => event.details?.changed === 'personalNumber')).toHaveLength(3);
    // Neither the numbers nor their masks (a birth date) are in the trail.
    expect(JSON.stringify(events)).not.toMatch(/9802|9875|18900101|19000102/u);
  });

  it("refuses an invalid personal number (400 naming the field) and another contact's (409), changing nothing", async () => {
    const { clinic, edit } = await clinicWithAdmin();
    const id = clinic.contact.contact.id;
    expect((await edit(clinic.otherCustomersContact.contact.id, { personalNumber: THIRD_NUMBER })).status).toBe(200);
    const before = await clinic.scope.contacts.get(id);

    const wrongDigit = await edit(id, { name: 'Nytt namn', personalNumber: '201701012394' });
    const samordningsnummerWrong = await edit(id, { personalNumber: '19010161-0000' });
    const taken = await edit(id, { name: 'Nytt namn', personalNumber: THIRD_NUMBER });

    expect(wrongDigit.status).toBe(400);
    expect(wrongDigit.body.error).toMatchObject({
      code: 'validation_failed',
      details: { fields: { personalNumber: expect.stringContaining('check digit') } },
    });
    expect(JSON.stringify(wrongDigit.body)).not.toContain('201701012394');
    expect(samordningsnummerWrong.status).toBe(400);
    // A samordningsnummer (day + 60) with a right check digit is a personal number like any other.
    expect((await edit(id, { personalNumber: '19010161-0004' })).body.maskedPersonalNumber).toBe('19010161-****');
    expect(taken.status).toBe(409);
    expect(taken.body.error?.code).toBe('personal_number_in_use');
    expect(before?.maskedPersonalNumber).toBeUndefined();
    expect((await clinic.scope.contacts.get(id))?.name).toBe(before?.name);
    expect(await bankIdLogin(clinic, THIRD_NUMBER)).toBe(clinic.otherCustomersContact.contact.id);
  });

  it('adds a contact to another company of the clinic: they see its documents at their next request', async () => {
    const { clinic, edit } = await clinicWithAdmin();
    const { document } = await clinic.addDocument(clinic.otherCustomer);
    const browser = clientFor(portal, clinic);
    await browser.login(clinic.contact);
    const before = await browser.request(`/api/customers/${clinic.otherCustomer.id}/documents`);

    const edited = await edit(clinic.contact.contact.id, {
      customerIds: [clinic.customer.id, clinic.otherCustomer.id],
    });
    const after = await browser.request(`/api/customers/${clinic.otherCustomer.id}/documents`);

    expect(before.status).toBe(404);
    expect(edited.status).toBe(200);
    expect(edited.body.customers).toEqual([
      { id: clinic.customer.id, name: clinic.customer.name },
      { id: clinic.otherCustomer.id, name: clinic.otherCustomer.name },
    ]);
    expect(after.status).toBe(200);
    expect(((await after.json()) as { items: { id: string }[] }).items.map((item) => item.id)).toEqual([document.id]);
    const [event] = await auditOf(clinic, 'contact.updated');
    expect(event?.details).toMatchObject({ changed: 'customers', customersAdded: clinic.otherCustomer.id });
  });

  it("removing a company ends the contact's access to it at once: list and download refused at the next request", async () => {
    const { clinic, edit } = await clinicWithAdmin();
    const both = await clinic.addContact([clinic.customer, clinic.otherCustomer]);
    const { document } = await clinic.addDocument(clinic.otherCustomer);
    const browser = clientFor(portal, clinic);
    await browser.login(both);
    const listBefore = await browser.request(`/api/customers/${clinic.otherCustomer.id}/documents`);

    const edited = await edit(both.contact.id, { customerIds: [clinic.customer.id] });
    const listAfter = await browser.request(`/api/customers/${clinic.otherCustomer.id}/documents`);
    const downloadAfter = await browser.request(
      `/api/customers/${clinic.otherCustomer.id}/documents/${document.id}/download`,
      { method: 'POST' },
    );
    const me = (await (await browser.request('/api/me')).json()) as { customers: { id: string }[] };

    expect(listBefore.status).toBe(200);
    expect(edited.status).toBe(200);
    expect(edited.body.customers).toEqual([{ id: clinic.customer.id, name: clinic.customer.name }]);
    expect(listAfter.status).toBe(404);
    expect(downloadAfter.status).toBe(404);
    expect(me.customers.map((customer) => customer.id)).toEqual([clinic.customer.id]);
    const [event] = await auditOf(clinic, 'contact.updated');
    expect(event?.details).toMatchObject({ customersRemoved: clinic.otherCustomer.id });
  });

  it('refuses an unknown customer, another clinic’s customer and no company at all, changing nothing', async () => {
    const { clinic, edit } = await clinicWithAdmin();
    const otherClinic = await createClinic(portal);
    const id = clinic.contact.contact.id;
    const unknownId = randomUUID();

    const unknown = await edit(id, { name: 'Nytt namn', customerIds: [clinic.customer.id, unknownId] });
    const foreign = await edit(id, { customerIds: [otherClinic.customer.id] });
    const notAnId = await edit(id, { customerIds: ['../kund'] });
    const none = await edit(id, { customerIds: [] });

    expect(unknown.status).toBe(404);
    expect(unknown.body.error?.message).toContain(unknownId);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error?.message).toContain(otherClinic.customer.id);
    expect(notAnId.status).toBe(404);
    expect(none.status).toBe(400);
    expect(none.body.error).toMatchObject({
      code: 'validation_failed',
      details: { fields: { customerIds: expect.any(String) } },
    });
    expect(await clinic.scope.contacts.get(id)).toEqual(clinic.contact.contact);
    expect(await clinic.scope.contacts.listMemberships(id)).toEqual([
      { contactId: id, customerId: clinic.customer.id, customerName: clinic.customer.name },
    ]);
    expect(await otherClinic.scope.contacts.listOfCustomer(otherClinic.customer.id)).toHaveLength(1);
    expect(await auditOf(clinic, 'contact.updated')).toHaveLength(0);
  });

  it("answers 404 for another clinic's contact and changes nothing there; a bad body is a 400", async () => {
    const { clinic, edit } = await clinicWithAdmin();
    const otherClinic = await createClinic(portal);
    const foreignId = otherClinic.contact.contact.id;

    const foreign = await edit(foreignId, { name: 'Kapad', customerIds: [clinic.customer.id] });
    const empty = await edit(clinic.contact.contact.id, {});
    const badEmail = await edit(clinic.contact.contact.id, { email: 'inte-en-adress' });

    expect(foreign.status).toBe(404);
    expect(await otherClinic.scope.contacts.get(foreignId)).toEqual(otherClinic.contact.contact);
    expect(await otherClinic.scope.contacts.listMemberships(foreignId)).toHaveLength(1);
    expect(await clinic.scope.contacts.listOfCustomer(clinic.customer.id)).toHaveLength(1);
    expect(empty.status).toBe(400);
    expect(badEmail.status).toBe(400);
  });

  it('changes nothing and audits nothing for an edit that changes nothing', async () => {
    const { clinic, edit } = await clinicWithAdmin();

    const same = await edit(clinic.contact.contact.id, {
      name: clinic.contact.contact.name,
      email: clinic.contact.username,
      customerIds: [clinic.customer.id],
    });

    expect(same.status).toBe(200);
    expect(await auditOf(clinic, 'contact.updated')).toHaveLength(0);
  });
});

describe('POST /api/admin/contacts/:contactId/invitation again (resend)', () => {
  it('mails a new link; the earlier one no longer works, the newest sets the password', async () => {
    const { clinic, admin } = await clinicWithAdmin();
    const invitee = await clinic.addContactWithoutPassword('Rut Resend', [clinic.customer]);
    const tokenOfNewestMail = async () => {
      const [mail] = (await portal.mailSink.list()).filter((each) => each.to.address === invitee.email);
      return /\/satt-losenord#(\S+)/u.exec(mail?.text ?? '')?.[1] ?? '';
    };

    const first = await admin.request(`/api/admin/contacts/${invitee.id}/invitation`, { method: 'POST' });
    const firstToken = await tokenOfNewestMail();
    const second = await admin.request(`/api/admin/contacts/${invitee.id}/invitation`, { method: 'POST' });
    const secondToken = await tokenOfNewestMail();
    const browser = clientFor(portal, clinic);
    const withFirst = await browser.request(
      '/api/auth/set-password',
      json({ token: firstToken, newPassword: 'ett-långt-och-nytt-lösenord' }),
    );
    const withSecond = await browser.request(
      '/api/auth/set-password',
      json({ token: secondToken, newPassword: 'ett-långt-och-nytt-lösenord' }),
    );

    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(secondToken).not.toBe(firstToken);
    expect(withFirst.status).toBe(400);
    expect(withSecond.status).toBe(200);
    expect(await passwordLogin(clinic, invitee.email, 'ett-långt-och-nytt-lösenord')).toBe(200);
    expect(await auditOf(clinic, 'contact.invited')).toHaveLength(2);
  });
});
