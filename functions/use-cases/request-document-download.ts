import { downloadFileName, type InvoiceDocument, isShownToContacts } from '../domain/document';
import { NotFoundError } from '../domain/errors';
import type { Contact } from '../domain/identity';
import type { Clock, IdGenerator, TenantScope } from '../domain/ports';
import { authorizeCustomerAccess, type CustomerAccess } from './authorize-customer-access';
import { type ContactPrincipal, DOWNLOAD_LINK_SECONDS } from './contact-principal';

/** What every way of handing out documents needs (one PDF here, a ZIP in ./request-document-archive.ts). */
export interface DocumentHandoutDeps {
  readonly scope: TenantScope;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

export interface RequestDocumentDownloadDeps extends DocumentHandoutDeps {
  /**
   * Settles once the caller's session is known to be live (rejects if it is not). Awaited beside the authorization
   * reads, before anything is written: the session check then costs the download no round trip of its own.
   */
  readonly sessionConfirmed: Promise<void>;
}

export interface DocumentDownload {
  readonly url: string;
  readonly fileName: string;
  readonly expiresAt: Date;
}

/** Save the file (`attachment`), or open it in the browser's own PDF viewer (`inline`); both are downloads. */
export type DownloadDisposition = 'attachment' | 'inline';

/**
 * SECURITY.md "Downloads": authorize → write the audit event → presign, in that order, so no link exists that
 * the audit trail does not know about. The link is short-lived and names a server-chosen file name, also when the
 * PDF opens in the browser: a contact who views it there has received it just as much.
 */
export async function requestDocumentDownload(
  deps: RequestDocumentDownloadDeps,
  principal: ContactPrincipal,
  input: {
    readonly customerId: string;
    readonly documentId: string;
    readonly sourceIp: string;
    readonly disposition?: DownloadDisposition;
  },
): Promise<DocumentDownload> {
  const { scope, clock, ids } = deps;
  const disposition = input.disposition ?? 'attachment';
  const [{ contact, customer }, document] = await Promise.all([
    authorizedContact(scope, principal, input.customerId),
    scope.documents.get(input.customerId, input.documentId),
    deps.sessionConfirmed,
  ]);
  if (!document || !isShownToContacts(document, customer)) throw new NotFoundError('The document');

  const now = clock.now();
  await recordDownload({ scope, ids }, contact, document, {
    at: now,
    sourceIp: input.sourceIp,
    details: { disposition },
  });
  const fileName = downloadFileName(document);
  const url = await scope.documentStore.presignDownload(document.customerId, document.id, {
    fileName,
    expiresInSeconds: DOWNLOAD_LINK_SECONDS,
    disposition,
  });
  return { url, fileName, expiresAt: new Date(now.getTime() + DOWNLOAD_LINK_SECONDS * 1000) };
}

/**
 * The contact behind the request, once they are known to act for the customer: the gate every download passes.
 * A caller without access gets the same 404 whatever else exists.
 */
export async function authorizedContact(
  scope: TenantScope,
  principal: ContactPrincipal,
  customerId: string,
): Promise<CustomerAccess & { readonly contact: Contact }> {
  // The caller's own profile reveals nothing, so it is read alongside the check instead of after it.
  const [access, contact] = await Promise.all([
    authorizeCustomerAccess(scope, principal, customerId),
    scope.contacts.get(principal.contactId),
  ]);
  if (!contact) throw new NotFoundError('The customer');
  return { ...access, contact };
}

/**
 * Everything a download leaves behind, one document at a time, before any link exists: the audit event
 * `document.downloaded` (with how it was fetched in `details`) and the receipt. The two writes are independent.
 */
export async function recordDownload(
  deps: { readonly scope: TenantScope; readonly ids: IdGenerator },
  contact: Contact,
  document: Pick<InvoiceDocument, 'id' | 'customerId'>,
  download: { readonly at: Date; readonly sourceIp: string; readonly details: Readonly<Record<string, string>> },
): Promise<void> {
  const { scope, ids } = deps;
  await Promise.all([
    scope.audit.append({
      id: ids.newId(),
      at: download.at.toISOString(),
      action: 'document.downloaded',
      actor: { type: 'contact', id: contact.id },
      customerId: document.customerId,
      documentId: document.id,
      sourceIp: download.sourceIp,
      outcome: 'success',
      details: download.details,
    }),
    recordReceipt(scope, contact, document, download.at),
  ]);
}

/** The download receipt: who fetched the document when; it also clears the document's "new" badge for everyone. */
function recordReceipt(
  scope: TenantScope,
  contact: Contact,
  document: Pick<InvoiceDocument, 'id' | 'customerId'>,
  at: Date,
): Promise<void> {
  return scope.documents.recordDownload(document.customerId, document.id, {
    at: at.toISOString(),
    contactId: contact.id,
    contactName: contact.name,
  });
}
