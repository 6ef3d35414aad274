import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { deriveTheme } from '../../functions/domain/branding';
import type { AdminSettingsResponse } from '../../functions/http/admin-api-contract';
import type { TenantResponse } from '../../functions/http/api-contract';
import { addAdmin, adminClientFor, json } from '../support/admin-fixture';
import { readAuditEvents } from '../support/audit-events';
import { ingestClient } from '../support/ingest-client';
import { type ClinicFixture, clientFor, createClinic, createTestPortal } from '../support/test-portal';

/**
 * Issue 6, the clinic's settings: name, support text, colours and contact details, session timeouts, the default
 * publishing rule (the logo: ./clinic-logo.http.test.ts; login methods: ./login-methods.http.test.ts).
 */
const portal = createTestPortal();
let clinic: ClinicFixture;
let admin: ReturnType<typeof adminClientFor>;

beforeAll(async () => {
  clinic = await createClinic(portal, 'Inställningskliniken AB');
  admin = adminClientFor(portal, clinic);
  await admin.login(await addAdmin(portal, clinic));
});

const put = (body: unknown) => admin.request('/api/admin/settings', json(body, { method: 'PUT' }));
const tenantAsContactsSeeIt = async () =>
  (await (await clientFor(portal, clinic).request('/api/tenant')).json()) as TenantResponse;

describe("the clinic's settings", () => {
  it('changes what the portal shows: name, support text, colours (made readable) and contact details', async () => {
    const response = await put({
      name: 'Hälsan i Norr AB',
      supportText: 'Ring oss vardagar.',
      branding: { primaryColor: '#FFFF00', contact: { phone: '090-12 34 56', email: 'faktura@halsan.example' } },
      sessionTimeouts: { idleMinutes: 20 },
    });
    const settings = (await response.json()) as AdminSettingsResponse;
    const tenant = await tenantAsContactsSeeIt();

    expect(response.status).toBe(200);
    expect(settings).toMatchObject({
      name: 'Hälsan i Norr AB',
      branding: { primaryColor: '#ffff00' },
      sessionTimeouts: { idleMinutes: 20 },
      primaryAdjusted: false,
    });
    expect(tenant).toMatchObject({
      name: 'Hälsan i Norr AB',
      supportText: 'Ring oss vardagar.',
      contact: { phone: '090-12 34 56', email: 'faktura@halsan.example' },
      theme: deriveTheme({ primaryColor: '#ffff00' }),
    });
    const [event] = (await readAuditEvents(clinic.tenantId, portal.clock.now().toISOString().slice(0, 7))).filter(
      (each) => each.action === 'settings.changed',
    );
    expect(event?.details?.fields).toBe('name,supportText,branding,sessionTimeouts');
    expect(JSON.parse(String(event?.details?.before))).toEqual({
      name: 'Inställningskliniken AB',
      supportText: null,
      branding: null,
      sessionTimeouts: null,
    });
    expect(JSON.parse(String(event?.details?.after))).toEqual({
      name: 'Hälsan i Norr AB',
      supportText: 'Ring oss vardagar.',
      branding: { primaryColor: '#ffff00', contact: { phone: '090-12 34 56', email: 'faktura@halsan.example' } },
      sessionTimeouts: { idleMinutes: 20 },
    });
  });

  it('names each bad value and changes nothing: a colour that is not #rrggbb, a timeout out of bounds, an empty name', async () => {
    const before = (await (await admin.request('/api/admin/settings')).json()) as AdminSettingsResponse;

    const colour = await put({ name: 'Ändrat namn', branding: { primaryColor: 'red' } });
    const timeout = await put({ sessionTimeouts: { idleMinutes: 600 } });
    const name = await put({ name: '   ' });
    const after = (await (await admin.request('/api/admin/settings')).json()) as AdminSettingsResponse;

    expect(colour.status).toBe(400);
    expect(await colour.json()).toMatchObject({
      error: { details: { primaryColor: expect.stringContaining('#rrggbb') } },
    });
    expect(timeout.status).toBe(400);
    expect(await timeout.json()).toMatchObject({
      error: { details: { fields: { idleMinutes: expect.stringContaining('5 to 60') } } },
    });
    expect(name.status).toBe(400);
    expect(after).toEqual(before);
  });

  it('clears the support text and colours with null, back to the neutral theme', async () => {
    const response = await put({ supportText: null, branding: null });

    expect(await response.json()).not.toHaveProperty('branding');
    expect(await tenantAsContactsSeeIt()).toMatchObject({ theme: deriveTheme(undefined) });
    expect(await tenantAsContactsSeeIt()).not.toHaveProperty('supportText');
  });

  it("refuses a contact's session", async () => {
    const contact = clientFor(portal, clinic);
    await contact.login(clinic.contact);

    expect((await contact.request('/api/admin/settings')).status).toBe(401);
  });
});

describe('the default publishing rule of new customers', () => {
  it('is automatic until changed; shown and changed in the settings, audited with before and after', async () => {
    const fixture = await createClinic(portal, 'Regelkliniken AB');
    const ruleAdmin = adminClientFor(portal, fixture);
    await ruleAdmin.login(await addAdmin(portal, fixture));
    const initial = (await (await ruleAdmin.request('/api/admin/settings')).json()) as AdminSettingsResponse;

    const response = await ruleAdmin.request(
      '/api/admin/settings',
      json({ defaultPublishing: 'approval' }, { method: 'PUT' }),
    );
    const events = (await readAuditEvents(fixture.tenantId, portal.clock.now().toISOString().slice(0, 7))).filter(
      (each) => each.action === 'settings.changed',
    );

    expect(initial.defaultPublishing).toBe('automatic');
    expect(response.status).toBe(200);
    expect(((await response.json()) as AdminSettingsResponse).defaultPublishing).toBe('approval');
    expect(events.map((each) => each.details)).toEqual([
      {
        fields: 'defaultPublishing',
        before: '{"defaultPublishing":"automatic"}',
        after: '{"defaultPublishing":"approval"}',
      },
    ]);
  });

  it('is given by ingest to a customer it creates, not to one that exists already', async () => {
    const fixture = await createClinic(portal, 'Godkännandekliniken AB');
    const ruleAdmin = adminClientFor(portal, fixture);
    await ruleAdmin.login(await addAdmin(portal, fixture));
    const ingest = await ingestClient(portal, fixture);
    const customer = (customerNumber: string, name: string) => ({
      customerNumber,
      name,
      organisationNumber: '5567348122',
      addressLines: ['Verkstadsgatan 3', '904 22 Umeå'],
    });
    const existingNumber = `K-${randomUUID().slice(0, 8)}`;
    const newNumber = `K-${randomUUID().slice(0, 8)}`;
    await ingest.request('/customers', { method: 'PUT', body: { customers: [customer(existingNumber, 'Före AB')] } });

    await ruleAdmin.request('/api/admin/settings', json({ defaultPublishing: 'approval' }, { method: 'PUT' }));
    const pushed = await ingest.request('/customers', {
      method: 'PUT',
      body: { customers: [customer(existingNumber, 'Före AB (nytt namn)'), customer(newNumber, 'Efter AB')] },
    });

    expect(pushed.status).toBe(200);
    expect(await fixture.scope.customers.findByCustomerNumber(newNumber)).toMatchObject({ publishing: 'approval' });
    const existing = await fixture.scope.customers.findByCustomerNumber(existingNumber);
    expect(existing).toMatchObject({ name: 'Före AB (nytt namn)' });
    expect(existing?.publishing ?? 'automatic').toBe('automatic');
  });

  it('refuses a rule that does not exist', async () => {
    const response = await put({ defaultPublishing: 'never' });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { details: { fields: { defaultPublishing: expect.any(String) } } },
    });
  });
});
