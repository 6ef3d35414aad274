import { NotFoundError } from '../domain/errors';
import type { Customer, Membership } from '../domain/identity';
import type { TenantScope } from '../domain/ports';
import type { ContactPrincipal } from './contact-principal';

/**
 * The one gate between a contact and a customer company's data: the contact must be a member of the customer,
 * and the clinic must have given that customer portal access. Failing either is "not found", so a contact cannot
 * learn that another customer exists. The customer comes back with the membership: what its contacts are shown
 * (isShownToContacts in ../domain/document.ts) is the customer's choice, and every read after this gate needs it.
 */
export interface CustomerAccess {
  readonly membership: Membership;
  readonly customer: Customer;
}

export async function authorizeCustomerAccess(
  scope: TenantScope,
  principal: ContactPrincipal,
  customerId: string,
): Promise<CustomerAccess> {
  const [membership, customer] = await Promise.all([
    scope.contacts.getMembership(principal.contactId, customerId),
    scope.customers.get(customerId),
  ]);
  if (!membership || !customer?.portalAccess) throw new NotFoundError('The customer');
  return { membership, customer };
}
