import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConflictError } from '../../functions/domain/errors';
import type { BankIdLoginOrder } from '../../functions/domain/ports';
import { type ClinicFixture, createClinic, createTestPortal } from '../support/test-portal';

/** The BankID identity and login-order parts of the repositories, against DynamoDB Local. */
describe('BankID identities and login orders (DynamoDB Local)', () => {
  const portal = createTestPortal();
  let clinic: ClinicFixture;
  const personalNumberKey = () => randomUUID().replaceAll('-', '').repeat(2);

  beforeEach(async () => {
    clinic = await createClinic(portal);
  });

  it('finds the contact of a personal-number key, in this clinic only', async () => {
    const key = personalNumberKey();
    const identity = {
      personalNumberKey: key,
      contactId: clinic.contact.contact.id,
      maskedPersonalNumber: '19900704-****',
    };
    await clinic.scope.contacts.putBankIdIdentity(identity);
    const otherClinic = await createClinic(portal);

    await expect(clinic.scope.contacts.findBankIdIdentity(key)).resolves.toEqual(identity);
    await expect(otherClinic.scope.contacts.findBankIdIdentity(key)).resolves.toBeUndefined();
  });

  it('refuses to move a personal number to another contact, and keeps the first link', async () => {
    const key = personalNumberKey();
    const first = {
      personalNumberKey: key,
      contactId: clinic.contact.contact.id,
      maskedPersonalNumber: '19900704-****',
    };
    await clinic.scope.contacts.putBankIdIdentity(first);
    await clinic.scope.contacts.putBankIdIdentity(first);

    await expect(
      clinic.scope.contacts.putBankIdIdentity({ ...first, contactId: clinic.otherCustomersContact.contact.id }),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(clinic.scope.contacts.findBankIdIdentity(key)).resolves.toEqual(first);
  });

  it('keeps a login order between polls until it is deleted, in this clinic only', async () => {
    const order: BankIdLoginOrder = {
      id: randomUUID(),
      orderRef: randomUUID(),
      autoStartToken: randomUUID(),
      qrStartToken: randomUUID(),
      qrStartSecret: randomUUID(),
      startedAt: '2026-12-03T10:00:00.000Z',
      method: 'qr',
      expiresAt: '2026-12-03T10:10:00.000Z',
    };
    await clinic.scope.bankIdOrders.put(order);
    const otherClinic = await createClinic(portal);

    await expect(clinic.scope.bankIdOrders.get(order.id)).resolves.toEqual(order);
    await expect(otherClinic.scope.bankIdOrders.get(order.id)).resolves.toBeUndefined();
    await clinic.scope.bankIdOrders.delete(order.id);
    await expect(clinic.scope.bankIdOrders.get(order.id)).resolves.toBeUndefined();
  });
});
