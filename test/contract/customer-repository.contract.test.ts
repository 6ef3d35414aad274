import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../functions/domain/errors';
import { type ClinicFixture, createClinic, createTestPortal } from '../support/test-portal';

/** The CustomerRepository port's contract for the clinic's admin pages, run against DynamoDB Local. */
describe('customer repository (DynamoDB Local)', () => {
  const portal = createTestPortal();
  let clinic: ClinicFixture;

  beforeEach(async () => {
    clinic = await createClinic(portal);
  });

  it("lists the clinic's customers by name (Swedish order), and no other clinic's", async () => {
    const other = await createClinic(portal);
    await clinic.scope.customers.put({
      ...clinic.customer,
      id: randomUUID(),
      customerNumber: 'K-1',
      name: 'Ädla Bygg AB',
    });

    const names = (await clinic.scope.customers.list()).map((customer) => customer.name);

    // Swedish sorts å, ä, ö after z.
    expect(names).toEqual(['Åkeriet i Väst AB', 'Ädla Bygg AB', 'Öresunds Städ AB']);
    expect((await other.scope.customers.list()).map((customer) => customer.id)).not.toContain(clinic.customer.id);
  });

  it("changes the clinic's choices (access, publishing rule) without touching the rest of the record", async () => {
    const off = await clinic.scope.customers.updateChoices(clinic.customer.id, { portalAccess: false });
    const stored = await clinic.scope.customers.get(clinic.customer.id);
    const approval = await clinic.scope.customers.updateChoices(clinic.customer.id, { publishing: 'approval' });
    const on = await clinic.scope.customers.updateChoices(clinic.customer.id, { portalAccess: true });

    expect(off).toEqual({ ...clinic.customer, portalAccess: false });
    expect(stored).toEqual(off);
    expect(approval).toEqual({ ...clinic.customer, portalAccess: false, publishing: 'approval' });
    expect(on).toEqual({ ...clinic.customer, publishing: 'approval' });
  });

  it('refuses to change a customer that does not exist, and creates none', async () => {
    const missing = randomUUID();

    await expect(clinic.scope.customers.updateChoices(missing, { portalAccess: true })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(clinic.scope.customers.get(missing)).resolves.toBeUndefined();
  });
});
