import { ARCHIVE_LIMITS, type ArchiveFile, archiveFileName, uniqueFileNames } from '../domain/archive';
import { downloadFileName, type InvoiceDocument, isShownToContacts } from '../domain/document';
import { invoiceDateRange } from '../domain/document-list';
import { NotFoundError, UnprocessableError } from '../domain/errors';
import type { Customer } from '../domain/identity';
import { isUuid } from '../domain/ids';
import type { TenantScope } from '../domain/ports';
import { type ContactPrincipal, DOWNLOAD_LINK_SECONDS } from './contact-principal';
import { mapWithConcurrency } from './map-with-concurrency';
import {
  authorizedContact,
  type DocumentDownload,
  type DocumentHandoutDeps,
  recordDownload,
} from './request-document-download';

/** Every document of one year (by invoice date), or exactly these documents. */
export type ArchiveSelection = { readonly year: number } | { readonly documentIds: readonly string[] };

export interface DocumentArchiveDownload extends DocumentDownload {
  readonly documentCount: number;
  readonly sizeBytes: number;
}

/** Reads and writes per document stay this many at a time: well inside DynamoDB's limits, fast for 500. */
const CONCURRENCY = 8;
/** The list is read in pages of this size while collecting a year. */
const YEAR_PAGE_SIZE = 100;

/**
 * "Download many": the chosen published documents of one customer as one ZIP with a manifest. Authorized like a
 * single download, and all-or-nothing: one id that is not a visible document of THIS customer makes the whole
 * request 404, before anything is built or recorded. The archive is built first, so that a download is recorded
 * only once there is something to download; then each document gets its audit event and receipt (as if downloaded
 * alone, so "who downloaded document D" needs no second place to look), and only then is the link signed.
 */
export async function requestDocumentArchive(
  deps: DocumentHandoutDeps,
  principal: ContactPrincipal,
  input: { readonly customerId: string; readonly selection: ArchiveSelection; readonly sourceIp: string },
): Promise<DocumentArchiveDownload> {
  const { scope, clock, ids } = deps;
  const { contact, membership, customer } = await authorizedContact(scope, principal, input.customerId);
  const documents =
    'year' in input.selection
      ? await documentsOfYear(scope, customer, input.selection.year)
      : await selectedDocuments(scope, customer, input.selection.documentIds);
  checkLimits(documents, input.selection);

  const ordered = [...documents].sort(
    (a, b) => a.invoiceDate.localeCompare(b.invoiceDate) || a.invoiceNumber.localeCompare(b.invoiceNumber),
  );
  const names = uniqueFileNames(ordered.map(downloadFileName));
  const files = ordered.map(
    (document, index): ArchiveFile => ({
      documentId: document.id,
      fileName: names[index] as string,
      sha256: document.contentSha256 as string,
      sizeBytes: document.sizeBytes as number,
    }),
  );
  const archiveId = ids.newId();
  const { sizeBytes } = await scope.archiveStore.create(input.customerId, archiveId, files, {
    createdAt: clock.now(),
  });

  const now = clock.now();
  await mapWithConcurrency(ordered, CONCURRENCY, (document) =>
    recordDownload({ scope, ids }, contact, document, {
      at: now,
      sourceIp: input.sourceIp,
      details: { disposition: 'archive', archiveId },
    }),
  );

  const label = 'year' in input.selection ? String(input.selection.year) : now.toISOString().slice(0, 10);
  const fileName = archiveFileName(membership.customerName, label);
  const url = await scope.archiveStore.presignDownload(input.customerId, archiveId, {
    fileName,
    expiresInSeconds: DOWNLOAD_LINK_SECONDS,
  });
  return {
    url,
    fileName,
    expiresAt: new Date(now.getTime() + DOWNLOAD_LINK_SECONDS * 1000),
    documentCount: files.length,
    sizeBytes,
  };
}

/** The shown documents invoiced in `year`: a key range on the list's index (data model, pattern 10). */
async function documentsOfYear(scope: TenantScope, customer: Customer, year: number): Promise<InvoiceDocument[]> {
  const invoiceDates = invoiceDateRange({ year });
  const found: InvoiceDocument[] = [];
  let cursor: string | undefined;
  do {
    const page = await scope.documents.listVisible(customer, {
      limit: YEAR_PAGE_SIZE,
      cursor,
      ...(invoiceDates ? { invoiceDates } : {}),
    });
    found.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return found;
}

async function selectedDocuments(
  scope: TenantScope,
  customer: Customer,
  documentIds: readonly string[],
): Promise<InvoiceDocument[]> {
  const unique = [...new Set(documentIds)];
  // Counted before anything is read: an oversized selection costs no reads.
  checkCount(unique.length);
  // Ids are ours, so anything not shaped like one names no document of this customer: the same 404 as any other.
  if (!unique.every(isUuid)) throw new NotFoundError('A selected document');
  const documents = await mapWithConcurrency(unique, CONCURRENCY, (id) => scope.documents.get(customer.id, id));
  return documents.map((document) => {
    if (!document || !isShownToContacts(document, customer)) throw new NotFoundError('A selected document');
    return document;
  });
}

function checkLimits(documents: readonly InvoiceDocument[], selection: ArchiveSelection): void {
  if (documents.length === 0 && 'year' in selection) {
    throw new UnprocessableError('archive_empty', `There are no documents from ${selection.year} to download.`, {
      year: selection.year,
    });
  }
  checkCount(documents.length);
  const requestedBytes = documents.reduce((sum, document) => sum + (document.sizeBytes ?? 0), 0);
  if (requestedBytes > ARCHIVE_LIMITS.maxBytes) {
    throw new UnprocessableError(
      'archive_too_large',
      `The selected documents are ${megabytes(requestedBytes)} MB together; one ZIP file may hold at most ` +
        `${megabytes(ARCHIVE_LIMITS.maxBytes)} MB. Choose fewer documents.`,
      { maxBytes: ARCHIVE_LIMITS.maxBytes, requestedBytes },
    );
  }
}

function checkCount(requestedDocuments: number): void {
  if (requestedDocuments > ARCHIVE_LIMITS.maxDocuments) {
    throw new UnprocessableError(
      'archive_too_large',
      `${requestedDocuments} documents were selected; one ZIP file may hold at most ${ARCHIVE_LIMITS.maxDocuments}. ` +
        'Choose fewer documents.',
      { maxDocuments: ARCHIVE_LIMITS.maxDocuments, requestedDocuments },
    );
  }
}

function megabytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0);
}
