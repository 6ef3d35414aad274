import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { keys } from '../../functions/adapters/dynamodb/keys';
import type { AdminLoginChallenge, ClinicAdmin } from '../../functions/domain/clinic-admin';
import { ConflictError } from '../../functions/domain/errors';
import { emulatorTable } from '../support/emulator-table';
import { type ClinicFixture, createClinic, createTestPortal } from '../support/test-portal';

/** The ClinicAdminRepository and AdminLoginChallengeRepository ports' contracts, against DynamoDB Local. */
describe('clinic administrators (DynamoDB Local)', () => {
  const portal = createTestPortal();
  let clinic: ClinicFixture;

  beforeEach(async () => {
    clinic = await createClinic(portal);
  });

  const newAdmin = (overrides: Partial<ClinicAdmin> = {}): ClinicAdmin => ({
    id: randomUUID(),
    name: 'Helena Berg',
    email: `admin-${randomUUID().slice(0, 8)}@klinik.example`,
    status: 'active',
    createdAt: '2024-05-01T10:00:00.000Z',
    totp: { state: 'none' },
    recoveryCodeHashes: [],
    ...overrides,
  });
  const enrolled = async (admin = newAdmin()) => {
    await clinic.scope.admins.create(admin);
    await clinic.scope.admins.startTotpEnrolment(admin.id, 'v1.sealed', new Date('2024-05-01T10:01:00.000Z'));
    await clinic.scope.admins.completeTotpEnrolment(admin.id, {
      sealedSecret: 'v1.sealed',
      acceptedStep: 100,
      recoveryCodeHashes: ['a'.repeat(64), 'b'.repeat(64)],
      at: new Date('2024-05-01T10:02:00.000Z'),
    });
    return admin;
  };

  it('stores an administrator with a login name (no password yet) found in any letter case', async () => {
    const admin = newAdmin();

    await clinic.scope.admins.create(admin);

    await expect(clinic.scope.admins.get(admin.id)).resolves.toEqual(admin);
    await expect(clinic.scope.admins.findPasswordIdentity(admin.email.toUpperCase())).resolves.toEqual({
      username: admin.email,
      adminId: admin.id,
    });
  });

  it('refuses a second administrator with the same e-mail address, and writes nothing of it', async () => {
    const first = newAdmin();
    await clinic.scope.admins.create(first);
    const second = newAdmin({ email: first.email.toUpperCase() });

    const refusal = await clinic.scope.admins.create(second).catch((error: unknown) => error);

    expect(refusal).toBeInstanceOf(ConflictError);
    expect((refusal as ConflictError).code).toBe('admin_exists');
    await expect(clinic.scope.admins.get(second.id)).resolves.toBeUndefined();
  });

  it('keeps administrators’ login names apart from contacts’ and from other clinics’', async () => {
    const admin = newAdmin({ email: clinic.contact.username });
    await clinic.scope.admins.create(admin);
    const otherClinic = await createClinic(portal);

    await expect(clinic.scope.contacts.findPasswordIdentity(admin.email)).resolves.toMatchObject({
      contactId: clinic.contact.contact.id,
    });
    await expect(otherClinic.scope.admins.findPasswordIdentity(admin.email)).resolves.toBeUndefined();
    await expect(otherClinic.scope.admins.get(admin.id)).resolves.toBeUndefined();
  });

  it('sets a password only on the administrator’s own login name', async () => {
    const admin = newAdmin();
    await clinic.scope.admins.create(admin);

    await clinic.scope.admins.setPasswordHash(admin.email, admin.id, 'scrypt$hash');

    await expect(clinic.scope.admins.findPasswordIdentity(admin.email)).resolves.toMatchObject({
      passwordHash: 'scrypt$hash',
    });
    await expect(clinic.scope.admins.setPasswordHash(admin.email, randomUUID(), 'x')).rejects.toBeInstanceOf(
      ConflictError,
    );
    await expect(clinic.scope.admins.setPasswordHash('nobody@klinik.example', admin.id, 'x')).rejects.toBeInstanceOf(
      ConflictError,
    );
  });

  it('enrols an authenticator: pending with its sealed secret, then enrolled with the first step and recovery codes', async () => {
    const admin = newAdmin();
    await clinic.scope.admins.create(admin);

    await clinic.scope.admins.startTotpEnrolment(admin.id, 'v1.first', new Date('2024-05-01T10:01:00.000Z'));
    await clinic.scope.admins.startTotpEnrolment(admin.id, 'v1.second', new Date('2024-05-01T10:02:00.000Z'));
    const wrongSecret = clinic.scope.admins.completeTotpEnrolment(admin.id, {
      sealedSecret: 'v1.first',
      acceptedStep: 7,
      recoveryCodeHashes: ['c'.repeat(64)],
      at: new Date(),
    });
    await expect(wrongSecret).rejects.toBeInstanceOf(ConflictError);
    await clinic.scope.admins.completeTotpEnrolment(admin.id, {
      sealedSecret: 'v1.second',
      acceptedStep: 7,
      recoveryCodeHashes: ['d'.repeat(64), 'c'.repeat(64)],
      at: new Date('2024-05-01T10:03:00.000Z'),
    });

    await expect(clinic.scope.admins.get(admin.id)).resolves.toMatchObject({
      totp: {
        state: 'enrolled',
        sealedSecret: 'v1.second',
        enrolledAt: '2024-05-01T10:03:00.000Z',
        lastAcceptedStep: 7,
      },
      recoveryCodeHashes: ['c'.repeat(64), 'd'.repeat(64)],
    });
    await expect(clinic.scope.admins.startTotpEnrolment(admin.id, 'v1.takeover', new Date())).rejects.toBeInstanceOf(
      ConflictError,
    );
  });

  it('accepts each time step once, and no older step after a newer one (the replay guard)', async () => {
    const admin = await enrolled();
    const admins = clinic.scope.admins;

    const results = await Promise.all([admins.acceptTotpStep(admin.id, 101), admins.acceptTotpStep(admin.id, 101)]);

    expect(results.sort()).toEqual([false, true]);
    await expect(admins.acceptTotpStep(admin.id, 100)).resolves.toBe(false);
    await expect(admins.acceptTotpStep(admin.id, 103)).resolves.toBe(true);
    await expect(admins.acceptTotpStep(admin.id, 102)).resolves.toBe(false);
    await expect(admins.get(admin.id)).resolves.toMatchObject({ totp: { lastAcceptedStep: 103 } });
  });

  it('uses a recovery code up once, atomically, and replaces them all on regeneration', async () => {
    const admin = await enrolled();
    const admins = clinic.scope.admins;

    const results = await Promise.all([
      admins.useRecoveryCode(admin.id, 'a'.repeat(64)),
      admins.useRecoveryCode(admin.id, 'a'.repeat(64)),
    ]);

    expect(results.sort()).toEqual([false, true]);
    await expect(admins.useRecoveryCode(admin.id, 'f'.repeat(64))).resolves.toBe(false);
    await expect(admins.get(admin.id)).resolves.toMatchObject({ recoveryCodeHashes: ['b'.repeat(64)] });
    await expect(admins.useRecoveryCode(admin.id, 'b'.repeat(64))).resolves.toBe(true);
    await expect(admins.get(admin.id)).resolves.toMatchObject({ recoveryCodeHashes: [] });
    await expect(admins.useRecoveryCode(admin.id, 'b'.repeat(64))).resolves.toBe(false);
    await admins.replaceRecoveryCodes(admin.id, ['e'.repeat(64)]);
    await expect(admins.get(admin.id)).resolves.toMatchObject({ recoveryCodeHashes: ['e'.repeat(64)] });
  });

  it('changes the status and returns the administrator as stored', async () => {
    const admin = await enrolled();

    await expect(clinic.scope.admins.setStatus(admin.id, 'deactivated')).resolves.toMatchObject({
      id: admin.id,
      status: 'deactivated',
      totp: { state: 'enrolled' },
    });
    await expect(clinic.scope.admins.setStatus(randomUUID(), 'deactivated')).rejects.toBeInstanceOf(ConflictError);
  });

  it("lists the clinic's administrators, and none of another clinic", async () => {
    const ours = [newAdmin(), newAdmin({ status: 'deactivated', role: 'read-only' })];
    for (const admin of ours) await clinic.scope.admins.create(admin);
    const other = await createClinic(portal);
    await other.scope.admins.create(newAdmin());

    const listed = await clinic.scope.admins.list();

    expect([...listed].sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      [...ours].sort((a, b) => a.id.localeCompare(b.id)),
    );
  });

  it('lists an administrator stored before the list existed once they log in again', async () => {
    const admin = await enrolled();
    const table = emulatorTable();
    const key = keys.admin(clinic.tenantId, admin.id);
    await table.update(key, { expression: 'REMOVE GSI1PK, GSI1SK' });
    const hidden = await clinic.scope.admins.list();

    await clinic.scope.admins.acceptTotpStep(admin.id, 101);

    expect(hidden).toEqual([]);
    expect((await clinic.scope.admins.list()).map((listed) => listed.id)).toEqual([admin.id]);
  });

  it('sets a role and a status, and resets an authenticator with its recovery codes', async () => {
    const admin = await enrolled();

    const reader = await clinic.scope.admins.setRole(admin.id, 'read-only');
    const gone = await clinic.scope.admins.setStatus(admin.id, 'deactivated');
    const reset = await clinic.scope.admins.resetTotp(admin.id);

    expect(reader).toMatchObject({ id: admin.id, role: 'read-only', status: 'active' });
    expect(gone).toMatchObject({ role: 'read-only', status: 'deactivated' });
    expect(reset).toMatchObject({ totp: { state: 'none' }, recoveryCodeHashes: [] });
    await expect(clinic.scope.admins.get(admin.id)).resolves.toEqual(reset);
    // The next login starts a new enrolment.
    await clinic.scope.admins.startTotpEnrolment(admin.id, 'v1.new', new Date('2024-05-02T10:00:00.000Z'));
    await expect(clinic.scope.admins.get(admin.id)).resolves.toMatchObject({ totp: { state: 'pending' } });
  });

  it('refuses to change an administrator who does not exist', async () => {
    const missing = randomUUID();

    for (const change of [
      () => clinic.scope.admins.setRole(missing, 'admin'),
      () => clinic.scope.admins.setStatus(missing, 'deactivated'),
      () => clinic.scope.admins.resetTotp(missing),
    ]) {
      await expect(change()).rejects.toBeInstanceOf(ConflictError);
    }
    await expect(clinic.scope.admins.get(missing)).resolves.toBeUndefined();
  });

  it('changes another administrator only while the acting one is an active admin, checked in the same write', async () => {
    const actor = newAdmin();
    const target = newAdmin();
    const reader = newAdmin({ role: 'read-only' });
    const legacy = newAdmin();
    for (const admin of [actor, target, reader, legacy]) await clinic.scope.admins.create(admin);

    const byReader = await clinic.scope.admins
      .setRole(target.id, 'read-only', { actingAdminId: reader.id })
      .catch((error: unknown) => error);
    const byLegacyAdmin = await clinic.scope.admins.setRole(target.id, 'read-only', { actingAdminId: legacy.id });
    await clinic.scope.admins.setStatus(actor.id, 'deactivated');
    const byDeactivated = await clinic.scope.admins
      .resetTotp(target.id, { actingAdminId: actor.id })
      .catch((error: unknown) => error);

    expect(byReader).toBeInstanceOf(ConflictError);
    expect((byReader as ConflictError).code).toBe('admin_changed');
    expect(byLegacyAdmin).toMatchObject({ role: 'read-only' });
    expect(byDeactivated).toBeInstanceOf(ConflictError);
    await expect(clinic.scope.admins.get(target.id)).resolves.toEqual({ ...target, role: 'read-only' });
  });

  it('lets only one of two administrators who demote each other at the same moment succeed', async () => {
    const first = newAdmin({ role: 'admin' });
    const second = newAdmin({ role: 'admin' });
    for (const admin of [first, second]) await clinic.scope.admins.create(admin);

    const outcomes = await Promise.allSettled([
      clinic.scope.admins.setRole(second.id, 'read-only', { actingAdminId: first.id }),
      clinic.scope.admins.setRole(first.id, 'read-only', { actingAdminId: second.id }),
    ]);

    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const roles = await Promise.all(
      [first, second].map(async (admin) => (await clinic.scope.admins.get(admin.id))?.role),
    );
    expect(roles.filter((role) => role === 'admin')).toHaveLength(1);
  });
});

describe('administrators’ login challenges (DynamoDB Local)', () => {
  const portal = createTestPortal();
  let clinic: ClinicFixture;

  beforeEach(async () => {
    clinic = await createClinic(portal);
  });

  const now = new Date('2024-05-01T10:00:00.000Z');
  const challenge = (overrides: Partial<AdminLoginChallenge> = {}): AdminLoginChallenge => ({
    id: randomUUID(),
    adminId: randomUUID(),
    purpose: 'totp',
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + 300_000).toISOString(),
    failures: 0,
    ...overrides,
  });
  const later = (ms: number) => new Date(now.getTime() + ms);

  it('is found while live, and not after it expired (whether or not the TTL sweep has run)', async () => {
    const stored = challenge();
    await clinic.scope.adminChallenges.create(stored);

    await expect(clinic.scope.adminChallenges.get(stored.id, later(299_999))).resolves.toEqual(stored);
    await expect(clinic.scope.adminChallenges.get(stored.id, later(300_000))).resolves.toBeUndefined();
    const otherClinic = await createClinic(portal);
    await expect(otherClinic.scope.adminChallenges.get(stored.id, now)).resolves.toBeUndefined();
  });

  it('counts wrong codes while live', async () => {
    const stored = challenge();
    await clinic.scope.adminChallenges.create(stored);

    await expect(clinic.scope.adminChallenges.recordFailure(stored.id, now)).resolves.toBe(1);
    await expect(clinic.scope.adminChallenges.recordFailure(stored.id, now)).resolves.toBe(2);
    await expect(clinic.scope.adminChallenges.recordFailure(stored.id, later(300_000))).resolves.toBeUndefined();
    await expect(clinic.scope.adminChallenges.recordFailure(randomUUID(), now)).resolves.toBeUndefined();
  });

  it('is consumed once, only by its administrator and only while live', async () => {
    const stored = challenge();
    const expired = challenge();
    await clinic.scope.adminChallenges.create(stored);
    await clinic.scope.adminChallenges.create(expired);

    await expect(clinic.scope.adminChallenges.consume(stored.id, randomUUID(), now)).resolves.toBe(false);
    const results = await Promise.all([
      clinic.scope.adminChallenges.consume(stored.id, stored.adminId, now),
      clinic.scope.adminChallenges.consume(stored.id, stored.adminId, now),
    ]);
    await expect(clinic.scope.adminChallenges.consume(expired.id, expired.adminId, later(300_000))).resolves.toBe(
      false,
    );

    expect(results.sort()).toEqual([false, true]);
    await expect(clinic.scope.adminChallenges.get(stored.id, now)).resolves.toBeUndefined();
  });
});
