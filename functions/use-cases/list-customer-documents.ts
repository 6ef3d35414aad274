import { type InvoiceDocument, isVisibleToContacts } from '../domain/document';
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
  // The read starts alongside the access check instead of after it: the list is the hot path, and this saves it a
  // round trip. Nothing read is returned, and none of its errors shown, unless the check passes first.
  const reading =
    invoiceNumber === undefined ? scope.documents.listVisible(customerId, listQuery) : search(invoiceNumber);
  reading.catch(() => {});
  await authorizeCustomerAccess(scope, principal, customerId);
  return reading;

  async function search(number: string): Promise<Page<InvoiceDocument>> {
    // An invoice number names at most one current version: two GetItems instead of reading the list for it.
    const found = await scope.documents.findByInvoiceNumber(customerId, number);
    const shown = found && isVisibleToContacts(found) && matchesListFilter(found, listQuery);
    return { items: shown ? [found] : [] };
  }
}

/** The years a contact can choose between in the list of one of their companies, newest first. */
export async function listCustomerDocumentYears(
  scope: TenantScope,
  principal: ContactPrincipal,
  customerId: string,
): Promise<readonly number[]> {
  await authorizeCustomerAccess(scope, principal, customerId);
  return scope.documents.visibleYears(customerId);
}
