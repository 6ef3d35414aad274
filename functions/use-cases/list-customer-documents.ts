import { type InvoiceDocument, isShownToContacts } from '../domain/document';
import { matchesListFilter } from '../domain/document-list';
import type { Page, TenantScope, VisibleDocumentsQuery } from '../domain/ports';
import { authorizeCustomerAccess } from './authorize-customer-access';
import type { ContactPrincipal } from './contact-principal';

export interface CustomerDocumentsQuery extends VisibleDocumentsQuery {
  /** Exact invoice number: the current version, if the contact may see it and it passes the other filters. */
  readonly invoiceNumber?: string | undefined;
}

/** The invoice bases a contact sees for one of their companies, filtered, one page at a time. */
export async function listCustomerDocuments(
  scope: TenantScope,
  principal: ContactPrincipal,
  customerId: string,
  query: CustomerDocumentsQuery,
): Promise<Page<InvoiceDocument>> {
  const { invoiceNumber, ...listQuery } = query;
  // The list needs the customer's choice of shown types, so it is read after the access check (which reads the
  // customer anyway) rather than alongside it.
  const { customer } = await authorizeCustomerAccess(scope, principal, customerId);
  if (invoiceNumber === undefined) return scope.documents.listVisible(customer, listQuery);
  // An invoice number names at most one current version: two GetItems instead of reading the list for it.
  const found = await scope.documents.findByInvoiceNumber(customerId, invoiceNumber);
  const shown = found && isShownToContacts(found, customer) && matchesListFilter(found, listQuery);
  return { items: shown ? [found] : [] };
}

/** The years a contact can choose between in the list of one of their companies, newest first. */
export async function listCustomerDocumentYears(
  scope: TenantScope,
  principal: ContactPrincipal,
  customerId: string,
): Promise<readonly number[]> {
  const { customer } = await authorizeCustomerAccess(scope, principal, customerId);
  return scope.documents.visibleYears(customer);
}
