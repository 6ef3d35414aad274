import { type InvoiceDocument, isVisibleToContacts } from '../../domain/document';
import type { Actor } from '../../domain/identity';
import type { Clock, CompletedVersion, IdGenerator, TenantScope } from '../../domain/ports';
import { recordOnce } from '../record-once';
import { queuePublicationNotice } from '../send-publication-notices';

export interface PublishDocumentVersionDeps {
  readonly scope: TenantScope;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/**
 * The last step of both ingest paths: store the PDF, then make the version ready and current in one transaction
 * (which supersedes the previous version), then record it in the audit trail. The PDF is stored first, so metadata
 * never points at a missing file; storing it again on a retry is harmless (same key, same bytes).
 */
export async function publishDocumentVersion(
  deps: PublishDocumentVersionDeps,
  actor: Actor,
  document: InvoiceDocument,
  rendered: { readonly pdf: Uint8Array; readonly pageCount: number },
): Promise<CompletedVersion> {
  const { scope, clock } = deps;
  const stored = await scope.documentStore.put(document.customerId, document.id, rendered.pdf);
  const completed = await scope.documents.completeVersion(document.customerId, document.id, {
    contentSha256: stored.sha256,
    sizeBytes: stored.sizeBytes,
    pageCount: rendered.pageCount,
    sentAt: clock.now().toISOString(),
  });
  await recordPublication(scope, actor, completed.document);
  return completed;
}

/**
 * The audit events of a document becoming ready, once each (see recordOnce): `document.published` (or
 * `document.ready` when it became ready without being shown: withdrawn meanwhile, held for approval, or a newer
 * version was already current) and `document.superseded` for the version it replaced; and, for a published one, the
 * notice its company's contacts will get. A retry that finds the document already ready
 * calls this again, so a crash between the transaction and these writes loses nothing.
 */
export async function recordPublication(scope: TenantScope, actor: Actor, document: InvoiceDocument): Promise<void> {
  const at = document.sentAt ?? document.receivedAt;
  const common = {
    at,
    actor,
    customerId: document.customerId,
    outcome: 'success' as const,
    details: {
      invoiceNumber: document.invoiceNumber,
      version: document.version,
      ...(document.contentSha256 ? { contentSha256: document.contentSha256 } : {}),
    },
  };
  await recordOnce(scope, {
    ...common,
    id: `${document.id}.ready`,
    action: isVisibleToContacts(document) ? 'document.published' : 'document.ready',
    documentId: document.id,
  });
  // The notice too is queued once however often this runs (functions/use-cases/send-publication-notices.ts).
  await queuePublicationNotice(scope, document, at);
  if (document.supersedes) {
    await recordOnce(scope, {
      ...common,
      id: `${document.supersedes}.superseded`,
      action: 'document.superseded',
      documentId: document.supersedes,
      details: { ...common.details, supersededBy: document.id },
    });
  }
}
