import { Hono } from 'hono';
import * as z from 'zod/mini';
import type { InvoiceDocument } from '../../domain/document';
import { invoiceDateRange } from '../../domain/document-list';
import {
  type CustomerDocumentsQuery,
  listCustomerDocuments,
  listCustomerDocumentYears,
} from '../../use-cases/list-customer-documents';
import { requestDocumentArchive } from '../../use-cases/request-document-archive';
import { requestDocumentDownload } from '../../use-cases/request-document-download';
import type {
  ArchiveLinkResponse,
  DocumentPageResponse,
  DocumentSummary,
  DocumentYearsResponse,
  DownloadLinkResponse,
} from '../api-contract';
import type { AppDeps, AppEnv } from '../app-types';
import { authenticate, authenticateBeforeWrites } from '../middleware/authenticate';
import { parseJsonBody, throwValidationError, uuidParam, validate } from '../validation';

const listQuery = z.object({
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 50),
  cursor: z.optional(z.string().check(z.maxLength(200))),
  year: z.optional(z.string().check(z.regex(/^\d{4}$/u, 'must be a year, YYYY'))),
  period: z.optional(z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])$/u, 'must be a month, YYYY-MM'))),
  status: z.optional(z.enum(['new', 'downloaded'])),
  // The key rule (no `#`, no white space); a number the ingest API would refuse is simply not found.
  invoiceNumber: z.optional(
    z.string().check(z.maxLength(40), z.regex(/^[^#\s]+$/u, 'must be an invoice number without spaces or #')),
  ),
  sort: z._default(z.enum(['newest', 'oldest']), 'newest'),
});

/** The validated list query as the use case takes it; combinations that cannot mean anything are refused. */
function customerDocumentsQuery(input: Record<string, string>): CustomerDocumentsQuery {
  const query = validate(listQuery, input, 'query');
  if (query.year !== undefined && query.period !== undefined && !query.period.startsWith(`${query.year}-`)) {
    throwValidationError([{ path: ['period'], message: 'must be a month of the given year' }], 'query');
  }
  if (query.invoiceNumber !== undefined && query.cursor !== undefined) {
    throwValidationError([{ path: ['cursor'], message: 'a search by invoice number has one page' }], 'query');
  }
  const invoiceDates = invoiceDateRange({
    year: query.year === undefined ? undefined : Number(query.year),
    period: query.period,
  });
  return {
    limit: query.limit,
    cursor: query.cursor,
    order: query.sort,
    ...(invoiceDates ? { invoiceDates } : {}),
    ...(query.status ? { downloadState: query.status } : {}),
    ...(query.invoiceNumber === undefined ? {} : { invoiceNumber: query.invoiceNumber }),
  };
}

/** `?disposition=inline` opens the PDF in the browser's viewer; the default saves it. */
const downloadQuery = z.object({
  disposition: z._default(z.enum(['attachment', 'inline']), 'attachment'),
});

/**
 * A year, or explicit ids. The id list is capped far above the archive limit only to bound the work of parsing a
 * body; a selection over the limit is answered by the use case, which names the limit.
 */
const archiveBody = z.union([
  z.strictObject({ year: z.number().check(z.int(), z.minimum(2000), z.maximum(2100)) }),
  z.strictObject({
    documentIds: z.array(z.string().check(z.maxLength(100))).check(z.minLength(1), z.maxLength(5_000)),
  }),
]);

/** The list row a contact sees. Who downloaded is shown by name within the company; ids of others are not. */
function documentResponse(document: InvoiceDocument): DocumentSummary {
  return {
    id: document.id,
    invoiceNumber: document.invoiceNumber,
    invoiceDate: document.invoiceDate,
    periodFrom: document.periodFrom,
    periodTo: document.periodTo,
    description: document.description,
    amount: document.amount,
    vatAmount: document.vatAmount,
    currency: document.currency,
    documentType: document.documentType,
    // Only published documents are listed, and publishing sets sentAt; the invoice date is a safe fallback.
    sentAt: document.sentAt ?? document.invoiceDate,
    downloaded: document.firstDownload !== undefined,
    ...(document.lastDownload
      ? { lastDownload: { at: document.lastDownload.at, contactName: document.lastDownload.contactName } }
      : {}),
  };
}

export function documentRoutes(deps: AppDeps) {
  const session = authenticate(deps);
  return (
    new Hono<AppEnv>()
      .get('/customers/:customerId/documents', session, async (c) => {
        const customerId = uuidParam(c.req.param('customerId'), 'The customer');
        const query = customerDocumentsQuery(c.req.query());
        const page = await listCustomerDocuments(c.var.scope, c.var.principal, customerId, query);
        const body: DocumentPageResponse = {
          items: page.items.map(documentResponse),
          ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
        };
        return c.json(body);
      })
      .get('/customers/:customerId/document-years', session, async (c) => {
        const customerId = uuidParam(c.req.param('customerId'), 'The customer');
        const years = await listCustomerDocumentYears(c.var.scope, c.var.principal, customerId);
        const body: DocumentYearsResponse = { years };
        return c.json(body);
      })
      // The download's reads overlap the session check; the use case awaits it before the audit event.
      .post('/customers/:customerId/documents/:documentId/download', authenticateBeforeWrites(deps), async (c) => {
        const download = await requestDocumentDownload(
          { scope: c.var.scope, clock: deps.clock, ids: deps.ids, sessionConfirmed: c.var.sessionConfirmed },
          c.var.principal,
          {
            customerId: uuidParam(c.req.param('customerId'), 'The customer'),
            documentId: uuidParam(c.req.param('documentId'), 'The document'),
            sourceIp: c.var.requestInfo.sourceIp,
            disposition: validate(downloadQuery, c.req.query(), 'query').disposition,
          },
        );
        const body: DownloadLinkResponse = {
          url: download.url,
          fileName: download.fileName,
          expiresAt: download.expiresAt.toISOString(),
        };
        return c.json(body);
      })
      .post('/customers/:customerId/document-archives', session, async (c) => {
        const customerId = uuidParam(c.req.param('customerId'), 'The customer');
        const selection = await parseJsonBody(c, archiveBody);
        const archive = await requestDocumentArchive(
          { scope: c.var.scope, clock: deps.clock, ids: deps.ids },
          c.var.principal,
          { customerId, selection, sourceIp: c.var.requestInfo.sourceIp },
        );
        const body: ArchiveLinkResponse = {
          url: archive.url,
          fileName: archive.fileName,
          expiresAt: archive.expiresAt.toISOString(),
          documentCount: archive.documentCount,
          sizeBytes: archive.sizeBytes,
        };
        return c.json(body);
      })
  );
}
