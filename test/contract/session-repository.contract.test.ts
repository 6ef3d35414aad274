import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '../../functions/domain/identity';
import { type ClinicFixture, createClinic, createTestPortal } from '../support/test-portal';

/** The SessionRepository port's contract (listing live sessions, revoking them), against DynamoDB Local. */
describe('session repository (DynamoDB Local)', () => {
  const portal = createTestPortal();
  let clinic: ClinicFixture;

  beforeEach(async () => {
    clinic = await createClinic(portal);
  });

  const session = (subjectId: string, overrides: Partial<Session> = {}): Session => ({
    id: randomUUID(),
    subjectId,
    createdAt: '2024-05-01T10:00:00.000Z',
    lastSeenAt: '2024-05-01T10:00:00.000Z',
    expiresAt: '2099-05-01T18:00:00.000Z',
    idleTimeoutMs: 30 * 60_000,
    revoked: false,
    ...overrides,
  });

  it('revokes every other live session of the contact, keeps the named one, and counts what it revoked', async () => {
    const contactId = clinic.contact.contact.id;
    const sessions = clinic.scope.sessions;
    const kept = session(contactId);
    const others = Array.from({ length: 3 }, () => session(contactId));
    const alreadyRevoked = session(contactId, { revoked: true });
    const otherContacts = session(clinic.otherCustomersContact.contact.id);
    for (const each of [kept, ...others, alreadyRevoked, otherContacts]) await sessions.create(each);

    await expect(sessions.revokeAllExcept(contactId, kept.id)).resolves.toBe(3);

    await expect(sessions.get(contactId, kept.id)).resolves.toMatchObject({ revoked: false });
    for (const other of others)
      await expect(sessions.get(contactId, other.id)).resolves.toMatchObject({ revoked: true });
    await expect(sessions.get(contactId, alreadyRevoked.id)).resolves.toMatchObject({ revoked: true });
    await expect(sessions.get(clinic.otherCustomersContact.contact.id, otherContacts.id)).resolves.toMatchObject({
      revoked: false,
    });
    // Memberships and the profile share the contact's partition: they are untouched.
    await expect(clinic.scope.contacts.get(contactId)).resolves.toEqual(clinic.contact.contact);
    await expect(clinic.scope.contacts.listMemberships(contactId)).resolves.toHaveLength(1);
    await expect(sessions.revokeAllExcept(contactId, kept.id)).resolves.toBe(0);
  });

  it('revokes every live session of the contact with revokeAll, and no other contact’s', async () => {
    const contactId = clinic.contact.contact.id;
    const sessions = clinic.scope.sessions;
    const live = Array.from({ length: 2 }, () => session(contactId));
    const alreadyRevoked = session(contactId, { revoked: true });
    const otherContacts = session(clinic.otherCustomersContact.contact.id);
    for (const each of [...live, alreadyRevoked, otherContacts]) await sessions.create(each);

    await expect(sessions.revokeAll(contactId)).resolves.toBe(2);

    for (const each of live) await expect(sessions.get(contactId, each.id)).resolves.toMatchObject({ revoked: true });
    await expect(sessions.get(clinic.otherCustomersContact.contact.id, otherContacts.id)).resolves.toMatchObject({
      revoked: false,
    });
    await expect(sessions.revokeAll(contactId)).resolves.toBe(0);
  });

  it('lists the live sessions of the contact only, oldest first: no revoked, idle or expired ones', async () => {
    const contactId = clinic.contact.contact.id;
    const sessions = clinic.scope.sessions;
    const now = new Date('2024-05-01T12:00:00.000Z');
    const older = session(contactId, { createdAt: '2024-05-01T09:00:00.000Z', lastSeenAt: '2024-05-01T11:50:00.000Z' });
    const newer = session(contactId, { createdAt: '2024-05-01T11:00:00.000Z', lastSeenAt: '2024-05-01T11:59:00.000Z' });
    const revoked = session(contactId, { lastSeenAt: now.toISOString(), revoked: true });
    const idle = session(contactId, { lastSeenAt: '2024-05-01T11:29:00.000Z' });
    const expired = session(contactId, { lastSeenAt: now.toISOString(), expiresAt: now.toISOString() });
    const otherContacts = session(clinic.otherCustomersContact.contact.id, { lastSeenAt: now.toISOString() });
    for (const each of [newer, revoked, idle, expired, older, otherContacts]) await sessions.create(each);
    await clinic.scope.adminSessions.create(session(contactId, { lastSeenAt: now.toISOString() }));

    await expect(sessions.listLive(contactId, now)).resolves.toEqual([older, newer]);
    await expect(sessions.listLive(randomUUID(), now)).resolves.toEqual([]);
  });

  it('touches only this clinic’s sessions, and copes with a contact without any', async () => {
    const otherClinic = await createClinic(portal);
    const contactId = clinic.contact.contact.id;
    const elsewhere = session(contactId);
    await otherClinic.scope.sessions.create(elsewhere);

    await expect(clinic.scope.sessions.revokeAllExcept(contactId, randomUUID())).resolves.toBe(0);

    await expect(otherClinic.scope.sessions.get(contactId, elsewhere.id)).resolves.toMatchObject({ revoked: false });
  });

  it('keeps administrators’ sessions apart from contacts’: same ids, other partition, revoked separately', async () => {
    const subjectId = clinic.contact.contact.id;
    const contactSession = session(subjectId);
    const adminSession = session(subjectId, { id: contactSession.id, idleTimeoutMs: 15 * 60_000 });
    await clinic.scope.sessions.create(contactSession);
    await clinic.scope.adminSessions.create(adminSession);

    await expect(clinic.scope.adminSessions.revokeAll(subjectId)).resolves.toBe(1);

    await expect(clinic.scope.sessions.get(subjectId, contactSession.id)).resolves.toEqual(contactSession);
    await expect(clinic.scope.adminSessions.get(subjectId, adminSession.id)).resolves.toEqual({
      ...adminSession,
      revoked: true,
    });
  });
});
