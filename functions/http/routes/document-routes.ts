import { Hono } from 'hono';
import * as z from 'zod/mini';
import type { InvoiceDocument } from '../../domain/document';
import { listCustomerDocuments } from '../../use-cases/list-customer-documents';
import { requestDocumentDownload } from '../../use-cases/request-document-download';
import type { DocumentPageResponse, DocumentSummary, DownloadLinkResponse } from '../api-contract';
import type { AppDeps, AppEnv } from '../app-types';
import { authenticate } from '../middleware/authenticate';
import { uuidParam, validate } from '../validation';

const listQuery = z.object({
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 50),
  cursor: z.optional(z.string().check(z.maxLength(200))),
});

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
  return new Hono<AppEnv>()
    .use('/customers/*', authenticate(deps))
    .get('/customers/:customerId/documents', async (c) => {
      const customerId = uuidParam(c.req.param('customerId'), 'The customer');
      const query = validate(listQuery, c.req.query(), 'query');
      const page = await listCustomerDocuments(c.var.scope, c.var.principal, customerId, query);
      const body: DocumentPageResponse = {
        items: page.items.map(documentResponse),
        ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
      };
      return c.json(body);
    })
    .post('/customers/:customerId/documents/:documentId/download', async (c) => {
      const download = await requestDocumentDownload(
        { scope: c.var.scope, clock: deps.clock, ids: deps.ids },
        c.var.principal,
        {
          customerId: uuidParam(c.req.param('customerId'), 'The customer'),
          documentId: uuidParam(c.req.param('documentId'), 'The document'),
          sourceIp: c.var.requestInfo.sourceIp,
        },
      );
      const body: DownloadLinkResponse = {
        url: download.url,
        fileName: download.fileName,
        expiresAt: download.expiresAt.toISOString(),
      };
      return c.json(body);
    });
}
