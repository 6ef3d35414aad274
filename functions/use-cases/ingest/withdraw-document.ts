import type { InvoiceDocument } from '../../domain/document';
import { NotFoundError } from '../../domain/errors';
import type { Actor } from '../../domain/identity';
import type { Clock, IdGenerator, TenantScope } from '../../domain/ports';
import { recordOnce } from '../record-once';

export interface WithdrawDocumentDeps {
  readonly scope: TenantScope;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/**
 * The practice system cancels an invoice basis: it disappears from the contacts' list at once (download links
 * already handed out die within 60 s), and the reason is kept on the document and in the audit trail.
 */
export async function withdrawDocument(
  deps: WithdrawDocumentDeps,
  actor: Actor,
  input: { readonly documentId: string; readonly reason: string },
): Promise<InvoiceDocument> {
  const { scope, clock } = deps;
  const document = await scope.documents.locate(input.documentId);
  if (!document) throw new NotFoundError('The document');
  const withdrawn =
    document.visibility === 'withdrawn'
      ? document
      : await scope.documents.withdraw(document.customerId, document.id, {
          at: clock.now().toISOString(),
          reason: input.reason,
        });
  // Also on the already-withdrawn path: a retry after a lost response records what the first attempt did.
  await recordOnce(scope, {
    id: `${withdrawn.id}.withdrawn`,
    at: withdrawn.withdrawal?.at ?? clock.now().toISOString(),
    action: 'document.withdrawn',
    actor,
    customerId: withdrawn.customerId,
    documentId: withdrawn.id,
    outcome: 'success',
    details: {
      invoiceNumber: withdrawn.invoiceNumber,
      version: withdrawn.version,
      reason: withdrawn.withdrawal?.reason ?? input.reason,
    },
  });
  return withdrawn;
}
