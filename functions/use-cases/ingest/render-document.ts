import type { InvoiceDocument } from '../../domain/document';
import { ConflictError } from '../../domain/errors';
import type { InvoiceBasis } from '../../domain/invoice-basis';
import type { Clock, IdGenerator, InvoiceRenderer, RenderJob, TenantScopeFactory } from '../../domain/ports';
import { publishDocumentVersion, recordPublication } from './publish-document-version';

export interface RenderDocumentDeps {
  readonly scopeFor: TenantScopeFactory;
  readonly renderer: InvoiceRenderer;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

export type RenderOutcome = 'published' | 'already-ready' | 'failed' | 'skipped';

const WORKER: { type: 'system'; id: string } = { type: 'system', id: 'render-worker' };

/**
 * Step 2 of the pipeline (the render worker): received → rendering → ready, or failed with a reason.
 *
 * Delivery is at least once, so the worker is idempotent: a ready document is never rendered again, and a job for
 * a document that is mid-rendering (a retry after a crash) simply renders it again (same input, same bytes).
 * A rendering error is permanent for that input, so it marks the document failed at once; an infrastructure error
 * (S3, DynamoDB) is thrown for the queue to retry — and on the last attempt the document is marked failed too, so
 * `GET /ingest/v1/documents/{id}` never says "rendering" forever.
 */
export async function renderDocument(
  deps: RenderDocumentDeps,
  job: RenderJob,
  options: { readonly finalAttempt: boolean },
): Promise<RenderOutcome> {
  const scope = deps.scopeFor(job.tenantId);
  const document = await scope.documents.get(job.customerId, job.documentId);
  if (document?.source !== 'rendered') return 'skipped';
  if (document.status === 'ready') {
    // A redelivery after the first delivery published it: make sure its audit events exist, and stop.
    await recordPublication(scope, WORKER, document);
    return 'already-ready';
  }
  try {
    return await render(deps, job, document);
  } catch (error) {
    if (options.finalAttempt) {
      // Best effort: if the store that failed is still down, the dead-letter queue keeps the job for an operator.
      await markFailed(
        deps,
        job,
        'The document could not be rendered after several attempts; the clinic has been alerted.',
      ).catch(() => undefined);
    }
    throw error;
  }
}

async function render(deps: RenderDocumentDeps, job: RenderJob, document: InvoiceDocument): Promise<RenderOutcome> {
  const scope = deps.scopeFor(job.tenantId);
  try {
    await scope.documents.changeStatus(document.customerId, document.id, ['received', 'rendering', 'failed'], {
      status: 'rendering',
    });
  } catch (error) {
    // Another delivery of the same job finished first.
    if (error instanceof ConflictError) return 'already-ready';
    throw error;
  }
  const payload = await scope.ingestStore.getPayload(document.id);
  if (!payload) {
    await markFailed(deps, job, 'The received data of this document is missing; send the invoice basis again.');
    return 'failed';
  }
  let rendered: Awaited<ReturnType<InvoiceRenderer['render']>>;
  try {
    rendered = await deps.renderer.render(JSON.parse(new TextDecoder().decode(payload)) as InvoiceBasis);
  } catch (error) {
    await markFailed(deps, job, `Rendering failed: ${error instanceof Error ? error.message : String(error)}`);
    return 'failed';
  }
  await publishDocumentVersion({ scope, clock: deps.clock, ids: deps.ids }, WORKER, document, rendered);
  return 'published';
}

async function markFailed(deps: RenderDocumentDeps, job: RenderJob, failureReason: string): Promise<void> {
  const scope = deps.scopeFor(job.tenantId);
  await scope.documents.changeStatus(job.customerId, job.documentId, ['received', 'rendering', 'failed'], {
    status: 'failed',
    failureReason,
  });
  await scope.audit.append({
    id: deps.ids.newId(),
    at: deps.clock.now().toISOString(),
    action: 'document.render_failed',
    actor: WORKER,
    customerId: job.customerId,
    documentId: job.documentId,
    outcome: 'failure',
    details: { reason: failureReason.slice(0, 300) },
  });
}
