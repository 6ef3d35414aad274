import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../functions/domain/errors';
import { contactPreferences, DEFAULT_CONTACT_PREFERENCES } from '../../functions/domain/identity';
import { type ClinicFixture, createClinic, createTestPortal } from '../support/test-portal';

/** ContactRepository.updatePreferences, against DynamoDB Local. */
describe('contact preferences (DynamoDB Local)', () => {
  const portal = createTestPortal();
  let clinic: ClinicFixture;

  beforeEach(async () => {
    clinic = await createClinic(portal);
  });

  it('a contact who never chose has the defaults', async () => {
    const contact = await clinic.scope.contacts.get(clinic.contact.contact.id);
    if (!contact) throw new Error('no contact');
    expect(contactPreferences(contact)).toEqual(DEFAULT_CONTACT_PREFERENCES);
  });

  it('changes only the preferences given and leaves the rest of the record alone', async () => {
    const { contact } = clinic.contact;
    const contacts = clinic.scope.contacts;

    await expect(contacts.updatePreferences(contact.id, { language: 'en' })).resolves.toEqual({
      ...contact,
      language: 'en',
    });
    await expect(
      contacts.updatePreferences(contact.id, { notifyOnNewDocument: false, language: undefined }),
    ).resolves.toEqual({ ...contact, language: 'en', notifyOnNewDocument: false });

    await expect(contacts.get(contact.id)).resolves.toEqual({ ...contact, language: 'en', notifyOnNewDocument: false });
    await expect(contacts.listMemberships(contact.id)).resolves.toHaveLength(1);
  });

  it('never creates a contact: an unknown id, or one of another clinic, is NotFoundError', async () => {
    const otherClinic = await createClinic(portal);
    const contacts = clinic.scope.contacts;

    await expect(contacts.updatePreferences(randomUUID(), { language: 'en' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(contacts.updatePreferences(otherClinic.contact.contact.id, { language: 'en' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(contacts.get(otherClinic.contact.contact.id)).resolves.toBeUndefined();
    await expect(otherClinic.scope.contacts.get(otherClinic.contact.contact.id)).resolves.toEqual(
      otherClinic.contact.contact,
    );
  });
});
