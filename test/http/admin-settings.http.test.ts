import { beforeAll, describe, expect, it } from 'vitest';
import { deriveTheme } from '../../functions/domain/branding';
import type { AdminSettingsResponse } from '../../functions/http/admin-api-contract';
import type { TenantResponse } from '../../functions/http/api-contract';
import { addAdmin, adminClientFor, json } from '../support/admin-fixture';
import { readAuditEvents } from '../support/audit-events';
import { type ClinicFixture, clientFor, createClinic, createTestPortal } from '../support/test-portal';

/** Issue 6, the clinic's settings: name, support text, colours and contact details, session timeouts. */
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
    expect(event?.details).toEqual({ fields: 'name,supportText,branding,sessionTimeouts' });
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
