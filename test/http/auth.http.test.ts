import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { SignJWT, UnsecuredJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { sessionTimeoutsFor } from '../../functions/domain/session-policy';
import { readAuditEvents } from '../support/audit-events';
import { type ClinicFixture, clientFor, createClinic, createTestPortal } from '../support/test-portal';

const portal = createTestPortal();
/** The defaults: a clinic without a setting of its own (per-clinic values: session-timeouts.http.test.ts). */
const SESSION_POLICY = sessionTimeoutsFor('contact', undefined);
let clinic: ClinicFixture;

beforeAll(async () => {
  clinic = await createClinic(portal);
});

const json = (body: unknown) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

describe('password login', () => {
  it('logs a contact in with a host-only, HttpOnly, Secure, SameSite session cookie and names their companies', async () => {
    const client = clientFor(portal, clinic);

    const response = await client.request('/api/auth/login', json(clinic.contact));

    expect(response.status).toBe(200);
    const cookie = response.headers.get('Set-Cookie') ?? '';
    expect(cookie).toMatch(/^__Host-session=[\w-]+\.[\w-]+\.[\w-]+;/u);
    expect(cookie).toMatch(/; HttpOnly/u);
    expect(cookie).toMatch(/; Secure/u);
    expect(cookie).toMatch(/; SameSite=Lax/u);
    expect(cookie).toMatch(/; Path=\//u);
    expect(cookie).not.toMatch(/Domain=/iu);
    expect(await response.json()).toEqual({
      contact: {
        id: clinic.contact.contact.id,
        name: clinic.contact.contact.name,
        email: clinic.contact.contact.email,
      },
      customers: [{ id: clinic.customer.id, name: clinic.customer.name }],
      preferences: { notifyOnNewDocument: true, language: 'sv' },
    });
  });

  it('accepts the username in any letter case', async () => {
    const response = await clientFor(portal, clinic).request(
      '/api/auth/login',
      json({ username: clinic.contact.username.toUpperCase(), password: clinic.contact.password }),
    );

    expect(response.status).toBe(200);
  });

  it('answers a wrong password, an unknown user and a deactivated contact identically, without a cookie', async () => {
    const deactivated = await clinic.addContact([clinic.customer], 'deactivated');
    const attempts = [
      { username: clinic.contact.username, password: 'fel-lösenord-helt-enkelt' },
      { username: 'ingen-sadan@example.se', password: 'fel-lösenord-helt-enkelt' },
      { username: deactivated.username, password: deactivated.password },
    ];

    const responses = await Promise.all(
      attempts.map((attempt) => clientFor(portal, clinic).request('/api/auth/login', json(attempt))),
    );

    for (const response of responses) {
      expect(response.status).toBe(401);
      expect(response.headers.get('Set-Cookie')).toBeNull();
      expect(await response.json()).toEqual({
        error: { code: 'invalid_credentials', message: 'The username or password is wrong.' },
      });
    }
  });

  it('does not let a contact of one clinic log in on another clinic’s address', async () => {
    const otherClinic = await createClinic(portal);

    const response = await clientFor(portal, otherClinic).request('/api/auth/login', json(clinic.contact));

    expect(response.status).toBe(401);
  });

  it('writes an audit event for a failed and a successful login', async () => {
    const auditClinic = await createClinic(portal);
    const client = clientFor(portal, auditClinic);
    await client.request('/api/auth/login', json({ ...auditClinic.contact, password: 'wrong-wrong-wrong' }));
    portal.clock.advance(1000);
    await client.request('/api/auth/login', json(auditClinic.contact));

    const events = await readAuditEvents(auditClinic.tenantId, portal.clock.now().toISOString().slice(0, 7));

    expect(
      events.map((event) => [event.action, event.outcome, 'id' in event.actor ? event.actor.id : undefined]),
    ).toEqual([
      ['login.password', 'failure', auditClinic.contact.contact.id],
      ['login.password', 'success', auditClinic.contact.contact.id],
    ]);
    expect(JSON.stringify(events)).not.toContain('wrong-wrong-wrong');
  });
});

describe('bad login requests get a JSON error naming the problem, never a 500', () => {
  it.each([
    [
      'malformed JSON',
      { body: '{"username": ', type: 'application/json' },
      400,
      'validation_failed',
      /not valid JSON/u,
    ],
    [
      'a missing password',
      { body: '{"username":"a@b.se"}', type: 'application/json' },
      400,
      'validation_failed',
      /password/u,
    ],
    [
      'a username that cannot name an account (a space, a #)',
      { body: '{"username":"anna lind#1","password":"x"}', type: 'application/json' },
      400,
      'validation_failed',
      /username/u,
    ],
    [
      'a wrong type',
      { body: '{"username":1,"password":true}', type: 'application/json' },
      400,
      'validation_failed',
      /username, password/u,
    ],
    [
      'a form body',
      { body: 'username=a&password=b', type: 'application/x-www-form-urlencoded' },
      415,
      'unsupported_media_type',
      /JSON/u,
    ],
    [
      'a body over 32 KiB',
      { body: JSON.stringify({ username: 'a', password: 'x'.repeat(40_000) }), type: 'application/json' },
      413,
      'payload_too_large',
      /32768 bytes/u,
    ],
  ])('%s', async (_case, { body, type }, status, code, message) => {
    const response = await clientFor(portal, clinic).request('/api/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': type },
      body,
    });

    expect(response.status).toBe(status);
    const payload = (await response.json()) as { error: { code: string; message: string } };
    expect(payload.error.code).toBe(code);
    expect(payload.error.message).toMatch(message);
    expect(JSON.stringify(payload)).not.toMatch(/at .*\.ts:\d+/u);
  });

  it.each([
    ['another site', () => 'https://evil.example'],
    ['another port on the same host', () => `${clinic.origin}:8443`],
    ['plain http on the same host', () => clinic.origin.replace('https:', 'http:')],
    ['a malformed origin', () => 'null'],
  ])('refuses a login posted from %s (CSRF), whatever the credentials', async (_case, origin) => {
    const response = await clientFor(portal, clinic).request('/api/auth/login', {
      ...json(clinic.contact),
      headers: { 'Content-Type': 'application/json', Origin: origin() },
    });

    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: 'cross_origin_request' } });
  });

  it('refuses a state-changing request without any Origin header', async () => {
    const response = await portal.app.request(`https://${clinic.host}/api/auth/login`, json(clinic.contact));

    expect(response.status).toBe(403);
  });

  it('answers an unknown route and an unknown host with a JSON 404', async () => {
    const unknownRoute = await clientFor(portal, clinic).request('/api/no-such-thing');
    const unknownHost = await portal.app.request('https://nobody.portal.test/api/tenant');

    expect(unknownRoute.status).toBe(404);
    expect(await unknownRoute.json()).toMatchObject({ error: { code: 'route_not_found' } });
    expect(unknownHost.status).toBe(404);
    expect(await unknownHost.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});

describe('sessions', () => {
  it('serves the profile with a session and 401 without one', async () => {
    const client = clientFor(portal, clinic);
    const anonymous = await client.request('/api/me');
    await client.login(clinic.contact);

    const me = await client.request('/api/me');

    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { code: 'unauthenticated' } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ contact: { id: clinic.contact.contact.id } });
  });

  it('ends the session on the server at logout: the old cookie no longer works', async () => {
    const client = clientFor(portal, clinic);
    await client.login(clinic.contact);
    const oldCookie = client.cookie;

    const logout = await client.request('/api/auth/logout', { method: 'POST' });
    client.cookie = oldCookie;
    const afterLogout = await client.request('/api/me');

    expect(logout.status).toBe(204);
    expect(logout.headers.get('Set-Cookie')).toMatch(/^__Host-session=;.*Max-Age=0/u);
    expect(afterLogout.status).toBe(401);
  });

  it('answers a revoked session with 401 on every read, whatever the read alone would have answered', async () => {
    // Reads run while the session record is checked (functions/http/middleware/authenticate.ts); what they found
    // must never get out for a session that turns out to be dead.
    const client = clientFor(portal, clinic);
    await client.login(clinic.contact);
    await clinic.addDocument(clinic.customer);
    await clinic.scope.sessions.revokeAll(clinic.contact.contact.id);

    const reads = await Promise.all(
      [
        '/api/me',
        '/api/me/sessions',
        `/api/customers/${clinic.customer.id}/documents`,
        `/api/customers/${clinic.customer.id}/document-years`,
        // A company the contact may not see: the read alone would answer 404.
        `/api/customers/${clinic.otherCustomer.id}/documents`,
      ].map(async (path) => {
        const response = await client.request(path);
        return { path, status: response.status, body: await response.text() };
      }),
    );

    for (const read of reads) {
      expect(read.status, read.path).toBe(401);
      expect(JSON.parse(read.body), read.path).toEqual({ error: expect.objectContaining({ code: 'unauthenticated' }) });
    }
  });

  it('refuses a revoked session before a write does anything', async () => {
    const client = clientFor(portal, clinic);
    await client.login(clinic.contact);
    const { document } = await clinic.addDocument(clinic.customer);
    await clinic.scope.sessions.revokeAll(clinic.contact.contact.id);

    const download = await client.request(`/api/customers/${clinic.customer.id}/documents/${document.id}/download`, {
      method: 'POST',
    });

    expect(download.status).toBe(401);
    expect((await clinic.scope.documents.get(clinic.customer.id, document.id))?.firstDownload).toBeUndefined();
  });

  it('ends a session idle for longer than the idle timeout, but keeps an active one alive', async () => {
    const client = clientFor(portal, clinic);
    await client.login(clinic.contact);

    portal.clock.advance(SESSION_POLICY.idleTimeoutMs - 60_000);
    const stillActive = await client.request('/api/me');
    portal.clock.advance(SESSION_POLICY.idleTimeoutMs - 60_000);
    const activeAgain = await client.request('/api/me');
    portal.clock.advance(SESSION_POLICY.idleTimeoutMs + 1000);
    const idle = await client.request('/api/me');
    portal.clock.set(new Date());

    expect(stillActive.status).toBe(200);
    expect(activeAgain.status).toBe(200);
    expect(idle.status).toBe(401);
  });

  it('ends any session after the absolute timeout, however active', async () => {
    const client = clientFor(portal, clinic);
    await client.login(clinic.contact);
    const statuses: number[] = [];

    for (let elapsed = 0; elapsed <= SESSION_POLICY.absoluteTimeoutMs; elapsed += SESSION_POLICY.idleTimeoutMs / 2) {
      portal.clock.advance(SESSION_POLICY.idleTimeoutMs / 2);
      statuses.push((await client.request('/api/me')).status);
    }
    portal.clock.set(new Date());

    expect(statuses.slice(0, -2).every((status) => status === 200)).toBe(true);
    expect(statuses.at(-1)).toBe(401);
  });

  describe('forged tokens are refused', () => {
    const claims = () => ({ tid: clinic.tenantId, sid: randomUUID() });

    it.each([
      [
        'alg: none',
        async () =>
          new UnsecuredJWT(claims())
            .setSubject(clinic.contact.contact.id)
            .setIssuer('foretagsportal')
            .setAudience('foretagsportal:session')
            .setExpirationTime('1h')
            .encode(),
      ],
      [
        'signed with another key',
        async () =>
          new SignJWT(claims())
            .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT' })
            .setSubject(clinic.contact.contact.id)
            .setIssuer('foretagsportal')
            .setAudience('foretagsportal:session')
            .setIssuedAt()
            .setNotBefore('0s')
            .setExpirationTime('1h')
            .sign(generateKeyPairSync('ed25519').privateKey),
      ],
      ['garbage', async () => 'not.a.token'],
    ])('%s', async (_case, makeToken) => {
      const client = clientFor(portal, clinic);
      client.cookie = `__Host-session=${await makeToken()}`;

      const response = await client.request('/api/me');

      expect(response.status).toBe(401);
    });

    it('a genuine token with its tenant claim changed', async () => {
      const client = clientFor(portal, clinic);
      await client.login(clinic.contact);
      const [header, payload, signature] = (client.cookie ?? '').replace('__Host-session=', '').split('.');
      const claimsObject = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
      const otherClinic = await createClinic(portal);
      const tampered = Buffer.from(JSON.stringify({ ...claimsObject, tid: otherClinic.tenantId })).toString(
        'base64url',
      );
      const otherClient = clientFor(portal, otherClinic);
      otherClient.cookie = `__Host-session=${header}.${tampered}.${signature}`;

      const response = await otherClient.request('/api/me');

      expect(response.status).toBe(401);
    });

    it("a genuine token of one clinic presented on another clinic's address", async () => {
      const client = clientFor(portal, clinic);
      await client.login(clinic.contact);
      const otherClinic = await createClinic(portal);
      const otherClient = clientFor(portal, otherClinic);
      otherClient.cookie = client.cookie;

      const response = await otherClient.request('/api/me');

      expect(response.status).toBe(401);
    });
  });
});
