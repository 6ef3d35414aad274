import type { InvoiceDocument } from '../../domain/document';
import { UnprocessableError } from '../../domain/errors';
import type { Actor, Customer, Tenant } from '../../domain/identity';
import {
  type ClinicReferences,
  type ImageAsset,
  type InvoiceBasis,
  type InvoiceLine,
  summarizeInvoiceBasis,
} from '../../domain/invoice-basis';
import { findBasisProblems } from '../../domain/invoice-basis-checks';
import type { Clock, IdGenerator, RenderQueue, TenantScope } from '../../domain/ports';
import { clinicLogoAsset } from '../clinic-logo';
import { sha256Hex } from '../sha256';
import {
  customerNumbered,
  type DocumentHeaderSubmission,
  existingVersionOrConflict,
  receivedDocument,
  recordReceived,
  recordReceivedVersion,
} from './document-versions';

export interface ReceiveInvoiceBasisDeps {
  readonly scope: TenantScope;
  readonly queue: RenderQueue;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/** An invoice basis as the practice system sends it (validated by the API schema; amounts in öre). */
export interface InvoiceBasisSubmission extends DocumentHeaderSubmission {
  readonly clinicReferences?: ClinicReferences | undefined;
  readonly lines: readonly InvoiceLine[];
}

/**
 * The submission a complete invoice basis corresponds to, with totals as its lines add up: what the practice system
 * would send for it (the demo seed and `npm run demo:push` start from whole bases).
 */
export function submissionFor(basis: InvoiceBasis, version = 1): InvoiceBasisSubmission {
  const summary = summarizeInvoiceBasis(basis);
  return {
    customerNumber: basis.customer.customerNumber,
    invoiceNumber: basis.invoiceNumber,
    version,
    documentType: basis.documentType,
    invoiceDate: basis.invoiceDate,
    periodFrom: basis.periodFrom,
    periodTo: basis.periodTo,
    description: basis.description,
    currency: basis.currency,
    ...(basis.clinicReferences ? { clinicReferences: basis.clinicReferences } : {}),
    lines: basis.lines,
    totals: { net: summary.net, vat: summary.vatTotal, total: summary.total },
  };
}

export interface ReceivedDocument {
  readonly document: InvoiceDocument;
  /** True when this request repeated an earlier one (same version, same content): nothing new was stored. */
  readonly replayed: boolean;
}

/**
 * Step 1 of the pipeline (the ingest function): check the invoice basis, store it as received, hand it to the
 * render worker, and answer at once. The order is the safety: the raw data is stored before the metadata that
 * refers to it, and the metadata before the queue message, so every crash leaves either nothing visible or a
 * `received` document that the retried request (or the worker's retries) carries on to the same final state.
 */
export async function receiveInvoiceBasis(
  deps: ReceiveInvoiceBasisDeps,
  actor: Actor,
  submission: InvoiceBasisSubmission,
): Promise<ReceivedDocument> {
  const { scope, clock, ids } = deps;
  const customer = await customerNumbered(scope, submission.customerNumber);
  const tenant = await scope.tenant.get();
  if (!tenant) throw new Error(`Clinic ${scope.tenantId} has no profile.`);
  // The logo's bytes go into the stored basis, so a re-render prints the logo the clinic had when it was received.
  const basis = invoiceBasisFor(tenant, await clinicLogoAsset(scope, tenant), customer, submission);
  const problems = findBasisProblems(basis, submission.totals);
  if (problems.length > 0) {
    throw new UnprocessableError(
      'invoice_basis_inconsistent',
      `The invoice basis does not add up: ${problems[0]?.message}${problems.length > 1 ? ` (and ${problems.length - 1} more problems)` : ''}`,
      { problems },
    );
  }

  const payloadSha256 = sha256Hex(JSON.stringify(submission));
  const versionRequest = { customerId: customer.id, ...submission, payloadSha256 };
  const existing = await existingVersionOrConflict(scope, versionRequest);
  if (existing) {
    await recordReceived(scope, actor, existing);
    return { document: await resumeIfStalled(deps, existing), replayed: true };
  }

  const document = receivedDocument(submission, customer, {
    id: ids.newId(),
    source: 'rendered',
    status: 'received',
    receivedAt: clock.now().toISOString(),
    payloadSha256,
    lineCount: submission.lines.length,
  });
  await scope.ingestStore.putPayload(document.id, new TextEncoder().encode(JSON.stringify(basis)));
  const recorded = await recordReceivedVersion(scope, actor, document);
  if (!recorded.isNew) return { document: await resumeIfStalled(deps, recorded.document), replayed: true };
  await deps.queue.enqueue({ tenantId: scope.tenantId, customerId: customer.id, documentId: document.id });
  return { document, replayed: false };
}

/**
 * A retried request for a document that never left `received` (the queue message was lost with a crash) or whose
 * rendering failed (e.g. before a fix was deployed) sends it to the worker again.
 */
async function resumeIfStalled(deps: ReceiveInvoiceBasisDeps, document: InvoiceDocument): Promise<InvoiceDocument> {
  if (document.source !== 'rendered' || (document.status !== 'received' && document.status !== 'failed')) {
    return document;
  }
  const resumed =
    document.status === 'failed'
      ? await deps.scope.documents.changeStatus(document.customerId, document.id, ['failed'], { status: 'received' })
      : document;
  await deps.queue.enqueue({ tenantId: deps.scope.tenantId, customerId: document.customerId, documentId: document.id });
  return resumed;
}

/**
 * The complete basis the renderer needs: the submission plus the clinic and the customer as they are now. Stored
 * with the document, so a re-render prints the same names and addresses as the first rendering.
 */
function invoiceBasisFor(
  tenant: Tenant,
  logo: ImageAsset | undefined,
  customer: Customer,
  submission: InvoiceBasisSubmission,
): InvoiceBasis {
  return {
    clinic: {
      name: tenant.name,
      orgNumber: tenant.orgNumber,
      addressLines: tenant.addressLines,
      ...(logo ? { logo } : {}),
    },
    customer: {
      name: customer.name,
      orgNumber: customer.orgNumber,
      addressLines: customer.addressLines,
      customerNumber: customer.customerNumber,
      ...(customer.reference ? { reference: customer.reference } : {}),
    },
    documentType: submission.documentType,
    ...(submission.clinicReferences ? { clinicReferences: submission.clinicReferences } : {}),
    invoiceNumber: submission.invoiceNumber,
    invoiceDate: submission.invoiceDate,
    periodFrom: submission.periodFrom,
    periodTo: submission.periodTo,
    description: submission.description,
    currency: submission.currency,
    lines: submission.lines,
  };
}
