import { UnauthenticatedError } from '../domain/errors';
import type { Contact, Membership } from '../domain/identity';
import type { TenantScope } from '../domain/ports';
import type { ContactPrincipal } from './contact-principal';

/** The customer companies a contact may use the portal for: memberships whose customer has portal access. */
export async function listPortalCustomers(scope: TenantScope, contactId: string): Promise<Membership[]> {
  const memberships = await scope.contacts.listMemberships(contactId);
  const customers = await Promise.all(memberships.map((membership) => scope.customers.get(membership.customerId)));
  return memberships
    .filter((_, index) => customers[index]?.portalAccess === true)
    .sort((a, b) => a.customerName.localeCompare(b.customerName, 'sv'));
}

export interface ContactProfile {
  readonly contact: Contact;
  readonly customers: readonly Membership[];
}

export async function getContactProfile(scope: TenantScope, principal: ContactPrincipal): Promise<ContactProfile> {
  const contact = await scope.contacts.get(principal.contactId);
  if (!contact) throw new UnauthenticatedError();
  return { contact, customers: await listPortalCustomers(scope, contact.id) };
}
