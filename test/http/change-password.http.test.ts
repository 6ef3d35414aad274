import { beforeAll, describe, expect, it } from 'vitest';
import { startSession } from '../../functions/use-cases/start-session';
import { readAuditEvents } from '../support/audit-events';
import { type ClinicFixture, clientFor, createClinic, createTestPortal } from '../support/test-portal';

const portal = createTestPortal();
let clinic: ClinicFixture;

beforeAll(async () => {
  clinic = await createClinic(portal);
});

const json = (body: unknown) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

const NEW_PASSWORD = 'en helt ny mening om hösten';

describe('POST /api/me/password', () => {
  it('changes the password: the new one logs in, the old one does not, other sessions end, this one lives on', async () => {
    const { username, password, contact } = await clinic.addContact([clinic.customer]);
    const here = clientFor(portal, clinic);
    const elsewhere = clientFor(portal, clinic);
    await here.login({ username, password });
    await elsewhere.login({ username, password });

    const response = await here.request(
      '/api/me/password',
      json({ currentPassword: password, newPassword: NEW_PASSWORD }),
    );

    expect(response.status).toBe(204);
    expect((await here.request('/api/me')).status).toBe(200);
    expect((await elsewhere.request('/api/me')).status).toBe(401);
    const oldLogin = await clientFor(portal, clinic).request('/api/auth/login', json({ username, password }));
    expect(oldLogin.status).toBe(401);
    await clientFor(portal, clinic).login({ username, password: NEW_PASSWORD });

    const month = portal.clock.now().toISOString().slice(0, 7);
    const events = (await readAuditEvents(clinic.tenantId, month)).filter(
      (event) => event.action === 'password.changed' && event.actor.type === 'contact' && event.actor.id === contact.id,
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ outcome: 'success', details: { revokedSessions: 1 } });
    expect(JSON.stringify(events)).not.toContain(password);
    expect(JSON.stringify(events)).not.toContain(NEW_PASSWORD);
  });

  it('refuses a wrong current password with 400 and keeps the old password', async () => {
    const { username, password, contact } = await clinic.addContact([clinic.customer]);
    const client = clientFor(portal, clinic);
    await client.login({ username, password });

    const response = await client.request(
      '/api/me/password',
      json({ currentPassword: 'inte mitt lösenord alls', newPassword: NEW_PASSWORD }),
    );

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { code: 'wrong_current_password', message: 'The current password is wrong.' },
    });
    await clientFor(portal, clinic).login({ username, password });
    const month = portal.clock.now().toISOString().slice(0, 7);
    const events = (await readAuditEvents(clinic.tenantId, month)).filter(
      (event) => event.action === 'password.changed' && event.actor.type === 'contact' && event.actor.id === contact.id,
    );
    expect(events).toMatchObject([{ outcome: 'failure', details: { reason: 'wrong_current_password' } }]);
  });

  it('answers a password the policy rejects with every reason, in Swedish and English, and changes nothing', async () => {
    const { username, password } = await clinic.addContact([clinic.customer]);
    const client = clientFor(portal, clinic);
    await client.login({ username, password });

    const response = await client.request('/api/me/password', json({ currentPassword: password, newPassword: 'aaaa' }));

    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; details: { reasons: unknown[] } } };
    expect(body.error.code).toBe('password_rejected');
    expect(body.error.details.reasons).toEqual([
      { code: 'too_short', min: 15, message: { sv: expect.any(String), en: expect.any(String) } },
      { code: 'repeated_character', message: { sv: expect.any(String), en: expect.any(String) } },
    ]);

    const withUsername = await client.request(
      '/api/me/password',
      json({ currentPassword: password, newPassword: `mitt namn är ${username.split('@')[0]?.toUpperCase()}` }),
    );
    expect(withUsername.status).toBe(400);
    expect(await withUsername.json()).toMatchObject({
      error: { code: 'password_rejected', details: { reasons: [{ code: 'contains_username' }] } },
    });

    const common = await client.request(
      '/api/me/password',
      json({ currentPassword: password, newPassword: 'Password12345678' }),
    );
    expect(common.status).toBe(400);
    expect(await common.json()).toMatchObject({
      error: { code: 'password_rejected', details: { reasons: [{ code: 'too_common' }] } },
    });
    await clientFor(portal, clinic).login({ username, password });
  });

  it('validates the body', async () => {
    const { username, password } = await clinic.addContact([clinic.customer]);
    const client = clientFor(portal, clinic);
    await client.login({ username, password });

    const response = await client.request('/api/me/password', json({ currentPassword: password }));

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'validation_failed' } });
  });

  it('needs a session', async () => {
    const response = await clientFor(portal, clinic).request(
      '/api/me/password',
      json({ currentPassword: clinic.contact.password, newPassword: NEW_PASSWORD }),
    );

    expect(response.status).toBe(401);
  });

  it('refuses a request without the portal’s Origin', async () => {
    const { username, password } = await clinic.addContact([clinic.customer]);
    const client = clientFor(portal, clinic);
    await client.login({ username, password });

    const request = (origin: string) =>
      client.request('/api/me/password', {
        ...json({ currentPassword: password, newPassword: NEW_PASSWORD }),
        headers: { 'Content-Type': 'application/json', Origin: origin },
      });
    const crossSite = await request('https://evil.example');

    expect(crossSite.status).toBe(403);
    expect(await crossSite.json()).toMatchObject({ error: { code: 'cross_origin_request' } });
    await clientFor(portal, clinic).login({ username, password });
  });

  it('answers 409 no_password for a contact who logs in with BankID only', async () => {
    const contact = await clinic.addContactWithoutPassword('Bengt BankID');
    const session = await startSession(
      { scope: clinic.scope, tokens: portal.deps.tokens, clock: portal.clock, ids: portal.deps.ids },
      contact,
      { method: 'bankid', sourceIp: '192.0.2.1' },
    );
    const client = clientFor(portal, clinic);
    client.cookie = `__Host-session=${session.token}`;

    const response = await client.request(
      '/api/me/password',
      json({ currentPassword: 'vad som helst', newPassword: NEW_PASSWORD }),
    );

    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({
      error: { code: 'no_password', message: 'You log in with BankID; there is no password to change.' },
    });
  });
});
