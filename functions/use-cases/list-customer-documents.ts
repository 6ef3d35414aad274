import type { InvoiceDocument } from '../domain/document';
import type { Page, PageRequest, TenantScope } from '../domain/ports';
import { authorizeCustomerAccess } from './authorize-customer-access';
import type { ContactPrincipal } from './contact-principal';

/** The invoice bases a contact sees for one of their companies, newest first, one page at a time. */
export async function listCustomerDocuments(
  scope: TenantScope,
  principal: ContactPrincipal,
  customerId: string,
  page: PageRequest,
): Promise<Page<InvoiceDocument>> {
  await authorizeCustomerAccess(scope, principal, customerId);
  return scope.documents.listVisible(customerId, page);
}
