import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../functions/domain/errors';
import type { Contact } from '../../functions/domain/identity';
import { createClinic, createTestPortal } from '../support/test-portal';

/**
 * ContactRepository.update on DynamoDB Local: an administrator's edit is one transaction. Whatever part fails — a login
 * name taken, a personal number taken, a concurrent change — nothing of the edit is written.
 */
const portal = createTestPortal();
const key = (label: string) => `${label}-${randomUUID()}`.replace(/-/gu, '').padEnd(64, '0').slice(0, 64);

describe('ContactRepository.update', () => {
  it('moves the password login, the BankID identity and the memberships together', async () => {
    const clinic = await createClinic(portal);
    const { contacts } = clinic.scope;
    const before = clinic.contact.contact;
    const oldKey = key('old');
    const newKey = key('new');
    const withNumber: Contact = { ...before, personalNumberKey: oldKey, maskedPersonalNumber: '19900101-****' };
    await contacts.put(withNumber);
    await contacts.putBankIdIdentity({
      personalNumberKey: oldKey,
      contactId: before.id,
      maskedPersonalNumber: '19900101-****',
    });
    const login = await contacts.findPasswordIdentity(before.email);
    const after: Contact = {
      ...withNumber,
      email: `flyttad-${before.id}@example.se`,
      personalNumberKey: newKey,
      maskedPersonalNumber: '19800101-****',
    };

    await contacts.update({
      before: withNumber,
      after,
      passwordIdentity: login,
      bankIdIdentity: { personalNumberKey: newKey, contactId: before.id, maskedPersonalNumber: '19800101-****' },
      addMemberships: [
        { contactId: before.id, customerId: clinic.otherCustomer.id, customerName: clinic.otherCustomer.name },
      ],
      removeMemberships: [{ contactId: before.id, customerId: clinic.customer.id, customerName: clinic.customer.name }],
    });

    expect(await contacts.get(before.id)).toEqual(after);
    expect(await contacts.findPasswordIdentity(before.email)).toBeUndefined();
    expect(await contacts.findPasswordIdentity(after.email)).toEqual({
      username: after.email,
      contactId: before.id,
      passwordHash: login?.passwordHash,
    });
    expect(await contacts.findBankIdIdentity(oldKey)).toBeUndefined();
    expect(await contacts.findBankIdIdentity(newKey)).toMatchObject({ contactId: before.id });
    expect((await contacts.listMemberships(before.id)).map((m) => m.customerId)).toEqual([clinic.otherCustomer.id]);
    expect((await contacts.listOfCustomer(clinic.otherCustomer.id)).map((m) => m.contactId)).toContain(before.id);
    expect((await contacts.listOfCustomer(clinic.customer.id)).map((m) => m.contactId)).not.toContain(before.id);
  });

  it('writes nothing when the new address became another contact’s login after the check (email_in_use)', async () => {
    const clinic = await createClinic(portal);
    const { contacts } = clinic.scope;
    const before = clinic.contact.contact;
    const login = await contacts.findPasswordIdentity(before.email);

    const failure = await contacts
      .update({
        before,
        after: { ...before, name: 'Nytt namn', email: clinic.otherCustomersContact.username },
        passwordIdentity: login,
        addMemberships: [{ contactId: before.id, customerId: clinic.otherCustomer.id, customerName: 'X' }],
        removeMemberships: [],
      })
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ConflictError);
    expect(failure).toMatchObject({ code: 'email_in_use' });
    expect(await contacts.get(before.id)).toEqual(before);
    expect(await contacts.findPasswordIdentity(before.email)).toEqual(login);
    expect((await contacts.listMemberships(before.id)).map((m) => m.customerId)).toEqual([clinic.customer.id]);
  });

  it('writes nothing when the new personal number is another contact’s (personal_number_in_use)', async () => {
    const clinic = await createClinic(portal);
    const { contacts } = clinic.scope;
    const before = clinic.contact.contact;
    const theirs = key('theirs');
    await contacts.putBankIdIdentity({
      personalNumberKey: theirs,
      contactId: clinic.otherCustomersContact.contact.id,
      maskedPersonalNumber: '19700101-****',
    });

    const failure = await contacts
      .update({
        before,
        after: { ...before, name: 'Nytt namn', personalNumberKey: theirs, maskedPersonalNumber: '19700101-****' },
        bankIdIdentity: { personalNumberKey: theirs, contactId: before.id, maskedPersonalNumber: '19700101-****' },
        addMemberships: [],
        removeMemberships: [],
      })
      .catch((error: unknown) => error);

    expect(failure).toMatchObject({ code: 'personal_number_in_use' });
    expect(await contacts.get(before.id)).toEqual(before);
    expect(await contacts.findBankIdIdentity(theirs)).toMatchObject({
      contactId: clinic.otherCustomersContact.contact.id,
    });
  });

  it('writes nothing over a concurrent change: the profile must still be what the edit started from', async () => {
    const clinic = await createClinic(portal);
    const { contacts } = clinic.scope;
    const before = clinic.contact.contact;
    // Deactivated meanwhile: an edit read before that must not make the contact active again.
    await contacts.put({ ...before, status: 'deactivated' });

    const failure = await contacts
      .update({
        before,
        after: { ...before, name: 'Nytt namn' },
        addMemberships: [{ contactId: before.id, customerId: clinic.otherCustomer.id, customerName: 'X' }],
        removeMemberships: [],
      })
      .catch((error: unknown) => error);

    expect(failure).toMatchObject({ code: 'conflict' });
    expect(await contacts.get(before.id)).toEqual({ ...before, status: 'deactivated' });
    expect(await contacts.listMemberships(before.id)).toHaveLength(1);
  });

  it('leaves the contact’s own preferences as they are', async () => {
    const clinic = await createClinic(portal);
    const { contacts } = clinic.scope;
    const before = clinic.contact.contact;
    await contacts.updatePreferences(before.id, { language: 'en' });

    await contacts.update({
      before,
      after: { ...before, name: 'Nytt namn' },
      addMemberships: [],
      removeMemberships: [],
    });

    expect(await contacts.get(before.id)).toEqual({ ...before, name: 'Nytt namn', language: 'en' });
  });
});
