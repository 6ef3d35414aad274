import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_LOGIN_POLICY } from '../../functions/domain/clinic-admin';
import type { AdminEnrolmentResponse, AdminPasswordStepResponse } from '../../functions/http/admin-api-contract';
import {
  createClinicAdmin,
  deactivateClinicAdmin,
  inviteClinicAdmin,
} from '../../functions/use-cases/manage-clinic-admins';
import { type AdminFixture, addAdmin, adminClientFor, codeFor, json } from '../support/admin-fixture';
import { readAuditEvents } from '../support/audit-events';
import { type ClinicFixture, clientFor, createClinic, createTestPortal } from '../support/test-portal';

const portal = createTestPortal();
let clinic: ClinicFixture;

// A clinic per test: failures count per address and clinic, and every request here comes from one address.
beforeEach(async () => {
  clinic = await createClinic(portal, 'Hälsokliniken i Test AB');
});

const INVALID_CREDENTIALS = { error: { code: 'invalid_credentials', message: 'The username or password is wrong.' } };
const INVALID_CODE = { error: { code: 'invalid_code', message: 'The code is wrong or has already been used.' } };
const CHALLENGE_EXPIRED = {
  error: { code: 'challenge_expired', message: 'This login has expired. Please enter your password again.' },
};

/** Step 2 with a code from the app or a recovery code. */
const verify = (client: ReturnType<typeof adminClientFor>, body: Record<string, string>) =>
  client.request('/api/admin/auth/verify', json(body));

/** A code that is certainly not the app's at any nearby step. */
function wrongCode(fixture: Pick<AdminFixture, 'totpSecret'> | string): string {
  const secret = typeof fixture === 'string' ? fixture : fixture.totpSecret;
  const near = [-1, 0, 1].map((offset) => codeFor(portal, secret, offset));
  let candidate = 0;
  while (near.includes(String(candidate).padStart(6, '0'))) candidate += 1;
  return String(candidate).padStart(6, '0');
}

async function auditOf(adminId: string) {
  const events = await readAuditEvents(clinic.tenantId, portal.clock.now().toISOString().slice(0, 7));
  return events.filter((event) => 'id' in event.actor && event.actor.id === adminId);
}

describe('the password step', () => {
  it('answers a right password with a short-lived challenge for the code, never with a session', async () => {
    const fixture = await addAdmin(portal, clinic);
    const client = adminClientFor(portal, clinic);

    const response = await client.request('/api/admin/auth/login', json(fixture));

    expect(response.status).toBe(200);
    expect(response.headers.get('Set-Cookie')).toBeNull();
    const body = (await response.json()) as AdminPasswordStepResponse;
    expect(body).toEqual({ status: 'totp_required', challengeId: expect.any(String), expiresAt: expect.any(String) });
    expect(Date.parse(body.expiresAt) - portal.clock.now().getTime()).toBeLessThanOrEqual(
      ADMIN_LOGIN_POLICY.challengeTtlSeconds * 1000,
    );
    expect((await client.request('/api/admin/me')).status).toBe(401);
  });

  it('answers a wrong password, an unknown name, a name without a password, a deactivated administrator and a contact’s credentials alike', async () => {
    const fixture = await addAdmin(portal, clinic);
    const invited = await addAdmin(portal, clinic, { password: null, enrolled: false });
    const deactivated = await addAdmin(portal, clinic, { status: 'deactivated' });
    const attempts = [
      { username: fixture.username, password: 'fel-lösenord-helt-enkelt' },
      { username: `ingen-${randomUUID().slice(0, 8)}@klinik.example`, password: 'fel-lösenord-helt-enkelt' },
      { username: invited.username, password: 'vad-som-helst-här' },
      { username: deactivated.username, password: deactivated.password },
      { username: clinic.contact.username, password: clinic.contact.password },
    ];

    const responses = await Promise.all(
      attempts.map((attempt) => adminClientFor(portal, clinic).request('/api/admin/auth/login', json(attempt))),
    );

    for (const response of responses) {
      expect(response.status).toBe(401);
      expect(response.headers.get('Set-Cookie')).toBeNull();
      expect(await response.json()).toEqual(INVALID_CREDENTIALS);
    }
  });

  it('refuses an administrator of another clinic on this clinic’s address', async () => {
    const otherClinic = await createClinic(portal);
    const elsewhere = await addAdmin(portal, otherClinic);

    const response = await adminClientFor(portal, clinic).request('/api/admin/auth/login', json(elsewhere));

    expect(response.status).toBe(401);
  });

  it('refuses a login posted from another site (CSRF) or without an Origin', async () => {
    const fixture = await addAdmin(portal, clinic);
    const client = adminClientFor(portal, clinic);

    const crossSite = await client.request(
      '/api/admin/auth/login',
      json(fixture, { headers: { Origin: 'https://evil.example' } }),
    );
    const noOrigin = await portal.app.request(`https://${clinic.host}/api/admin/auth/login`, json(fixture));

    expect(crossSite.status).toBe(403);
    expect(noOrigin.status).toBe(403);
    expect(await crossSite.json()).toMatchObject({ error: { code: 'cross_origin_request' } });
  });
});

describe('the code step', () => {
  it('logs the administrator in with the app’s current code: a host-only, HttpOnly, Secure, SameSite=Strict cookie of its own', async () => {
    const fixture = await addAdmin(portal, clinic);
    const client = adminClientFor(portal, clinic);
    const { challengeId } = await client.passwordStep(fixture);

    const response = await verify(client, { challengeId, code: codeFor(portal, fixture.totpSecret) });

    expect(response.status).toBe(200);
    const cookie = response.headers.get('Set-Cookie') ?? '';
    expect(cookie).toMatch(/^__Host-admin-session=[\w-]+\.[\w-]+\.[\w-]+;/u);
    expect(cookie).toMatch(/; HttpOnly/u);
    expect(cookie).toMatch(/; Secure/u);
    expect(cookie).toMatch(/; SameSite=Strict/u);
    expect(cookie).toMatch(/; Path=\//u);
    expect(cookie).not.toMatch(/Domain=/iu);
    const profile = {
      admin: { id: fixture.admin.id, name: fixture.admin.name, email: fixture.admin.email, role: 'admin' },
      clinic: { name: 'Hälsokliniken i Test AB' },
    };
    expect(await response.json()).toEqual(profile);
    const me = await client.request('/api/admin/me');
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual(profile);
  });

  it('refuses a wrong code, and lets the administrator try again on the same challenge', async () => {
    const fixture = await addAdmin(portal, clinic);
    const client = adminClientFor(portal, clinic);
    const { challengeId } = await client.passwordStep(fixture);

    const wrong = await verify(client, { challengeId, code: wrongCode(fixture) });
    const right = await verify(client, { challengeId, code: codeFor(portal, fixture.totpSecret) });

    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual(INVALID_CODE);
    expect(right.status).toBe(200);
  });

  it('accepts a code only once: replaying it, even with a new challenge, is refused', async () => {
    const fixture = await addAdmin(portal, clinic);
    const code = codeFor(portal, fixture.totpSecret);
    await adminClientFor(portal, clinic).login(fixture, code);
    const client = adminClientFor(portal, clinic);
    const { challengeId } = await client.passwordStep(fixture);

    const replayed = await verify(client, { challengeId, code });

    expect(replayed.status).toBe(401);
    expect(await replayed.json()).toEqual(INVALID_CODE);
    // The next step's code is fine: only steps already used (or older) are refused.
    expect((await verify(client, { challengeId, code: codeFor(portal, fixture.totpSecret, 1) })).status).toBe(200);
  });

  it('tolerates 30 seconds of clock skew either way, but not a code from two steps ago or ahead', async () => {
    const fixture = await addAdmin(portal, clinic);
    const client = adminClientFor(portal, clinic);
    const { challengeId } = await client.passwordStep(fixture);

    const tooOld = await verify(client, { challengeId, code: codeFor(portal, fixture.totpSecret, -2) });
    const tooNew = await verify(client, { challengeId, code: codeFor(portal, fixture.totpSecret, 2) });
    const behind = await verify(client, { challengeId, code: codeFor(portal, fixture.totpSecret, -1) });
    const ahead = await adminClientFor(portal, clinic).login(fixture, codeFor(portal, fixture.totpSecret, 1));

    expect(tooOld.status).toBe(401);
    expect(tooNew.status).toBe(401);
    expect(behind.status).toBe(200);
    expect(ahead.admin.id).toBe(fixture.admin.id);
  });

  it('ends the challenge after 5 wrong codes: the right code no longer helps, the password must be given again', async () => {
    const fixture = await addAdmin(portal, clinic);
    const client = adminClientFor(portal, clinic);
    const { challengeId } = await client.passwordStep(fixture);
    const statuses: Array<{ code: string }> = [];

    for (let attempt = 1; attempt <= ADMIN_LOGIN_POLICY.challengeMaxFailures; attempt += 1) {
      const response = await verify(client, { challengeId, code: wrongCode(fixture) });
      statuses.push(((await response.json()) as { error: { code: string } }).error);
    }
    const rightTooLate = await verify(client, { challengeId, code: codeFor(portal, fixture.totpSecret) });

    expect(statuses.map((error) => error.code)).toEqual([
      'invalid_code',
      'invalid_code',
      'invalid_code',
      'invalid_code',
      'challenge_expired',
    ]);
    expect(rightTooLate.status).toBe(401);
    expect(await rightTooLate.json()).toEqual(CHALLENGE_EXPIRED);
  });

  it('lets a challenge live 5 minutes and serve one login only', async () => {
    const fixture = await addAdmin(portal, clinic);
    const client = adminClientFor(portal, clinic);
    const first = await client.passwordStep(fixture);
    const second = await client.passwordStep(fixture);

    const used = await verify(client, { challengeId: first.challengeId, code: codeFor(portal, fixture.totpSecret) });
    const reused = await verify(client, {
      challengeId: first.challengeId,
      code: codeFor(portal, fixture.totpSecret, 1),
    });
    portal.clock.advance(ADMIN_LOGIN_POLICY.challengeTtlSeconds * 1000 + 1000);
    const expired = await verify(client, {
      challengeId: second.challengeId,
      code: codeFor(portal, fixture.totpSecret, 1),
    });
    const unknown = await verify(client, { challengeId: randomUUID(), code: codeFor(portal, fixture.totpSecret) });

    expect(used.status).toBe(200);
    expect(await reused.json()).toEqual(CHALLENGE_EXPIRED);
    expect(await expired.json()).toEqual(CHALLENGE_EXPIRED);
    expect(await unknown.json()).toEqual(CHALLENGE_EXPIRED);
  });

  it('does not accept another clinic’s challenge', async () => {
    const otherClinic = await createClinic(portal);
    const elsewhere = await addAdmin(portal, otherClinic);
    const { challengeId } = await adminClientFor(portal, otherClinic).passwordStep(elsewhere);

    const response = await verify(adminClientFor(portal, clinic), {
      challengeId,
      code: codeFor(portal, elsewhere.totpSecret),
    });

    expect(await response.json()).toEqual(CHALLENGE_EXPIRED);
  });

  it('accepts a recovery code instead of a code, once, and records its use', async () => {
    const fixture = await addAdmin(portal, clinic);
    const [recoveryCode = ''] = fixture.recoveryCodes;
    const client = adminClientFor(portal, clinic);
    const first = await client.passwordStep(fixture);

    const used = await verify(client, { challengeId: first.challengeId, recoveryCode: recoveryCode.toUpperCase() });
    const second = await client.passwordStep(fixture);
    const again = await verify(client, { challengeId: second.challengeId, recoveryCode });
    const another = await verify(client, {
      challengeId: second.challengeId,
      recoveryCode: fixture.recoveryCodes[1] ?? '',
    });

    expect(used.status).toBe(200);
    expect(await again.json()).toEqual(INVALID_CODE);
    expect(another.status).toBe(200);
    const events = await auditOf(fixture.admin.id);
    expect(events.filter((event) => event.action === 'admin.recovery_code.used')).toEqual([
      expect.objectContaining({ outcome: 'success', details: { remaining: 9 } }),
      expect.objectContaining({ outcome: 'success', details: { remaining: 8 } }),
    ]);
    expect(JSON.stringify(events)).not.toContain(recoveryCode);
  });

  it('asks for exactly one of a code and a recovery code', async () => {
    const response = await verify(adminClientFor(portal, clinic), { challengeId: randomUUID() });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'validation_failed' } });
  });
});

describe('throttling', () => {
  it('counts wrong codes on the administrator’s account: after a run of failures even the right password waits', async () => {
    const fixture = await addAdmin(portal, clinic);
    const client = adminClientFor(portal, clinic);
    const { challengeId } = await client.passwordStep(fixture);
    for (let attempt = 1; attempt <= ADMIN_LOGIN_POLICY.challengeMaxFailures; attempt += 1) {
      await verify(client, { challengeId, code: wrongCode(fixture) });
    }

    const delayed = await client.request('/api/admin/auth/login', json(fixture));
    portal.clock.advance(60_000);
    const afterTheDelay = await client.request('/api/admin/auth/login', json(fixture));

    expect(delayed.status).toBe(401);
    expect(await delayed.json()).toEqual(INVALID_CREDENTIALS);
    expect(afterTheDelay.status).toBe(200);
  });

  it('locks the account at 100 failures; the lock is the administrator’s alone, not the contact’s with the same address', async () => {
    const fixture = await addAdmin(portal, clinic, { email: clinic.otherCustomersContact.username });
    const throttle = clinic.scope.adminLoginThrottle;
    let seen = await throttle.getAccount(fixture.username, portal.clock.now());
    for (let failure = 1; failure < 100; failure += 1) {
      seen = await throttle.recordAccountFailure(fixture.username, portal.clock.now(), {
        seen,
        forgetAfterSeconds: 3600,
      });
    }
    portal.clock.advance(60 * 60_000);
    const hundredth = await adminClientFor(portal, clinic).request(
      '/api/admin/auth/login',
      json({ ...fixture, password: 'fel-lösenord-helt-enkelt' }),
    );

    portal.clock.advance(60 * 60_000);
    const rightPassword = await adminClientFor(portal, clinic).request('/api/admin/auth/login', json(fixture));
    const contactLogin = await clientFor(portal, clinic).request('/api/auth/login', json(clinic.otherCustomersContact));

    expect(hundredth.status).toBe(401);
    await expect(throttle.getAccount(fixture.username, portal.clock.now())).resolves.toMatchObject({
      status: 'locked',
    });
    expect(rightPassword.status).toBe(401);
    expect(await rightPassword.json()).toEqual(INVALID_CREDENTIALS);
    expect(contactLogin.status).toBe(200);
  });
});

describe('enrolment at the first login', () => {
  const provisioned = () => addAdmin(portal, clinic, { enrolled: false });

  it('hands out an otpauth URI and the secret, keeps the same secret until enrolment is done, and starts no session', async () => {
    const fixture = await provisioned();
    const client = adminClientFor(portal, clinic);

    const first = await client.passwordStep(fixture);
    const second = await client.passwordStep(fixture);

    expect(first.status).toBe('enrolment_required');
    if (first.status !== 'enrolment_required' || second.status !== 'enrolment_required')
      throw new Error('no enrolment');
    const uri = new URL(first.enrolment.otpauthUri);
    expect(uri.protocol).toBe('otpauth:');
    expect(decodeURIComponent(uri.pathname)).toBe(`/Hälsokliniken i Test AB Företagsportal:${fixture.username}`);
    expect(uri.searchParams.get('issuer')).toBe('Hälsokliniken i Test AB Företagsportal');
    expect(uri.searchParams.get('secret')).toBe(first.enrolment.secret);
    expect(first.enrolment.secret).toMatch(/^[A-Z2-7]{32}$/u);
    expect(second.enrolment.secret).toBe(first.enrolment.secret);
    expect(client.cookies.size).toBe(0);
  });

  it('completes with a code from the new app: recovery codes shown once, a session, and from then on codes are asked for', async () => {
    const fixture = await provisioned();
    const client = adminClientFor(portal, clinic);
    const step = await client.passwordStep(fixture);
    if (step.status !== 'enrolment_required') throw new Error('no enrolment');

    const wrong = await client.request(
      '/api/admin/auth/enrol',
      json({ challengeId: step.challengeId, code: wrongCode(step.enrolment.secret) }),
    );
    const enrolled = await client.request(
      '/api/admin/auth/enrol',
      json({ challengeId: step.challengeId, code: codeFor(portal, step.enrolment.secret) }),
    );

    expect(await wrong.json()).toEqual(INVALID_CODE);
    expect(enrolled.status).toBe(200);
    expect(enrolled.headers.get('Set-Cookie')).toMatch(/^__Host-admin-session=/u);
    const body = (await enrolled.json()) as AdminEnrolmentResponse;
    expect(body.admin.id).toBe(fixture.admin.id);
    expect(body.recoveryCodes).toHaveLength(10);
    expect((await client.request('/api/admin/me')).status).toBe(200);
    const next = await adminClientFor(portal, clinic).passwordStep(fixture);
    expect(next.status).toBe('totp_required');
    const withRecoveryCode = await verify(adminClientFor(portal, clinic), {
      challengeId: next.challengeId,
      recoveryCode: body.recoveryCodes[0] ?? '',
    });
    expect(withRecoveryCode.status).toBe(200);
    const actions = (await auditOf(fixture.admin.id)).map((event) => [event.action, event.outcome]);
    expect(actions).toEqual(
      expect.arrayContaining([
        ['admin.totp.enrolled', 'success'],
        ['admin.login.totp', 'success'],
      ]),
    );
  });

  it('does not take a code step for an enrolment, or an enrolment for a code step', async () => {
    const fixture = await provisioned();
    const enrolled = await addAdmin(portal, clinic);
    const client = adminClientFor(portal, clinic);
    const enrolment = await client.passwordStep(fixture);
    const codeStep = await client.passwordStep(enrolled);
    if (enrolment.status !== 'enrolment_required') throw new Error('no enrolment');

    const viaVerify = await verify(client, {
      challengeId: enrolment.challengeId,
      code: codeFor(portal, enrolment.enrolment.secret),
    });
    const viaEnrol = await client.request(
      '/api/admin/auth/enrol',
      json({ challengeId: codeStep.challengeId, code: codeFor(portal, enrolled.totpSecret) }),
    );

    expect(await viaVerify.json()).toEqual(CHALLENGE_EXPIRED);
    expect(await viaEnrol.json()).toEqual(CHALLENGE_EXPIRED);
  });
});

describe('admin sessions', () => {
  it('never let a contact’s session open admin routes, nor an administrator’s session contact routes', async () => {
    const fixture = await addAdmin(portal, clinic);
    const adminClient = adminClientFor(portal, clinic);
    await adminClient.login(fixture);
    const adminToken = adminClient.cookies.get('__Host-admin-session') ?? '';
    const contactClient = clientFor(portal, clinic);
    await contactClient.login(clinic.contact);
    const contactToken = (contactClient.cookie ?? '').replace('__Host-session=', '');

    const contactCookieOnAdmin = await adminClientFor(portal, clinic).request('/api/admin/me', {
      headers: { Cookie: `__Host-session=${contactToken}` },
    });
    const contactTokenAsAdminCookie = await adminClientFor(portal, clinic).request('/api/admin/me', {
      headers: { Cookie: `__Host-admin-session=${contactToken}` },
    });
    const adminCookieOnContact = await clientFor(portal, clinic).request('/api/me', {
      headers: { Cookie: `__Host-admin-session=${adminToken}` },
    });
    const adminTokenAsContactCookie = await clientFor(portal, clinic).request('/api/me', {
      headers: { Cookie: `__Host-session=${adminToken}` },
    });

    for (const response of [
      contactCookieOnAdmin,
      contactTokenAsAdminCookie,
      adminCookieOnContact,
      adminTokenAsContactCookie,
    ]) {
      expect(response.status).toBe(401);
    }
    expect((await adminClient.request('/api/admin/me')).status).toBe(200);
    expect((await contactClient.request('/api/me')).status).toBe(200);
  });

  it('does not let an administrator’s session of one clinic in on another clinic’s address', async () => {
    const fixture = await addAdmin(portal, clinic);
    const client = adminClientFor(portal, clinic);
    await client.login(fixture);
    const otherClinic = await createClinic(portal);

    const response = await adminClientFor(portal, otherClinic).request('/api/admin/me', {
      headers: { Cookie: `__Host-admin-session=${client.cookies.get('__Host-admin-session')}` },
    });

    expect(response.status).toBe(401);
  });

  it('ends the session on the server at logout: the old cookie no longer works', async () => {
    const fixture = await addAdmin(portal, clinic);
    const client = adminClientFor(portal, clinic);
    await client.login(fixture);
    const oldCookie = `__Host-admin-session=${client.cookies.get('__Host-admin-session')}`;

    const logout = await client.request('/api/admin/auth/logout', { method: 'POST' });
    const afterLogout = await client.request('/api/admin/me', { headers: { Cookie: oldCookie } });

    expect(logout.status).toBe(204);
    expect(logout.headers.get('Set-Cookie')).toMatch(/^__Host-admin-session=;.*Max-Age=0/u);
    expect(afterLogout.status).toBe(401);
  });

  it('ends every session of a deactivated administrator at once, and refuses their password from then on', async () => {
    const fixture = await addAdmin(portal, clinic);
    const client = adminClientFor(portal, clinic);
    await client.login(fixture);

    const { revokedSessions } = await deactivateClinicAdmin(
      { scope: clinic.scope, clock: portal.clock, ids: portal.deps.ids },
      { adminId: fixture.admin.id, by: { type: 'operator', id: 'test' } },
    );
    const me = await client.request('/api/admin/me');
    const login = await adminClientFor(portal, clinic).request('/api/admin/auth/login', json(fixture));

    expect(revokedSessions).toBe(1);
    expect(me.status).toBe(401);
    expect(await login.json()).toEqual(INVALID_CREDENTIALS);
  });

  it('makes new recovery codes for a current code; the old ones stop working', async () => {
    const fixture = await addAdmin(portal, clinic);
    const client = adminClientFor(portal, clinic);
    await client.login(fixture);

    const withoutCode = await client.request('/api/admin/me/recovery-codes', json({ code: wrongCode(fixture) }));
    const regenerated = await client.request(
      '/api/admin/me/recovery-codes',
      json({ code: codeFor(portal, fixture.totpSecret, 1) }),
    );
    const { challengeId } = await adminClientFor(portal, clinic).passwordStep(fixture);
    const oldCode = await verify(adminClientFor(portal, clinic), {
      challengeId,
      recoveryCode: fixture.recoveryCodes[0] ?? '',
    });

    expect(withoutCode.status).toBe(401);
    expect(regenerated.status).toBe(200);
    const { recoveryCodes } = (await regenerated.json()) as { recoveryCodes: string[] };
    expect(recoveryCodes).toHaveLength(10);
    expect(recoveryCodes).not.toContain(fixture.recoveryCodes[0]);
    expect(await oldCode.json()).toEqual(INVALID_CODE);
  });
});

describe('audit', () => {
  it('records every step with its reason, never a password or a code', async () => {
    const fixture = await addAdmin(portal, clinic);
    const client = adminClientFor(portal, clinic);
    await client.request('/api/admin/auth/login', json({ ...fixture, password: 'fel-lösenord-helt-enkelt' }));
    const { challengeId } = await client.passwordStep(fixture);
    const wrong = wrongCode(fixture);
    await verify(client, { challengeId, code: wrong });
    const right = codeFor(portal, fixture.totpSecret);
    await verify(client, { challengeId, code: right });

    const events = await auditOf(fixture.admin.id);

    expect(
      events.map((event) => [event.action, event.outcome, event.details?.reason ?? event.details?.method]),
    ).toEqual([
      ['admin.login.password', 'failure', 'invalid_credentials'],
      ['admin.login.password', 'success', undefined],
      ['admin.login.totp', 'failure', 'invalid_code'],
      ['admin.login.totp', 'success', 'totp'],
    ]);
    expect(events[1]?.details).toEqual({ next: 'totp' });
    expect(events.every((event) => event.actor.type === 'admin' && event.sourceIp === '127.0.0.1')).toBe(true);
    const stored = JSON.stringify(events);
    for (const secret of [fixture.password, 'fel-lösenord-helt-enkelt', wrong, right])
      expect(stored).not.toContain(secret);
  });
});

describe('invitations', () => {
  it('lets a provisioned administrator set a password with the mailed link (8 characters suffice: a second factor follows)', async () => {
    const deps = { scope: clinic.scope, clock: portal.clock, ids: portal.deps.ids };
    const email = `ny-admin-${randomUUID().slice(0, 8)}@klinik.example`;
    const admin = await createClinicAdmin(deps, { name: 'Nils Nyström', email, by: { type: 'operator', id: 'test' } });
    await inviteClinicAdmin(
      { ...deps, mailer: portal.mailSink },
      { admin, origin: clinic.origin, by: { type: 'operator', id: 'test' } },
    );
    const mail = (await portal.mailSink.list()).find((sent) => sent.to.address === email);
    const link = /https:\/\/\S+\/admin\/satt-losenord#(\S+)/u.exec(mail?.text ?? '');
    const token = link?.[1] ?? '';
    const client = adminClientFor(portal, clinic);

    const tooShort = await client.request('/api/admin/auth/set-password', json({ token, newPassword: 'kort-1x' }));
    const onContactRoute = await client.request('/api/auth/set-password', json({ token, newPassword: 'blåbärsris' }));
    const set = await client.request('/api/admin/auth/set-password', json({ token, newPassword: 'blåbärsris' }));
    const again = await client.request('/api/admin/auth/set-password', json({ token, newPassword: 'lingonris' }));
    const login = await client.passwordStep({ username: email, password: 'blåbärsris' });

    expect(mail?.kind).toBe('admin-invitation');
    expect(link?.[0]).toContain(`${clinic.origin}/admin/satt-losenord#admin.${admin.id}.`);
    expect(tooShort.status).toBe(400);
    expect(await tooShort.json()).toMatchObject({ error: { code: 'password_rejected' } });
    expect(await onContactRoute.json()).toMatchObject({ error: { code: 'link_invalid' } });
    expect(set.status).toBe(200);
    expect(await set.json()).toEqual({ username: email });
    expect(await again.json()).toMatchObject({ error: { code: 'link_invalid' } });
    expect(login.status).toBe('enrolment_required');
  });
});
