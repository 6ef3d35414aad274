import { beforeEach, describe, expect, it } from 'vitest';
import { runAdminCli } from '../../functions/cli/admin-cli';
import { ConflictError } from '../../functions/domain/errors';
import { findClinicAdmin } from '../../functions/use-cases/manage-clinic-admins';
import { addAdmin, adminClientFor } from '../support/admin-fixture';
import { readAuditEvents } from '../support/audit-events';
import { type ClinicFixture, createClinic, createTestPortal, operatorDataFor } from '../support/test-portal';

/** `npm run admin` against the test emulators: the operator's provisioning of a clinic's first administrator. */
describe('the admin provisioning command', () => {
  const portal = createTestPortal();
  const data = operatorDataFor(portal);
  let clinic: ClinicFixture;
  let printed: string[];
  const run = (...argv: string[]) => runAdminCli(argv, { data, print: (line) => printed.push(line) });
  const mailsTo = async (address: string) =>
    (await portal.mailSink.list()).filter((mail) => mail.to.address === address);

  beforeEach(async () => {
    clinic = await createClinic(portal);
    printed = [];
  });

  it('creates an active administrator without password or authenticator, and mails an invitation to the admin pages', async () => {
    const email = `forsta-admin-${clinic.tenantId.slice(0, 8)}@klinik.example`;

    const code = await run('create', '--host', clinic.host, '--email', email, '--name', 'Ylva Öberg', '--by', 'ops');

    expect(code).toBe(0);
    const admin = await findClinicAdmin(clinic.scope, email);
    expect(admin).toMatchObject({
      name: 'Ylva Öberg',
      email,
      status: 'active',
      role: 'admin',
      totp: { state: 'none' },
    });
    await expect(clinic.scope.admins.findPasswordIdentity(email)).resolves.not.toHaveProperty('passwordHash');
    const [mail] = await mailsTo(email);
    expect(mail?.kind).toBe('admin-invitation');
    expect(mail?.text).toContain(`https://${clinic.host}/admin/satt-losenord#admin.${admin?.id}.`);
    expect(printed.join('\n')).toContain(`Created administrator ${admin?.id}`);
    const events = await readAuditEvents(clinic.tenantId, portal.clock.now().toISOString().slice(0, 7));
    expect(events.map((event) => [event.action, event.actor])).toEqual([
      ['admin.created', { type: 'operator', id: 'ops' }],
      ['admin.invited', { type: 'operator', id: 'ops' }],
    ]);
  });

  it('takes the clinic by id too, answers in JSON without secrets, and refuses a second administrator with the address', async () => {
    const email = `admin-${clinic.tenantId.slice(0, 8)}@klinik.example`;
    const create = ['create', '--tenant', clinic.tenantId, '--origin', clinic.origin, '--email', email];

    await run(...create, '--name', 'Ann', '--json');
    const again = await run(...create, '--name', 'Ann').catch((error: unknown) => error);

    const output = JSON.parse(printed[0] ?? '{}') as Record<string, unknown>;
    expect(output).toMatchObject({
      email,
      status: 'active',
      authenticator: 'none',
      invitationExpiresAt: expect.any(String),
    });
    expect(Object.keys(output).sort()).toEqual(
      ['authenticator', 'createdAt', 'email', 'id', 'invitationExpiresAt', 'name', 'role', 'status'].sort(),
    );
    expect(again).toBeInstanceOf(ConflictError);
    expect((again as ConflictError).code).toBe('admin_exists');
  });

  it('creates a read-only administrator with --role, and names a role that does not exist', async () => {
    const email = `lasare-${clinic.tenantId.slice(0, 8)}@klinik.example`;
    const create = ['create', '--host', clinic.host, '--email', email, '--name', 'Lars Läsare'];

    const wrong = await run(...create, '--role', 'superuser').catch((error: unknown) => error);
    const right = await run(...create, '--role', 'read-only');

    expect(wrong).toMatchObject({
      code: 'validation_failed',
      details: { fields: { role: 'one of admin, read-only' } },
    });
    expect(right).toBe(0);
    expect(await findClinicAdmin(clinic.scope, email)).toMatchObject({ role: 'read-only', status: 'active' });
    expect(printed.join('\n')).toContain('role read-only');
  });

  it('sends a new invitation, and deactivates an administrator, ending their sessions', async () => {
    const fixture = await addAdmin(portal, clinic);
    const client = adminClientFor(portal, clinic);
    await client.login(fixture);

    const invited = await run('invite', '--host', clinic.host, '--email', fixture.username);
    const deactivated = await run('deactivate', '--host', clinic.host, '--email', fixture.username);

    expect([invited, deactivated]).toEqual([0, 0]);
    expect(await mailsTo(fixture.username)).toHaveLength(1);
    expect(printed[1]).toBe(`Administrator ${fixture.username} is deactivated; 1 session(s) ended.`);
    expect((await client.request('/api/admin/me')).status).toBe(401);
    await expect(run('invite', '--host', clinic.host, '--email', fixture.username)).rejects.toMatchObject({
      code: 'admin_deactivated',
    });
  });

  it('explains its usage, and refuses incomplete commands without touching anything', async () => {
    await expect(run()).resolves.toBe(2);
    expect(printed[0]).toMatch(/npm run admin -- create/u);
    await expect(run('create', '--host', clinic.host, '--email', 'a@klinik.example')).rejects.toThrow(/--name/u);
    await expect(run('create', '--email', 'a@klinik.example', '--name', 'A')).rejects.toThrow(/--host or --tenant/u);
    await expect(run('create', '--host', clinic.host, '--email', 'inte-en-adress', '--name', 'A')).rejects.toThrow(
      /email must be an e-mail address/u,
    );
    await expect(run('promote', '--host', clinic.host, '--email', 'a@klinik.example')).rejects.toThrow(
      /Unknown command/u,
    );
    await expect(run('invite', '--host', clinic.host, '--email', 'ingen@klinik.example')).rejects.toThrow(/not found/u);
    await expect(findClinicAdmin(clinic.scope, 'a@klinik.example')).resolves.toBeUndefined();
  });
});
