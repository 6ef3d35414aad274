import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AdminApiKeyIssuedResponse, AdminApiKeyListResponse } from '../../functions/http/admin-api-contract';
import { type AdminFixture, addAdmin, adminClientFor, json } from '../support/admin-fixture';
import { readAuditEvents } from '../support/audit-events';
import { type ClinicFixture, createClinic, createTestPortal } from '../support/test-portal';

/**
 * Issue 6, API keys: a clinic administrator creates (shown once), lists (never the key), rotates and revokes the
 * keys the practice system calls the ingest API with; what the ingest API accepts follows.
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

/** A call of the practice system with this key: the status the ingest API answers. */
async function ingestWith(secret: string, fixture: ClinicFixture = clinic): Promise<number> {
  const response = await portal.ingestApp.request(`https://${fixture.host}/ingest/v1/documents/${randomUUID()}`, {
    headers: { Authorization: `Bearer ${secret}` },
  });
  return response.status;
}

describe("the clinic's API keys", () => {
  it('creates a key shown once, lists it without the secret, rotates it with a grace period, and revokes it', async () => {
    const created = await admin.request('/api/admin/api-keys', json({ name: 'CGM J4 produktion' }));
    const issued = (await created.json()) as AdminApiKeyIssuedResponse;
    const list = await (await admin.request('/api/admin/api-keys')).text();

    expect(created.status).toBe(201);
    expect(issued.secret).toMatch(/^fpk_/u);
    expect(issued.key).toMatchObject({ name: 'CGM J4 produktion', state: 'active', createdBy: who.admin.name });
    expect(list).not.toContain(issued.secret);
    expect((JSON.parse(list) as AdminApiKeyListResponse).keys.map((key) => key.id)).toContain(issued.key.id);
    // An unknown document: 404 means the key was accepted; 401/403 would mean it was not.
    expect(await ingestWith(issued.secret)).toBe(404);

    const rotated = (await (
      await admin.request(`/api/admin/api-keys/${issued.key.id}/rotate`, json({ graceHours: 1 }))
    ).json()) as AdminApiKeyIssuedResponse;
    const states = (await (await admin.request('/api/admin/api-keys')).json()) as AdminApiKeyListResponse;

    expect(rotated.secret).not.toBe(issued.secret);
    expect(states.keys.find((key) => key.id === issued.key.id)).toMatchObject({ state: 'expiring' });
    expect(await ingestWith(issued.secret)).toBe(404);
    expect(await ingestWith(rotated.secret)).toBe(404);

    const revoked = await admin.request(`/api/admin/api-keys/${rotated.key.id}/revoke`, { method: 'POST' });

    expect(await revoked.json()).toMatchObject({ id: rotated.key.id, state: 'revoked' });
    expect(await ingestWith(rotated.secret)).toBe(403);
    const events = await readAuditEvents(clinic.tenantId, portal.clock.now().toISOString().slice(0, 7));
    expect(
      events
        .filter((event) => event.action.startsWith('api_key.') && event.actor.type === 'admin')
        .map((event) => event.action),
    ).toEqual(expect.arrayContaining(['api_key.created', 'api_key.rotated', 'api_key.revoked']));
    expect(JSON.stringify(events)).not.toContain(issued.secret);
  });

  it("names a bad name, and answers 404 for another clinic's key", async () => {
    const other = await createClinic(portal);
    const otherAdmin = adminClientFor(portal, other);
    await otherAdmin.login(await addAdmin(portal, other));
    const theirs = (await (
      await otherAdmin.request('/api/admin/api-keys', json({ name: 'Deras nyckel' }))
    ).json()) as AdminApiKeyIssuedResponse;

    const empty = await admin.request('/api/admin/api-keys', json({ name: '   ' }));
    const revokeTheirs = await admin.request(`/api/admin/api-keys/${theirs.key.id}/revoke`, { method: 'POST' });
    const rotateTheirs = await admin.request(`/api/admin/api-keys/${theirs.key.id}/rotate`, { method: 'POST' });

    expect(empty.status).toBe(400);
    expect([revokeTheirs.status, rotateTheirs.status]).toEqual([404, 404]);
    expect(await ingestWith(theirs.secret, other)).toBe(404);
  });
});
