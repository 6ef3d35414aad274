import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type {
  PreferencesResponse,
  ProfileResponse,
  SessionListResponse,
  SessionsRevokedResponse,
} from '../../functions/http/api-contract';
import { readAuditEvents } from '../support/audit-events';
import { type ClinicFixture, clientFor, createClinic, createTestPortal } from '../support/test-portal';

const portal = createTestPortal();
let clinic: ClinicFixture;

beforeAll(async () => {
  clinic = await createClinic(portal);
});

const send = (method: string, body?: unknown): RequestInit => ({
  method,
  ...(body === undefined ? {} : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
});

/** A contact of their own, logged in on `devices` clients (a fresh contact per test keeps the counts exact). */
async function contactOn(devices: number) {
  const login = await clinic.addContact([clinic.customer]);
  const clients = [];
  for (let index = 0; index < devices; index += 1) {
    const client = clientFor(portal, clinic);
    await client.login(login);
    clients.push(client);
  }
  return { ...login, clients };
}

async function sessionsOf(client: ReturnType<typeof clientFor>): Promise<SessionListResponse['sessions']> {
  const response = await client.request('/api/me/sessions');
  expect(response.status).toBe(200);
  return ((await response.json()) as SessionListResponse).sessions;
}

async function revocationsOf(contactId: string) {
  const month = portal.clock.now().toISOString().slice(0, 7);
  return (await readAuditEvents(clinic.tenantId, month)).filter(
    (event) => event.action === 'session.revoked' && event.actor.type === 'contact' && event.actor.id === contactId,
  );
}

describe('GET /api/me/sessions', () => {
  it('lists the contact’s own live sessions, the current one first and marked, and nothing about devices', async () => {
    const { clients } = await contactOn(3);
    const [here, , third] = clients;
    if (!here || !third) throw new Error('three clients');
    portal.clock.advance(2 * 60_000);
    // Listing from the third device touches its session: it is now the most recently active one.
    const thirdId = (await sessionsOf(third)).find((session) => session.current)?.id;
    // Another contact's session is not this contact's business.
    await clientFor(portal, clinic).login(clinic.otherCustomersContact);

    const sessions = await sessionsOf(here);

    expect(sessions).toHaveLength(3);
    expect(sessions.map((session) => session.current)).toEqual([true, false, false]);
    for (const session of sessions) {
      expect(Object.keys(session).sort()).toEqual(['createdAt', 'current', 'expiresAt', 'id', 'lastSeenAt']);
    }
    expect(sessions[1]?.id).toBe(thirdId);
  });

  it('leaves out revoked and timed-out sessions', async () => {
    const { clients } = await contactOn(2);
    const [here, idle] = clients;
    if (!here || !idle) throw new Error('two clients');
    // The current session stays active; the other one idles past the 30 minutes.
    for (let minute = 0; minute < 35; minute += 5) {
      portal.clock.advance(5 * 60_000);
      await here.request('/api/me');
    }

    expect(await sessionsOf(here)).toMatchObject([{ current: true }]);
  });

  it('needs a session', async () => {
    expect((await clientFor(portal, clinic).request('/api/me/sessions')).status).toBe(401);
  });
});

describe('DELETE /api/me/sessions/{sessionId}', () => {
  it('ends one other session of the contact at once, and audits it', async () => {
    const { contact, clients } = await contactOn(3);
    const [here, ended, kept] = clients;
    if (!here || !ended || !kept) throw new Error('three clients');
    const endedId = (await sessionsOf(ended)).find((session) => session.current)?.id;

    const response = await here.request(`/api/me/sessions/${endedId}`, send('DELETE'));

    expect(response.status).toBe(204);
    expect(response.headers.get('Set-Cookie')).toBeNull();
    expect((await ended.request('/api/me')).status).toBe(401);
    expect((await kept.request('/api/me')).status).toBe(200);
    expect((await here.request('/api/me')).status).toBe(200);
    expect(await sessionsOf(here)).toHaveLength(2);
    expect(await revocationsOf(contact.id)).toMatchObject([
      { outcome: 'success', details: { scope: 'one', revokedSessions: 1 } },
    ]);
  });

  it('answers 404 for another contact’s session, an ended one, an unknown one and a malformed id, and ends nothing', async () => {
    const { contact, clients } = await contactOn(2);
    const [here, other] = clients;
    if (!here || !other) throw new Error('two clients');
    const someoneElse = clientFor(portal, clinic);
    await someoneElse.login(clinic.otherCustomersContact);
    const theirs = (await sessionsOf(someoneElse)).find((session) => session.current)?.id;
    const mine = (await sessionsOf(other)).find((session) => session.current)?.id;
    await here.request(`/api/me/sessions/${mine}`, send('DELETE'));

    for (const id of [theirs, mine, randomUUID(), 'not-a-session']) {
      const response = await here.request(`/api/me/sessions/${id}`, send('DELETE'));
      expect(response.status, String(id)).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
    }
    expect((await someoneElse.request('/api/me')).status).toBe(200);
    expect(await revocationsOf(contact.id)).toHaveLength(1);
  });

  it('ending the current session is a logout: the cookie is deleted', async () => {
    const { clients } = await contactOn(1);
    const [here] = clients;
    if (!here) throw new Error('one client');
    const current = (await sessionsOf(here)).find((session) => session.current)?.id;

    const response = await here.request(`/api/me/sessions/${current}`, send('DELETE'));

    expect(response.status).toBe(204);
    expect(response.headers.get('Set-Cookie')).toMatch(/^__Host-session=;/u);
    expect((await here.request('/api/me')).status).toBe(401);
  });

  it('refuses a request without the portal’s Origin', async () => {
    const { clients } = await contactOn(2);
    const [here, other] = clients;
    if (!here || !other) throw new Error('two clients');
    const id = (await sessionsOf(other)).find((session) => session.current)?.id;

    const response = await here.request(`/api/me/sessions/${id}`, {
      method: 'DELETE',
      headers: { Origin: 'https://evil.example' },
    });

    expect(response.status).toBe(403);
    expect((await other.request('/api/me')).status).toBe(200);
  });
});

describe('POST /api/me/sessions/revoke-others and revoke-all', () => {
  it('"log out everywhere else" ends every other session and keeps this one', async () => {
    const { contact, clients } = await contactOn(3);
    const [here, ...others] = clients;
    if (!here) throw new Error('clients');

    const response = await here.request('/api/me/sessions/revoke-others', send('POST'));

    expect(response.status).toBe(200);
    expect((await response.json()) as SessionsRevokedResponse).toEqual({ revokedSessions: 2 });
    for (const other of others) expect((await other.request('/api/me')).status).toBe(401);
    expect(await sessionsOf(here)).toMatchObject([{ current: true }]);
    expect(await revocationsOf(contact.id)).toMatchObject([{ details: { scope: 'others', revokedSessions: 2 } }]);
  });

  it('"log out everywhere" ends every session, this one too, and deletes the cookie', async () => {
    const { contact, clients } = await contactOn(2);
    const [here, other] = clients;
    if (!here || !other) throw new Error('two clients');

    const response = await here.request('/api/me/sessions/revoke-all', send('POST'));

    expect(response.status).toBe(200);
    expect((await response.json()) as SessionsRevokedResponse).toEqual({ revokedSessions: 2 });
    expect(response.headers.get('Set-Cookie')).toMatch(/^__Host-session=;/u);
    expect((await here.request('/api/me')).status).toBe(401);
    expect((await other.request('/api/me')).status).toBe(401);
    const events = await revocationsOf(contact.id);
    expect(events).toMatchObject([{ outcome: 'success', details: { scope: 'all', revokedSessions: 2 } }]);
    expect(events[0]?.sourceIp).toEqual(expect.any(String));
  });

  it('need a session', async () => {
    const anonymous = clientFor(portal, clinic);
    expect((await anonymous.request('/api/me/sessions/revoke-others', send('POST'))).status).toBe(401);
    expect((await anonymous.request('/api/me/sessions/revoke-all', send('POST'))).status).toBe(401);
  });
});

describe('PATCH /api/me/preferences', () => {
  it('starts from the defaults in /api/me and the login answer: notifications on, Swedish', async () => {
    const { username, password } = await clinic.addContact([clinic.customer]);
    const client = clientFor(portal, clinic);
    const login = (await (await client.login({ username, password })).json()) as ProfileResponse;

    expect(login.preferences).toEqual({ notifyOnNewDocument: true, language: 'sv' });
    const me = (await (await client.request('/api/me')).json()) as ProfileResponse;
    expect(me.preferences).toEqual({ notifyOnNewDocument: true, language: 'sv' });
  });

  it('changes only the fields given, keeps the rest of the contact, and the change lasts', async () => {
    const { contact, clients } = await contactOn(1);
    const [client] = clients;
    if (!client) throw new Error('one client');

    const first = await client.request('/api/me/preferences', send('PATCH', { notifyOnNewDocument: false }));
    expect(first.status).toBe(200);
    expect((await first.json()) as PreferencesResponse).toEqual({ notifyOnNewDocument: false, language: 'sv' });
    const second = await client.request('/api/me/preferences', send('PATCH', { language: 'en' }));
    expect((await second.json()) as PreferencesResponse).toEqual({ notifyOnNewDocument: false, language: 'en' });

    const me = (await (await client.request('/api/me')).json()) as ProfileResponse;
    expect(me.preferences).toEqual({ notifyOnNewDocument: false, language: 'en' });
    expect(me.contact).toEqual({ id: contact.id, name: contact.name, email: contact.email });
    await expect(clinic.scope.contacts.get(contact.id)).resolves.toEqual({
      ...contact,
      notifyOnNewDocument: false,
      language: 'en',
    });
  });

  it.each([
    [{ language: 'de' }, 'language'],
    [{ notifyOnNewDocument: 'yes' }, 'notifyOnNewDocument'],
    [{}, '(body)'],
    [{ language: 'en', email: 'me@example.se' }, '(body)'],
  ])('refuses %j with 400 naming %s', async (body, field) => {
    const { clients } = await contactOn(1);
    const [client] = clients;
    if (!client) throw new Error('one client');

    const response = await client.request('/api/me/preferences', send('PATCH', body));

    expect(response.status).toBe(400);
    const error = ((await response.json()) as { error: { code: string; details: { fields: object } } }).error;
    expect(error.code).toBe('validation_failed');
    expect(Object.keys(error.details.fields)).toContain(field);
    const me = (await (await client.request('/api/me')).json()) as ProfileResponse;
    expect(me.preferences).toEqual({ notifyOnNewDocument: true, language: 'sv' });
  });

  it('needs a session and the portal’s Origin', async () => {
    const anonymous = await clientFor(portal, clinic).request('/api/me/preferences', send('PATCH', { language: 'en' }));
    expect(anonymous.status).toBe(401);

    const { clients } = await contactOn(1);
    const crossSite = await clients[0]?.request('/api/me/preferences', {
      ...send('PATCH', { language: 'en' }),
      headers: { 'Content-Type': 'application/json', Origin: 'https://evil.example' },
    });
    expect(crossSite?.status).toBe(403);
  });
});
