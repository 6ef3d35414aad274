import { describe, expect, it } from 'vitest';
import { createPdfmakeInvoiceRenderer } from '../../functions/adapters/pdf/pdfmake-invoice-renderer';
import { type DemoSeed, demoSeed } from '../../functions/local/seed/demo-data';
import { seedDemoClinic } from '../../functions/local/seed/seed-demo-clinic';
import { clientFor, createTestPortal } from '../support/test-portal';

/** A slice of the real demo seed (all customers and contacts, the first four invoice bases) keeps this fast. */
function smallSeed(): DemoSeed {
  const seed = demoSeed();
  return { ...seed, invoiceBases: seed.invoiceBases.slice(0, 4) };
}

describe('seeding the demo clinic', () => {
  it('creates a clinic whose demo contacts can log in and see rendered documents', async () => {
    const portal = createTestPortal();
    const seed = smallSeed();
    const host = `demo-${Date.now()}.portal.test`;

    const result = await seedDemoClinic({ ...portal.deps, renderer: createPdfmakeInvoiceRenderer() }, seed, [host]);

    expect(result.documentsCreated).toBe(4);
    const contact = seed.contacts[0];
    if (!contact) throw new Error('The demo seed has no contacts.');
    const client = clientFor(portal, { host, origin: `https://${host}` });
    const login = (await (await client.login(contact)).json()) as { customers: Array<{ id: string }> };
    const customerId = login.customers[0]?.id ?? '';
    const list = (await (await client.request(`/api/customers/${customerId}/documents`)).json()) as {
      items: Array<{ invoiceNumber: string }>;
    };
    const expected = seed.invoiceBases
      .filter((basis) => basis.customer.customerNumber === seed.customers[0]?.customerNumber)
      .map((basis) => basis.invoiceNumber)
      .reverse();
    expect(list.items.map((item) => item.invoiceNumber)).toEqual(expected);
  });

  it("uploads the demo logo into the clinic's branding store, and repairs a record that held it inline", async () => {
    const portal = createTestPortal();
    const seed = smallSeed();
    const host = `demo-${Date.now()}-logo.portal.test`;
    const deps = { ...portal.deps, renderer: createPdfmakeInvoiceRenderer() };
    const { tenantId } = await seedDemoClinic(deps, { ...seed, invoiceBases: [] }, [host]);
    const scope = portal.deps.scopeFor(tenantId);
    const logoBytes = Buffer.from(seed.clinicLogo.base64, 'base64');
    const served = async () => {
      const { logoUrl } = (await (
        await clientFor(portal, { host, origin: `https://${host}` }).request('/api/tenant')
      ).json()) as {
        logoUrl?: string;
      };
      const response = await clientFor(portal, { host, origin: `https://${host}` }).request(logoUrl ?? '/none');
      return response.status === 200 ? Buffer.from(await response.arrayBuffer()) : undefined;
    };
    expect(await served()).toEqual(logoBytes);

    // A record written before logos moved to S3 named the logo by its base64.
    const tenant = await scope.tenant.get();
    if (!tenant) throw new Error('The seed made no clinic.');
    const { id: _id, logo: _logo, ...rest } = tenant;
    await scope.tenant.put({ ...rest, logo: seed.clinicLogo as unknown as NonNullable<typeof tenant.logo> });
    await seedDemoClinic(deps, { ...seed, invoiceBases: [] }, [host]);

    expect(await served()).toEqual(logoBytes);
    expect((await scope.tenant.get())?.logo).toMatchObject({ mimeType: 'image/png', width: 64, height: 64 });
  });

  it('is idempotent: a second run finds everything and creates nothing', async () => {
    const portal = createTestPortal();
    const host = `demo-${Date.now()}-again.portal.test`;
    const deps = { ...portal.deps, renderer: createPdfmakeInvoiceRenderer() };
    const first = await seedDemoClinic(deps, smallSeed(), [host]);

    const second = await seedDemoClinic(deps, smallSeed(), [host]);

    expect(second).toEqual({ tenantId: first.tenantId, documentsCreated: 0 });
    const scope = portal.deps.scopeFor(first.tenantId);
    const contact = smallSeed().contacts[1];
    const identity = await scope.contacts.findPasswordIdentity(contact?.username ?? '');
    expect(await scope.contacts.listMemberships(identity?.contactId ?? '')).toHaveLength(
      contact?.customerNumbers.length ?? -1,
    );
  });
});
