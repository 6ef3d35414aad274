import { Hono } from 'hono';
import * as z from 'zod/mini';
import { type InvoiceDocument, isShownToContacts } from '../../domain/document';
import { NotFoundError } from '../../domain/errors';
import { type Customer, shownDocumentTypes } from '../../domain/identity';
import { DOCUMENT_TYPES } from '../../domain/invoice-basis';
import { withdrawDocument } from '../../use-cases/ingest/withdraw-document';
import {
  changeCustomerChoices,
  listCustomerDocumentsForClinic,
  listCustomers,
  listDocumentDownloads,
  publishHeldDocuments,
  setDocumentVisibility,
} from '../../use-cases/manage-customer-visibility';
import type {
  AdminCustomerListResponse,
  AdminCustomerSummary,
  AdminDocumentDownloadsResponse,
  AdminDocumentPageResponse,
  AdminDocumentSummary,
  AdminPublishHeldResponse,
} from '../admin-api-contract';
import type { AppDeps, AppEnv } from '../app-types';
import { authenticateAdministrator } from '../middleware/authenticate';
import { parseJsonBody, uuidParam, validate } from '../validation';

const choicesBody = z
  .object({
    portalAccess: z.optional(z.boolean()),
    publishing: z.optional(z.enum(['automatic', 'approval'])),
    shownDocumentTypes: z.optional(z.array(z.enum(DOCUMENT_TYPES)).check(z.maxLength(DOCUMENT_TYPES.length * 2))),
  })
  .check(
    z.refine(
      (body) =>
        body.portalAccess !== undefined || body.publishing !== undefined || body.shownDocumentTypes !== undefined,
      { message: 'give portalAccess, publishing or shownDocumentTypes', path: ['portalAccess'] },
    ),
  );
const visibilityBody = z.object({ visibility: z.enum(['published', 'hidden']) });
const withdrawalBody = z.object({
  reason: z.string().check(z.trim(), z.minLength(1, 'must say why'), z.maxLength(500)),
});
const documentsQuery = z.object({
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 50),
  cursor: z.optional(z.string().check(z.maxLength(200))),
  notDownloaded: z.optional(z.enum(['true', 'false'])),
  documentType: z.optional(z.enum(DOCUMENT_TYPES)),
});

function customerSummary(customer: Customer): AdminCustomerSummary {
  return {
    id: customer.id,
    name: customer.name,
    customerNumber: customer.customerNumber,
    orgNumber: customer.orgNumber,
    portalAccess: customer.portalAccess,
    publishing: customer.publishing ?? 'automatic',
    shownDocumentTypes: shownDocumentTypes(customer),
  };
}

const receiptSummary = (receipt: { readonly at: string; readonly contactName: string }) => ({
  at: receipt.at,
  contactName: receipt.contactName,
});

/** The document as the clinic sees it, with what the customer's contacts see of it (the customer's type choice too). */
function documentSummary(document: InvoiceDocument, customer: Customer): AdminDocumentSummary {
  return {
    id: document.id,
    invoiceNumber: document.invoiceNumber,
    version: document.version,
    invoiceDate: document.invoiceDate,
    periodFrom: document.periodFrom,
    periodTo: document.periodTo,
    description: document.description,
    amount: document.amount,
    documentType: document.documentType,
    typeShownToContacts: shownDocumentTypes(customer).includes(document.documentType),
    status: document.status,
    visibility: document.visibility,
    visibleToContacts: isShownToContacts(document, customer),
    ...(document.sentAt ? { sentAt: document.sentAt } : {}),
    ...(document.contentSha256 ? { contentSha256: document.contentSha256 } : {}),
    ...(document.firstDownload ? { firstDownload: receiptSummary(document.firstDownload) } : {}),
    ...(document.lastDownload ? { lastDownload: receiptSummary(document.lastDownload) } : {}),
    ...(document.withdrawal ? { withdrawal: document.withdrawal } : {}),
  };
}

/**
 * The clinic's customers and their documents (functions/use-cases/manage-customer-visibility.ts): portal access per
 * customer, every document with its status, visibility and receipts, and publishing or hiding one. Administrators
 * only; ids of another clinic are simply not found, since every read is bound to the clinic of the host.
 */
export function adminCustomerRoutes(deps: AppDeps) {
  const requireAdmin = authenticateAdministrator(deps);
  const changeDeps = (scope: AppEnv['Variables']['scope']) => ({ scope, clock: deps.clock, ids: deps.ids });
  return new Hono<AppEnv>()
    .get('/admin/customers', requireAdmin, async (c) => {
      const body: AdminCustomerListResponse = {
        customers: (await listCustomers(c.var.scope)).map(customerSummary),
      };
      return c.json(body);
    })
    .patch('/admin/customers/:customerId', requireAdmin, async (c) => {
      const customerId = uuidParam(c.req.param('customerId'), 'The customer');
      const { portalAccess, publishing, shownDocumentTypes: types } = await parseJsonBody(c, choicesBody);
      const customer = await changeCustomerChoices(changeDeps(c.var.scope), {
        principal: c.var.adminPrincipal,
        sourceIp: c.var.requestInfo.sourceIp,
        customerId,
        choices: {
          ...(portalAccess === undefined ? {} : { portalAccess }),
          ...(publishing === undefined ? {} : { publishing }),
          ...(types === undefined ? {} : { shownDocumentTypes: types }),
        },
      });
      return c.json(customerSummary(customer));
    })
    .get('/admin/customers/:customerId/documents', requireAdmin, async (c) => {
      const customerId = uuidParam(c.req.param('customerId'), 'The customer');
      const { limit, cursor, notDownloaded, documentType } = validate(documentsQuery, c.req.query(), 'query');
      const { customer, documents } = await listCustomerDocumentsForClinic(c.var.scope, customerId, {
        limit,
        cursor,
        notDownloaded: notDownloaded === 'true',
        documentType,
      });
      const body: AdminDocumentPageResponse = {
        customer: customerSummary(customer),
        items: documents.items.map((document) => documentSummary(document, customer)),
        ...(documents.nextCursor ? { nextCursor: documents.nextCursor } : {}),
      };
      return c.json(body);
    })
    .get('/admin/customers/:customerId/documents/:documentId/downloads', requireAdmin, async (c) => {
      const downloads = await listDocumentDownloads(
        c.var.scope,
        uuidParam(c.req.param('customerId'), 'The customer'),
        uuidParam(c.req.param('documentId'), 'The document'),
      );
      const body: AdminDocumentDownloadsResponse = { downloads: downloads.map(receiptSummary) };
      return c.json(body);
    })
    .post('/admin/customers/:customerId/documents/publish-held', requireAdmin, async (c) => {
      const published = await publishHeldDocuments(changeDeps(c.var.scope), {
        principal: c.var.adminPrincipal,
        sourceIp: c.var.requestInfo.sourceIp,
        customerId: uuidParam(c.req.param('customerId'), 'The customer'),
      });
      const body: AdminPublishHeldResponse = { published };
      return c.json(body);
    })
    .post('/admin/customers/:customerId/documents/:documentId/withdraw', requireAdmin, async (c) => {
      const customerId = uuidParam(c.req.param('customerId'), 'The customer');
      const documentId = uuidParam(c.req.param('documentId'), 'The document');
      const { reason } = await parseJsonBody(c, withdrawalBody);
      // The practice system's withdrawal (final, the reason kept), limited to the customer in the path.
      const [found, customer] = await Promise.all([
        c.var.scope.documents.get(customerId, documentId),
        c.var.scope.customers.get(customerId),
      ]);
      if (found === undefined || customer === undefined) throw new NotFoundError('The document');
      const document = await withdrawDocument(
        changeDeps(c.var.scope),
        { type: 'admin', id: c.var.adminPrincipal.adminId },
        { documentId, reason },
      );
      return c.json(documentSummary(document, customer));
    })
    .put('/admin/customers/:customerId/documents/:documentId/visibility', requireAdmin, async (c) => {
      const customerId = uuidParam(c.req.param('customerId'), 'The customer');
      const documentId = uuidParam(c.req.param('documentId'), 'The document');
      const { visibility } = await parseJsonBody(c, visibilityBody);
      const document = await setDocumentVisibility(changeDeps(c.var.scope), {
        principal: c.var.adminPrincipal,
        sourceIp: c.var.requestInfo.sourceIp,
        customerId,
        documentId,
        visibility,
      });
      const customer = await c.var.scope.customers.get(customerId);
      if (!customer) throw new NotFoundError('The document');
      return c.json(documentSummary(document, customer));
    });
}
