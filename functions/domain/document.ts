import { type Customer, shownDocumentTypes } from './identity';
import type { DocumentType, IsoDate } from './invoice-basis';
import type { MinorUnits } from './money';

/**
 * Structured data: received → rendering → ready, or failed (with a reason). A ready-made PDF: awaiting_upload →
 * ready (a file that fails the check is refused with 422 and the document keeps awaiting an upload). Only `ready`
 * documents have a PDF in the document store.
 */
export type DocumentStatus = 'awaiting_upload' | 'received' | 'rendering' | 'ready' | 'failed';

/** Where the PDF comes from: rendered by us from structured lines, or uploaded ready-made by the practice system. */
export type DocumentSource = 'rendered' | 'uploaded';

/**
 * Whether contacts may see the document: `published` (shown), `held` (awaiting the clinic's approval),
 * `hidden` (taken down by the clinic), `withdrawn` (cancelled by the practice system), `superseded` (a newer
 * version with the same invoice number replaced it).
 */
export type DocumentVisibility = 'published' | 'held' | 'hidden' | 'withdrawn' | 'superseded';

export interface DownloadReceipt {
  readonly at: string;
  readonly contactId: string;
  readonly contactName: string;
}

export interface Withdrawal {
  readonly at: string;
  readonly reason: string;
}

/** Metadata of one invoice basis document (one version). The PDF itself lives in the document store. */
export interface InvoiceDocument {
  readonly id: string;
  readonly customerId: string;
  readonly invoiceNumber: string;
  readonly invoiceDate: IsoDate;
  readonly periodFrom: IsoDate;
  readonly periodTo: IsoDate;
  readonly description: string;
  /** Total including VAT, in minor units. */
  readonly amount: MinorUnits;
  readonly vatAmount: MinorUnits;
  readonly currency: 'SEK';
  readonly documentType: DocumentType;
  readonly source: DocumentSource;
  readonly status: DocumentStatus;
  /** Why rendering or the upload check failed, in words an integrator can act on (status `failed`). */
  readonly failureReason?: string;
  /**
   * Intended visibility. A document that is not yet ready carries `published` as "publish when ready"; contacts see
   * it only once it is ready too ({@link isVisibleToContacts}).
   */
  readonly visibility: DocumentVisibility;
  /** Version of the invoice number, from 1; a higher version supersedes a lower one once it is ready. */
  readonly version: number;
  /** When the practice system handed it in (ISO instant). */
  readonly receivedAt: string;
  /**
   * SHA-256 of what the practice system sent for this version (the JSON of the validated submission, in the schema's
   * key order; for a ready-made PDF that includes the PDF's declared SHA-256 and size). Decides whether a repeated
   * version is a retry or a conflict.
   */
  readonly payloadSha256: string;
  /** The newer version that replaced this one (visibility `superseded`). */
  readonly supersededBy?: string;
  /** The previous version this one replaced when it became current. */
  readonly supersedes?: string;
  readonly withdrawal?: Withdrawal;
  readonly lineCount?: number;
  readonly pageCount?: number;
  /** When it became available to the customer (ISO instant); absent until published. */
  readonly sentAt?: string;
  /** SHA-256 of the PDF, lowercase hex. */
  readonly contentSha256?: string;
  readonly sizeBytes?: number;
  readonly firstDownload?: DownloadReceipt;
  readonly lastDownload?: DownloadReceipt;
}

/** The rule that decides whether a contact of the document's customer may list and download it. */
export function isVisibleToContacts(document: Pick<InvoiceDocument, 'status' | 'visibility'>): boolean {
  return document.status === 'ready' && document.visibility === 'published';
}

/**
 * THE rule for every path by which a contact reaches a document (list, search, years, download, ZIP, notification):
 * the document is visible ({@link isVisibleToContacts}) and of a type the clinic shows the customer's contacts. The
 * index of visible documents knows only the first half; the type is filtered on the same Query (the repository's
 * listVisible and visibleYears take the customer for it), so changing the customer's choice rewrites no document.
 */
export function isShownToContacts(
  document: Pick<InvoiceDocument, 'status' | 'visibility' | 'documentType'>,
  customer: Pick<Customer, 'shownDocumentTypes'>,
): boolean {
  return isVisibleToContacts(document) && shownDocumentTypes(customer).includes(document.documentType);
}

/**
 * The period as people say it: "2024-01" for a whole calendar month, else "2024-01-01–2024-01-15"
 * (with an ASCII hyphen pair in file names, see {@link downloadFileName}).
 */
export function periodLabel(from: IsoDate, to: IsoDate, separator = '–'): string {
  const wholeMonth = from.endsWith('-01') && from.slice(0, 7) === to.slice(0, 7) && to === lastDayOfMonth(to);
  return wholeMonth ? from.slice(0, 7) : `${from}${separator}${to}`;
}

function lastDayOfMonth(date: IsoDate): IsoDate {
  const [year, month] = date.split('-').map(Number);
  const last = new Date(Date.UTC(year ?? 0, month ?? 1, 0)).getUTCDate();
  return `${date.slice(0, 8)}${String(last).padStart(2, '0')}`;
}

/** The server-chosen file name of a downloaded invoice basis: `Fakturaunderlag_<period>_<invoice no>.pdf`. */
export function downloadFileName(document: Pick<InvoiceDocument, 'periodFrom' | 'periodTo' | 'invoiceNumber'>): string {
  const safeInvoiceNumber = document.invoiceNumber.replace(/[^\p{L}\p{N}._-]+/gu, '-');
  return `Fakturaunderlag_${periodLabel(document.periodFrom, document.periodTo, '--')}_${safeInvoiceNumber}.pdf`;
}
