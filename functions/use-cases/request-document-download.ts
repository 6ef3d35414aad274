import { downloadFileName, isVisibleToContacts } from '../domain/document';
import { NotFoundError } from '../domain/errors';
import type { Clock, IdGenerator, TenantScope } from '../domain/ports';
import { authorizeCustomerAccess } from './authorize-customer-access';
import { type ContactPrincipal, DOWNLOAD_LINK_SECONDS } from './contact-principal';

export interface RequestDocumentDownloadDeps {
  readonly scope: TenantScope;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

export interface DocumentDownload {
  readonly url: string;
  readonly fileName: string;
  readonly expiresAt: Date;
}

/**
 * SECURITY.md "Downloads": authorize → write the audit event → presign, in that order, so no link exists that
 * the audit trail does not know about. The link is short-lived and names a server-chosen file name.
 */
export async function requestDocumentDownload(
  deps: RequestDocumentDownloadDeps,
  principal: ContactPrincipal,
  input: { readonly customerId: string; readonly documentId: string; readonly sourceIp: string },
): Promise<DocumentDownload> {
  const { scope, clock, ids } = deps;
  await authorizeCustomerAccess(scope, principal, input.customerId);
  const [document, contact] = await Promise.all([
    scope.documents.get(input.customerId, input.documentId),
    scope.contacts.get(principal.contactId),
  ]);
  if (!document || !isVisibleToContacts(document) || !contact) throw new NotFoundError('The document');

  const now = clock.now();
  await scope.audit.append({
    id: ids.newId(),
    at: now.toISOString(),
    action: 'document.downloaded',
    actor: { type: 'contact', id: contact.id },
    customerId: document.customerId,
    documentId: document.id,
    sourceIp: input.sourceIp,
    outcome: 'success',
  });
  await scope.documents.recordDownload(document.customerId, document.id, {
    at: now.toISOString(),
    contactId: contact.id,
    contactName: contact.name,
  });
  const fileName = downloadFileName(document);
  const url = await scope.documentStore.presignDownload(document.customerId, document.id, {
    fileName,
    expiresInSeconds: DOWNLOAD_LINK_SECONDS,
  });
  return { url, fileName, expiresAt: new Date(now.getTime() + DOWNLOAD_LINK_SECONDS * 1000) };
}
