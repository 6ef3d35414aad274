import type { InvoiceDocument } from '../../domain/document';
import { ConflictError, NotFoundError, UnprocessableError } from '../../domain/errors';
import type { Actor } from '../../domain/identity';
import type { Clock, IdGenerator, PdfInspector, PresignedUpload, TenantScope } from '../../domain/ports';
import { sha256Hex } from '../sha256';
import {
  customerNumbered,
  type DocumentHeaderSubmission,
  existingVersionOrConflict,
  receivedDocument,
  recordReceived,
  recordReceivedVersion,
} from './document-versions';
import { publishDocumentVersion, recordPublication } from './publish-document-version';

/** Ready-made PDFs up to 20 MB (the ingest issue's limit; above the 6 MB a Lambda request can carry, hence the presigned upload). */
const MAX_PDF_BYTES = 20 * 1024 * 1024;
/** An upload URL can only write this one object and reveals nothing, so it may live longer than a download link. */
const UPLOAD_URL_SECONDS = 15 * 60;

export interface ReadyMadePdfDeps {
  readonly scope: TenantScope;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/** Metadata of a PDF the practice system rendered itself (validated by the API schema; amounts in öre). */
export interface PdfSubmission extends DocumentHeaderSubmission {
  readonly pdf: { readonly sizeBytes: number; readonly sha256: string };
}

export interface RegisteredUpload {
  readonly document: InvoiceDocument;
  /** Present while the PDF is still awaited. */
  readonly upload?: PresignedUpload;
  readonly replayed: boolean;
}

/**
 * Step 1 for a ready-made PDF: record the metadata as `awaiting_upload` and hand out a presigned URL for exactly
 * the declared number of bytes. (PDFs of up to 20 MB do not fit through API Gateway + Lambda, whose request limit
 * is 6 MB, so the bytes go straight to S3.) Sending the same metadata again returns the same document with a fresh
 * URL, which is how an expired URL is renewed.
 */
export async function registerPdfUpload(
  deps: ReadyMadePdfDeps,
  actor: Actor,
  submission: PdfSubmission,
): Promise<RegisteredUpload> {
  const { scope, clock, ids } = deps;
  checkPdfSubmission(submission);
  const customer = await customerNumbered(scope, submission.customerNumber);
  const payloadSha256 = sha256Hex(JSON.stringify(submission));
  const existing = await existingVersionOrConflict(scope, { customerId: customer.id, ...submission, payloadSha256 });
  // The same payload hash means the same declared PDF, so the submission's size holds for a replay too.
  const sizeBytes = submission.pdf.sizeBytes;
  if (existing) {
    await recordReceived(scope, actor, existing);
    return { document: existing, ...(await uploadIfAwaited(deps, existing, sizeBytes)), replayed: true };
  }

  const document = receivedDocument(submission, customer, {
    id: ids.newId(),
    source: 'uploaded',
    status: 'awaiting_upload',
    receivedAt: clock.now().toISOString(),
    payloadSha256,
  });
  await scope.ingestStore.putPayload(document.id, new TextEncoder().encode(JSON.stringify(submission)));
  const recorded = await recordReceivedVersion(scope, actor, document);
  return {
    document: recorded.document,
    ...(await uploadIfAwaited(deps, recorded.document, sizeBytes)),
    replayed: !recorded.isNew,
  };
}

/**
 * Step 2: the practice system says the upload is done. The PDF is checked now, synchronously, so a wrong file is
 * a 422 the caller sees at once (and can fix by uploading again); a good one is published like a rendered one.
 */
export async function completePdfUpload(
  deps: ReadyMadePdfDeps & { readonly inspector: PdfInspector },
  actor: Actor,
  documentId: string,
): Promise<InvoiceDocument> {
  const { scope } = deps;
  const document = await scope.documents.locate(documentId);
  if (!document) throw new NotFoundError('The document');
  if (document.status === 'ready') {
    // A retry after a lost response: finish what the first attempt may not have got to.
    await recordPublication(scope, actor, document);
    await scope.ingestStore.deleteUploadedPdf(documentId);
    return document;
  }
  if (document.source !== 'uploaded' || document.status !== 'awaiting_upload') {
    throw new ConflictError(`Document ${documentId} does not await an upload (it is ${document.status}).`, {
      code: 'not_awaiting_upload',
    });
  }
  const payload = await scope.ingestStore.getPayload(documentId);
  if (!payload) throw new Error(`The metadata of document ${documentId} is missing from the ingest store.`);
  const declared = (JSON.parse(new TextDecoder().decode(payload)) as PdfSubmission).pdf;
  const pdf = await scope.ingestStore.getUploadedPdf(documentId, MAX_PDF_BYTES);
  if (!pdf) {
    throw new ConflictError('Nothing has been uploaded for this document yet: PUT the PDF to the upload URL first.', {
      code: 'upload_missing',
    });
  }
  const sha256 = sha256Hex(pdf);
  if (pdf.byteLength !== declared.sizeBytes || sha256 !== declared.sha256) {
    throw new UnprocessableError(
      'pdf_checksum_mismatch',
      'The uploaded file is not the one declared: its size or SHA-256 differs. Upload the declared file again.',
      { declared, uploaded: { sizeBytes: pdf.byteLength, sha256 } },
    );
  }
  const { pageCount } = await deps.inspector.inspect(pdf);
  const completed = await publishDocumentVersion(deps, actor, document, { pdf, pageCount });
  await scope.ingestStore.deleteUploadedPdf(documentId);
  return completed.document;
}

function checkPdfSubmission(submission: PdfSubmission): void {
  const problems: string[] = [];
  if (submission.periodFrom > submission.periodTo) {
    problems.push(`The period starts (${submission.periodFrom}) after it ends (${submission.periodTo}).`);
  }
  const { net, vat, total } = submission.totals;
  if (net + vat !== total)
    problems.push(`totals.total must be net + VAT (difference ${(total - net - vat) / 100} kr).`);
  if (submission.pdf.sizeBytes > MAX_PDF_BYTES) {
    problems.push(`A PDF may be at most ${MAX_PDF_BYTES / 1024 / 1024} MB.`);
  }
  if (problems.length > 0) throw new UnprocessableError('pdf_metadata_inconsistent', problems.join(' '), { problems });
}

async function uploadIfAwaited(
  deps: ReadyMadePdfDeps,
  document: InvoiceDocument,
  sizeBytes: number,
): Promise<{ upload?: PresignedUpload }> {
  if (document.status !== 'awaiting_upload') return {};
  return {
    upload: await deps.scope.ingestStore.presignPdfUpload(document.id, {
      sizeBytes,
      expiresInSeconds: UPLOAD_URL_SECONDS,
    }),
  };
}
