import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type {
  AdminProfileResponse,
  AdminUserInvitedResponse,
  AdminUserListResponse,
  AdminUserSessionsEndedResponse,
  AdminUserSummary,
} from '../../functions/http/admin-api-contract';
import type { ErrorResponse } from '../../functions/http/api-contract';
import { type AdminFixture, addAdmin, adminClientFor, codeFor, json } from '../support/admin-fixture';
import { readAuditEvents } from '../support/audit-events';
import { tenantItemsSnapshot } from '../support/tenant-items';
import { type ClinicFixture, createClinic, createTestPortal } from '../support/test-portal';

/**
 * Issue 6, administrators: a clinic's administrators list, invite, re-invite, give another role, deactivate and reset
 * the authenticator of each other — within their own clinic, never their own account, never the last `admin` — and
 * a read-only administrator sees everything and changes nothing (refused in one place, for every route there is).
 */
const portal = createTestPortal();
let clinic: ClinicFixture;
let who: AdminFixture;
let admin: ReturnType<typeof adminClientFor>;

beforeAll(async () => {
  clinic = await createClinic(portal);
  who = await addAdmin(portal, clinic);
  admin = adminClientFor(portal, clinic);
  await admin.login(who);
});

const month = () => portal.clock.now().toISOString().slice(0, 7);
const adminEvents = async (action: string, adminId: string, fixture: ClinicFixture = clinic) =>
  (await readAuditEvents(fixture.tenantId, month())).filter(
    (event) => event.action === action && event.details?.adminId === adminId,
  );
const mailsTo = async (address: string) => (await portal.mailSink.list()).filter((mail) => mail.to.address === address);
const errorOf = async (response: Response) => ((await response.json()) as ErrorResponse).error;
const listed = async (client = admin) =>
  ((await (await client.request('/api/admin/admins')).json()) as AdminUserListResponse).admins;

/** A logged-in administrator of the clinic with their own browser. */
async function loggedIn(fixture: ClinicFixture = clinic, options: Parameters<typeof addAdmin>[2] = {}) {
  const account = await addAdmin(portal, fixture, options);
  const client = adminClientFor(portal, fixture);
  await client.login(account);
  return { account, client };
}

describe("the clinic's administrators", () => {
  it('lists every administrator of the clinic, and nobody of another clinic, without hashes or secrets', async () => {
    const colleague = await addAdmin(portal, clinic, { enrolled: false });
    const other = await createClinic(portal);
    const stranger = await addAdmin(portal, other);

    const response = await admin.request('/api/admin/admins');
    const text = await response.text();
    const { admins } = JSON.parse(text) as AdminUserListResponse;

    expect(response.status).toBe(200);
    expect(admins.find((entry) => entry.id === who.admin.id)).toEqual({
      id: who.admin.id,
      name: who.admin.name,
      email: who.admin.email,
      role: 'admin',
      status: 'active',
      totp: 'enrolled',
      createdAt: who.admin.createdAt,
      self: true,
    } satisfies AdminUserSummary);
    expect(admins.find((entry) => entry.id === colleague.admin.id)).toMatchObject({ totp: 'none', self: false });
    expect(admins.map((entry) => entry.id)).not.toContain(stranger.admin.id);
    expect(text).not.toMatch(/sealedSecret|recoveryCode|passwordHash/u);
  });

  it('invites a further administrator with a role: a single-use link by mail, audited under the inviting administrator', async () => {
    const email = `ny-${randomUUID().slice(0, 8)}@klinik.example`;

    const response = await admin.request(
      '/api/admin/admins',
      json({ name: ' Nora Nilsson ', email, role: 'read-only' }),
    );
    const body = (await response.json()) as AdminUserInvitedResponse;

    expect(response.status).toBe(201);
    expect(body.admin).toMatchObject({
      name: 'Nora Nilsson',
      email,
      role: 'read-only',
      status: 'active',
      totp: 'none',
    });
    expect(body.invitation).toEqual({ sentTo: email, expiresAt: expect.any(String) });
    const [mail] = await mailsTo(email);
    expect(mail?.kind).toBe('admin-invitation');
    const token = /\/admin\/satt-losenord#(\S+)/u.exec(mail?.text ?? '')?.[1];
    expect(token).toBeDefined();
    for (const action of ['admin.created', 'admin.invited']) {
      expect(await adminEvents(action, body.admin.id)).toEqual([
        expect.objectContaining({ actor: { type: 'admin', id: who.admin.id } }),
      ]);
    }

    // The invited administrator sets a password and, at their first login, enrols an authenticator.
    const newcomer = adminClientFor(portal, clinic);
    const set = await newcomer.request(
      '/api/admin/auth/set-password',
      json({ token, newPassword: 'ett-bra-lösenord' }),
    );
    const step = await newcomer.passwordStep({ username: email, password: 'ett-bra-lösenord' });
    expect(set.status).toBe(200);
    expect(step.status).toBe('enrolment_required');
    expect((await listed()).map((entry) => entry.id)).toContain(body.admin.id);
  });

  it('names each field of a bad invitation, refuses an address in use, and adds nobody', async () => {
    const before = await tenantItemsSnapshot(clinic.tenantId);

    const badName = await admin.request('/api/admin/admins', json({ name: '  ', email: 'a@b.se', role: 'admin' }));
    const badEmail = await admin.request(
      '/api/admin/admins',
      json({ name: 'Ann', email: 'inte-en-adress', role: 'admin' }),
    );
    const badRole = await admin.request('/api/admin/admins', json({ name: 'Ann', email: 'a@b.se', role: 'owner' }));
    const noRole = await admin.request('/api/admin/admins', json({ name: 'Ann', email: 'a@b.se' }));
    const notJson = await admin.request('/api/admin/admins', { method: 'POST', body: 'name=Ann' });
    const taken = await admin.request(
      '/api/admin/admins',
      json({ name: 'Dubbel', email: who.admin.email.toUpperCase(), role: 'admin' }),
    );

    expect([badName.status, badEmail.status, badRole.status, noRole.status]).toEqual([400, 400, 400, 400]);
    expect((await errorOf(badName)).details).toEqual({ fields: { name: expect.any(String) } });
    expect((await errorOf(badEmail)).details).toEqual({ fields: { email: expect.stringContaining('e-mail') } });
    expect(Object.keys((await errorOf(badRole)).details?.fields as object)).toEqual(['role']);
    expect(Object.keys((await errorOf(noRole)).details?.fields as object)).toEqual(['role']);
    expect(notJson.status).toBe(415);
    expect(taken.status).toBe(409);
    expect((await errorOf(taken)).code).toBe('admin_exists');
    expect(await tenantItemsSnapshot(clinic.tenantId)).toEqual(before);
  });

  it('sends a new invitation (the older link stops working), but none to a deactivated administrator', async () => {
    const invited = await addAdmin(portal, clinic, { enrolled: false, password: null });
    const gone = await addAdmin(portal, clinic, { status: 'deactivated' });

    const first = await admin.request(`/api/admin/admins/${invited.admin.id}/invitation`, { method: 'POST' });
    const second = await admin.request(`/api/admin/admins/${invited.admin.id}/invitation`, { method: 'POST' });
    const refused = await admin.request(`/api/admin/admins/${gone.admin.id}/invitation`, { method: 'POST' });

    expect([first.status, second.status]).toEqual([200, 200]);
    expect(await second.json()).toEqual({ sentTo: invited.username, expiresAt: expect.any(String) });
    const tokens = (await mailsTo(invited.username)).map((mail) => /satt-losenord#(\S+)/u.exec(mail.text)?.[1]);
    expect(tokens).toHaveLength(2);
    const results = await Promise.all(
      tokens.map(
        async (token) =>
          (
            await adminClientFor(portal, clinic).request(
              '/api/admin/auth/set-password',
              json({ token, newPassword: 'ett-bra-lösenord' }),
            )
          ).status,
      ),
    );
    // Mail files list newest first or oldest first; exactly one of the two links works, the newer one.
    expect(results.sort()).toEqual([200, 400].sort());
    expect(refused.status).toBe(409);
    expect((await errorOf(refused)).code).toBe('admin_deactivated');
    expect(await adminEvents('admin.invited', invited.admin.id)).toHaveLength(2);
    expect(await mailsTo(gone.username)).toHaveLength(0);
  });

  it('changes a role, which applies to the next request at once, and audits both roles', async () => {
    const { account, client } = await loggedIn();

    const demoted = await admin.request(
      `/api/admin/admins/${account.admin.id}/role`,
      json({ role: 'read-only' }, { method: 'PUT' }),
    );
    const theirWrite = await client.request('/api/admin/api-keys', json({ name: 'Nyckel' }));
    const theirProfile = (await (await client.request('/api/admin/me')).json()) as AdminProfileResponse;
    const promoted = await admin.request(
      `/api/admin/admins/${account.admin.id}/role`,
      json({ role: 'admin' }, { method: 'PUT' }),
    );
    const theirSecondWrite = await client.request('/api/admin/api-keys', json({ name: 'Nyckel' }));

    expect(demoted.status).toBe(200);
    expect(await demoted.json()).toMatchObject({ id: account.admin.id, role: 'read-only', status: 'active' });
    expect(theirWrite.status).toBe(403);
    expect((await errorOf(theirWrite)).code).toBe('read_only');
    expect(theirProfile.admin.role).toBe('read-only');
    expect(promoted.status).toBe(200);
    expect(theirSecondWrite.status).toBe(201);
    expect(
      (await adminEvents('admin.role_changed', account.admin.id)).map((event) => [event.actor, event.details]),
    ).toEqual([
      [
        { type: 'admin', id: who.admin.id },
        { adminId: account.admin.id, from: 'admin', to: 'read-only' },
      ],
      [
        { type: 'admin', id: who.admin.id },
        { adminId: account.admin.id, from: 'read-only', to: 'admin' },
      ],
    ]);
  });

  it('names a role that does not exist, and changes nothing', async () => {
    const colleague = await addAdmin(portal, clinic);
    const before = await tenantItemsSnapshot(clinic.tenantId);

    const response = await admin.request(
      `/api/admin/admins/${colleague.admin.id}/role`,
      json({ role: 'superuser' }, { method: 'PUT' }),
    );

    expect(response.status).toBe(400);
    expect(Object.keys((await errorOf(response)).details?.fields as object)).toEqual(['role']);
    expect(await tenantItemsSnapshot(clinic.tenantId)).toEqual(before);
  });

  it('deactivates an administrator: their session ends at once and they cannot log in', async () => {
    const { account, client } = await loggedIn();

    const response = await admin.request(`/api/admin/admins/${account.admin.id}/deactivate`, { method: 'POST' });
    const body = (await response.json()) as AdminUserSessionsEndedResponse;
    const theirs = await client.request('/api/admin/me');
    const again = await adminClientFor(portal, clinic).request(
      '/api/admin/auth/login',
      json({ username: account.username, password: account.password }),
    );

    expect(response.status).toBe(200);
    expect(body).toMatchObject({ admin: { id: account.admin.id, status: 'deactivated' }, revokedSessions: 1 });
    expect(theirs.status).toBe(401);
    expect(again.status).toBe(401);
    expect(
      (await adminEvents('admin.deactivated', account.admin.id)).map((event) => [event.actor, event.details]),
    ).toEqual([
      [
        { type: 'admin', id: who.admin.id },
        { adminId: account.admin.id, revokedSessions: 1 },
      ],
    ]);
  });

  it('resets an authenticator: sessions end, recovery codes are gone, and the next login enrols a new one', async () => {
    const { account, client } = await loggedIn();

    const response = await admin.request(`/api/admin/admins/${account.admin.id}/totp-reset`, { method: 'POST' });
    const body = (await response.json()) as AdminUserSessionsEndedResponse;
    const theirs = await client.request('/api/admin/me');
    const fresh = adminClientFor(portal, clinic);
    const step = await fresh.passwordStep(account);
    const { challengeId } = step;
    const oldRecoveryCode = await fresh.request(
      '/api/admin/auth/verify',
      json({ challengeId, recoveryCode: account.recoveryCodes[0] }),
    );
    const oldAppCode = await fresh.request(
      '/api/admin/auth/verify',
      json({ challengeId, code: codeFor(portal, account.totpSecret) }),
    );

    expect(response.status).toBe(200);
    expect(body).toMatchObject({ admin: { id: account.admin.id, totp: 'none', status: 'active' }, revokedSessions: 1 });
    expect(theirs.status).toBe(401);
    expect(step.status).toBe('enrolment_required');
    expect([oldRecoveryCode.status, oldAppCode.status]).toEqual([401, 401]);
    expect((await clinic.scope.admins.get(account.admin.id))?.recoveryCodeHashes).toEqual([]);
    expect(
      (await adminEvents('admin.totp.reset', account.admin.id)).map((event) => [event.actor, event.details]),
    ).toEqual([
      [
        { type: 'admin', id: who.admin.id },
        { adminId: account.admin.id, revokedSessions: 1, previousState: 'enrolled' },
      ],
    ]);
  });

  it('refuses changes to the own account with 409, and changes nothing', async () => {
    const before = await tenantItemsSnapshot(clinic.tenantId);

    const responses = [
      await admin.request(`/api/admin/admins/${who.admin.id}/deactivate`, { method: 'POST' }),
      await admin.request(`/api/admin/admins/${who.admin.id}/role`, json({ role: 'read-only' }, { method: 'PUT' })),
      await admin.request(`/api/admin/admins/${who.admin.id}/totp-reset`, { method: 'POST' }),
    ];

    expect(responses.map((response) => response.status)).toEqual([409, 409, 409]);
    const errors = await Promise.all(responses.map(errorOf));
    expect(errors.map((error) => error.code)).toEqual(['own_account', 'own_account', 'own_account']);
    expect(errors[0]?.message).toBe('You cannot deactivate your own account; ask another administrator.');
    expect(await tenantItemsSnapshot(clinic.tenantId)).toEqual(before);
    expect((await admin.request('/api/admin/me')).status).toBe(200);
  });

  it("keeps a clinic's only admin: beside read-only colleagues they cannot demote themselves", async () => {
    // Through HTTP the acting administrator is always an active `admin` who may not change themselves, so the last
    // one cannot be taken away there (a race of two is refused by the write: the repository's contract tests); the
    // last-admin rule itself is the domain's (test/unit/domain/clinic-admin.test.ts).
    const lone = await createClinic(portal);
    const { account, client } = await loggedIn(lone);
    const reader = await addAdmin(portal, lone);
    await lone.scope.admins.setRole(reader.admin.id, 'read-only');

    const demoteSelf = await client.request(
      `/api/admin/admins/${account.admin.id}/role`,
      json({ role: 'read-only' }, { method: 'PUT' }),
    );

    expect(demoteSelf.status).toBe(409);
    expect((await listed(client)).filter((entry) => entry.role === 'admin' && entry.status === 'active')).toHaveLength(
      1,
    );
  });

  it("answers 404 for another clinic's administrator, an unknown id and a malformed one, and changes nothing", async () => {
    const other = await createClinic(portal);
    const stranger = await addAdmin(portal, other);
    const beforeOther = await tenantItemsSnapshot(other.tenantId);
    const beforeOurs = await tenantItemsSnapshot(clinic.tenantId);

    const statuses: Array<[string, number, string]> = [];
    for (const id of [stranger.admin.id, randomUUID(), 'not-an-id']) {
      for (const [path, init] of [
        ['invitation', { method: 'POST' }],
        ['role', json({ role: 'read-only' }, { method: 'PUT' })],
        ['deactivate', { method: 'POST' }],
        ['totp-reset', { method: 'POST' }],
      ] as const) {
        const response = await admin.request(`/api/admin/admins/${id}/${path}`, init);
        statuses.push([path, response.status, (await errorOf(response)).message]);
      }
    }

    expect(statuses.map(([, status]) => status)).toEqual(new Array(12).fill(404));
    expect(statuses[0]?.[2]).toContain('The administrator');
    expect(await tenantItemsSnapshot(other.tenantId)).toEqual(beforeOther);
    expect(await tenantItemsSnapshot(clinic.tenantId)).toEqual(beforeOurs);
    expect(await mailsTo(stranger.username)).toHaveLength(0);
  });
});

describe('a read-only administrator', () => {
  /**
   * The admin routes that may change something and are open to a read-only administrator: the login steps (no
   * session yet), the caller's own account, and the audit trail's check (it only chains events). Every other one
   * must refuse them; a new route is covered by the sweep below without being named anywhere.
   */
  const OPEN_TO_READ_ONLY = [
    'POST /api/admin/auth/login',
    'POST /api/admin/auth/verify',
    'POST /api/admin/auth/enrol',
    'POST /api/admin/auth/set-password',
    'POST /api/admin/auth/logout',
    'POST /api/admin/me/recovery-codes',
    'POST /api/admin/audit/verification',
  ];
  const SAFE = new Set(['GET', 'HEAD', 'ALL']);
  let reader: Awaited<ReturnType<typeof loggedIn>>;

  beforeAll(async () => {
    reader = await loggedIn(clinic);
    await clinic.scope.admins.setRole(reader.account.admin.id, 'read-only');
  });

  it('sees every admin page: the profile says the role', async () => {
    const profile = (await (await reader.client.request('/api/admin/me')).json()) as AdminProfileResponse;
    const pages = await Promise.all(
      [
        '/api/admin/admins',
        '/api/admin/customers',
        `/api/admin/customers/${clinic.customer.id}/documents`,
        `/api/admin/customers/${clinic.customer.id}/contacts`,
        '/api/admin/audit',
        '/api/admin/api-keys',
        '/api/admin/settings',
      ].map(async (path) => [path, (await reader.client.request(path)).status]),
    );

    expect(profile.admin).toMatchObject({ id: reader.account.admin.id, role: 'read-only' });
    expect(pages.filter(([, status]) => status !== 200)).toEqual([]);
  });

  it('is refused every other admin route that may change something (from the route table) with 403, and nothing changes', async () => {
    const colleague = await addAdmin(portal, clinic);
    const { document } = await clinic.addDocument(clinic.customer);
    const key = (await (await admin.request('/api/admin/api-keys', json({ name: 'Finns' }))).json()) as {
      key: { id: string };
    };
    const ids: Record<string, string> = {
      adminId: colleague.admin.id,
      customerId: clinic.customer.id,
      contactId: clinic.contact.contact.id,
      documentId: document.id,
      keyId: key.key.id,
    };
    const routes = [
      ...new Set(
        portal.app.routes
          .filter((route) => route.path.startsWith('/api/admin/') && !SAFE.has(route.method))
          .map((route) => `${route.method} ${route.path}`),
      ),
    ];
    const guarded = routes.filter((route) => !OPEN_TO_READ_ONLY.includes(route));
    const mailsBefore = (await portal.mailSink.list()).length;
    const before = await tenantItemsSnapshot(clinic.tenantId);

    const answers: string[] = [];
    for (const route of guarded) {
      const [method = '', template = ''] = route.split(' ');
      const path = template.replace(/:(\w+)/gu, (_, name: string) => {
        const id = ids[name];
        if (!id) throw new Error(`No id for :${name} of ${route}: add one to this test.`);
        return id;
      });
      // A body that could pass validation where a route takes one, so that only the role can refuse it.
      const response = await reader.client.request(path, json({ name: 'X', role: 'admin', reason: 'x' }, { method }));
      const error = await errorOf(response);
      answers.push(`${route} ${response.status} ${error.code}`);
    }

    expect(routes).toEqual(expect.arrayContaining(OPEN_TO_READ_ONLY));
    // The sweep reaches every kind of admin write, this page's included.
    expect(guarded.length).toBeGreaterThanOrEqual(15);
    expect(guarded).toEqual(
      expect.arrayContaining([
        'POST /api/admin/admins',
        'PUT /api/admin/admins/:adminId/role',
        'PUT /api/admin/settings',
      ]),
    );
    expect(answers).toEqual(guarded.map((route) => `${route} 403 read_only`));
    expect(await tenantItemsSnapshot(clinic.tenantId)).toEqual(before);
    expect((await portal.mailSink.list()).length).toBe(mailsBefore);
  });

  it('still looks after their own account (new recovery codes, logging out) and checks the audit trail', async () => {
    const verification = await reader.client.request('/api/admin/audit/verification', { method: 'POST' });
    const codes = await reader.client.request(
      '/api/admin/me/recovery-codes',
      json({ code: codeFor(portal, reader.account.totpSecret, 1) }),
    );
    const logout = await reader.client.request('/api/admin/auth/logout', { method: 'POST' });

    expect(verification.status).toBe(200);
    expect(await verification.json()).toMatchObject({ intact: true });
    expect(codes.status).toBe(200);
    expect(logout.status).toBe(204);
    expect((await reader.client.request('/api/admin/me')).status).toBe(401);
  });

  it('sees the 403 explain itself', async () => {
    const { client } = await loggedIn(clinic);
    const me = (await (await client.request('/api/admin/me')).json()) as AdminProfileResponse;
    await clinic.scope.admins.setRole(me.admin.id, 'read-only');

    const response = await client.request('/api/admin/admins', json({ name: 'A', email: 'a@b.se', role: 'admin' }));

    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({
      error: {
        code: 'read_only',
        message: 'Your role is read-only: you can see everything in the admin pages but change nothing.',
      },
    });
  });
});
