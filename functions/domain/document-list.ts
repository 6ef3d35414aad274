import type { InvoiceDocument } from './document';
import type { IsoDate } from './invoice-basis';

/** "new" until somebody in the company has downloaded the document once; then "downloaded" for everyone. */
export type DownloadState = 'new' | 'downloaded';

/** By invoice date: newest first (the default) or oldest first. */
export type ListOrder = 'newest' | 'oldest';

/**
 * What narrows a contact's list. Invoice dates are the list's sort key, so a year or a month becomes a key range
 * (never a scan); the download state is the one filter that is read past.
 */
export interface DocumentListFilter {
  /** Invoice dates from and to, both inclusive. */
  readonly invoiceDates?: { readonly from: IsoDate; readonly to: IsoDate };
  readonly downloadState?: DownloadState;
}

/**
 * The invoice dates a year or a period (`YYYY-MM`) stands for. A period is the invoice month, not the service
 * period: that is the index's sort key, so the filter costs the same as the year filter at any list size, while
 * "service period overlaps the month" could only be a filter read past every older document. An invoice basis is
 * invoiced for its period, so the two rarely differ by more than the month the invoice is written in.
 */
export function invoiceDateRange(selection: {
  readonly year?: number | undefined;
  readonly period?: string | undefined;
}): DocumentListFilter['invoiceDates'] {
  if (selection.period !== undefined) {
    // Compared as strings, so day 31 bounds every month, short ones included.
    return { from: `${selection.period}-01`, to: `${selection.period}-31` };
  }
  if (selection.year !== undefined) {
    return { from: `${selection.year}-01-01`, to: `${selection.year}-12-31` };
  }
  return undefined;
}

export function downloadStateOf(document: Pick<InvoiceDocument, 'firstDownload'>): DownloadState {
  return document.firstDownload === undefined ? 'new' : 'downloaded';
}

/**
 * Whether a single document passes the filter: for a document found by another way than the list's index (a
 * search by invoice number), so that a search combined with filters answers as the list would.
 */
export function matchesListFilter(document: InvoiceDocument, filter: DocumentListFilter): boolean {
  const dates = filter.invoiceDates;
  if (dates && (document.invoiceDate < dates.from || document.invoiceDate > dates.to)) {
    return false;
  }
  return filter.downloadState === undefined || downloadStateOf(document) === filter.downloadState;
}
