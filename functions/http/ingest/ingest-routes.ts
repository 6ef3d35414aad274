import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
// zod's namespace, not @hono/zod-openapi's `z`: see ./schemas.ts.
import * as z from 'zod';
import type { InvoiceDocument } from '../../domain/document';
import type { InvoiceLine } from '../../domain/invoice-basis';
import { normalisedOrganisationNumber } from '../../domain/organisation-number';
import { getIngestStatus } from '../../use-cases/ingest/get-ingest-status';
import { actorOf } from '../../use-cases/ingest/ingest-principal';
import { completePdfUpload, registerPdfUpload } from '../../use-cases/ingest/ready-made-pdf';
import { receiveInvoiceBasis } from '../../use-cases/ingest/receive-invoice-basis';
import { upsertCustomers } from '../../use-cases/ingest/upsert-customers';
import { withdrawDocument } from '../../use-cases/ingest/withdraw-document';
import { throwValidationError } from '../validation';
import { IDEMPOTENCY_KEY_FORM } from './idempotency';
import type { IngestAppDeps, IngestEnv } from './ingest-env';
import {
  DocumentIdParam,
  ErrorResponse,
  IngestDocumentStatus,
  InvoiceBasisRequest,
  PdfDocumentRequest,
  PdfUploadResponse,
  STATUS_EXAMPLE,
  type Totals,
  UpsertCustomersRequest,
  UpsertCustomersResponse,
  WithdrawalRequest,
} from './schemas';

export const INGEST_BASE_PATH = '/ingest/v1';

const toMinor = (kronor: number) => Math.round(kronor * 100);
const totalsInMinor = (totals: z.infer<typeof Totals>) => ({
  net: toMinor(totals.net),
  vat: toMinor(totals.vat),
  total: toMinor(totals.total),
});

/** A JSON response; `example` where the schema's own example (a ready document) would mislead. */
const json = <T extends z.ZodType>(schema: T, description: string, example?: z.input<T>) => ({
  description,
  content: { 'application/json': { schema, ...(example === undefined ? {} : { example }) } },
});

/** The document of the schemas' examples as it is at each step (what the status URL shows then). */
const documentAt = {
  received: (({ contentSha256: _hash, sizeBytes: _size, pageCount: _pages, sentAt: _sent, ...rest }) => ({
    ...rest,
    status: 'received' as const,
  }))(STATUS_EXAMPLE),
  withdrawn: {
    ...STATUS_EXAMPLE,
    visibility: 'withdrawn',
    withdrawal: { at: '2024-01-16T08:12:40.215Z', reason: 'Felaktig kund; ersätts av faktura 2024-0117.' },
  },
} as const;

type ErrorBody = z.infer<typeof ErrorResponse>;

/** An error response with an example body (what the API really answers; see the handlers and use cases). */
const error = (description: string, example: ErrorBody, headers?: Record<string, ReturnType<typeof header>>) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { 'application/json': { schema: ErrorResponse, example } },
});

const errorExample = (code: string, message: string, details?: Record<string, unknown>): ErrorBody => ({
  error: { code, message, ...(details ? { details } : {}) },
});

/** A response header, for the documentation (Hono sets the headers; nothing validates them). */
const header = (description: string, example: string) => ({
  description,
  schema: { type: 'string' as const, example },
});

/** Response headers of a write that an Idempotency-Key can replay. */
const replayHeaders = {
  'Idempotent-Replayed': header(
    '`true` when this is the stored response to an earlier request with the same Idempotency-Key.',
    'true',
  ),
};

const createdHeaders = {
  Location: header(
    'The status URL of the document (as `statusUrl`).',
    '/ingest/v1/documents/0b5c6e1e-3f5a-4c55-9d0e-2f1f7c2b9a10',
  ),
  ...replayHeaders,
};

/** Documents the header that functions/http/ingest/idempotency.ts handles. */
const idempotencyHeader = z.object({
  'Idempotency-Key': z
    .string()
    .regex(IDEMPOTENCY_KEY_FORM)
    .optional()
    .openapi({
      pattern: IDEMPOTENCY_KEY_FORM.source,
      param: { name: 'Idempotency-Key', in: 'header' },
      description:
        'Any unique string of 1–255 visible ASCII characters (a UUID, say), new for each new request. A retry with the same key and the same body within 24 hours gets the stored response (`Idempotent-Replayed: true`); the same key with another body gets 422 `idempotency_key_reused`, and while the first request is still running, 409 `idempotency_key_in_progress`.',
      example: '7d9f3c52-2a8e-4f0b-9a57-1c3e5b7d9f10',
    }),
});

/** Error responses every write can give, documented once. */
const errors = {
  400: error(
    'The request does not match the schema, or is not valid JSON (or gzip); `details.fields` names each offending field path.',
    errorExample('validation_failed', 'Invalid request: periodTo, lines.2.amount.', {
      fields: {
        periodTo: 'must be a real calendar date written YYYY-MM-DD',
        'lines.2.amount': 'must have at most two decimals (öre)',
      },
    }),
  ),
  401: error(
    'No API key, or not a valid one.',
    errorExample('unauthenticated', 'An API key is required: send it as "Authorization: Bearer <key>".'),
    { 'WWW-Authenticate': header('Always `Bearer realm="ingest"`.', 'Bearer realm="ingest"') },
  ),
  403: error(
    'The API key is revoked, expired after rotation, or belongs to another clinic.',
    errorExample('api_key_revoked', 'This API key is revoked; ask the clinic for a new one.'),
  ),
  413: error(
    'The body is larger than 4 MB as sent, or 50 MB after gzip decoding.',
    errorExample(
      'payload_too_large',
      'The request body may be at most 4 MB. Compress it with Content-Encoding: gzip, or split it up.',
    ),
  ),
  415: error(
    'The body is not `application/json`, or its Content-Encoding is neither gzip nor absent.',
    errorExample('unsupported_media_type', 'The request body must be JSON (Content-Type: application/json).'),
  ),
} as const;

const documentNotFound = error(
  'No such document in this clinic.',
  errorExample('not_found', 'The document was not found.'),
);

const versionConflict = error(
  'This version exists with other content, or is not newer than the published version; `details` names the version to send.',
  errorExample(
    'version_conflict',
    'Version 1 of invoice 2024-0102 was already received with different content (document 0b5c6e1e-3f5a-4c55-9d0e-2f1f7c2b9a10). Send the correction as version 2.',
    { documentId: '0b5c6e1e-3f5a-4c55-9d0e-2f1f7c2b9a10', nextVersion: 2 },
  ),
);

const upsertCustomersRoute = createRoute({
  method: 'put',
  path: '/customers',
  tags: ['Kunder'],
  summary: 'Create or update customer companies (in bulk)',
  description:
    "Upserts up to 1,000 customers by customer number. Portal access and the publishing rule, set by the clinic, are never changed by an update; a new customer gets portal access and the clinic's default publishing rule.",
  request: {
    headers: idempotencyHeader,
    body: { required: true, content: { 'application/json': { schema: UpsertCustomersRequest } } },
  },
  responses: {
    200: {
      ...json(UpsertCustomersResponse, 'What happened to each customer, in request order.'),
      headers: replayHeaders,
    },
    ...errors,
  },
});

const submitInvoiceBasisRoute = createRoute({
  method: 'post',
  path: '/invoice-bases',
  tags: ['Fakturaunderlag'],
  summary: 'Send an invoice basis as structured data',
  description:
    'Checks the lines and totals, stores the basis and answers 202 at once; the PDF is rendered asynchronously. Poll the status URL until it says `ready` (or `failed`, with a reason). A new version of an invoice number supersedes the previous one once it is ready.',
  request: {
    headers: idempotencyHeader,
    body: { required: true, content: { 'application/json': { schema: InvoiceBasisRequest } } },
  },
  responses: {
    202: {
      ...json(
        IngestDocumentStatus,
        'Received; rendering follows. Also the answer to a retry of the same version.',
        documentAt.received,
      ),
      headers: createdHeaders,
    },
    ...errors,
    409: versionConflict,
    422: error(
      'Totals or VAT do not add up (`details.problems` names each field with the difference), a line amount is not quantity × unit price, a VAT rate is not allowed, the period is reversed, or the customer number is unknown (`unknown_customer`).',
      errorExample(
        'invoice_basis_inconsistent',
        'The invoice basis does not add up: totals.vat is 468.00 but the VAT per rate of the summed lines is 468.75 (difference -0.75).',
        {
          problems: [
            {
              path: 'totals.vat',
              code: 'total_mismatch',
              message: 'totals.vat is 468.00 but the VAT per rate of the summed lines is 468.75 (difference -0.75).',
              declared: '468.00',
              computed: '468.75',
              difference: '-0.75',
            },
          ],
        },
      ),
    ),
  },
});

const registerPdfRoute = createRoute({
  method: 'post',
  path: '/pdf-documents',
  tags: ['Fakturaunderlag'],
  summary: 'Announce a ready-made PDF and get an upload URL',
  description:
    'For practice systems that render their own PDFs (up to 20 MB). Send the metadata with the size and SHA-256 of the PDF, PUT the file to `upload.url` with exactly `upload.headers`, then call the complete URL. Sending the same metadata again renews an expired upload URL.',
  request: {
    headers: idempotencyHeader,
    body: { required: true, content: { 'application/json': { schema: PdfDocumentRequest } } },
  },
  responses: {
    201: {
      ...json(PdfUploadResponse, 'Registered (or registered before, with a fresh upload URL); awaiting the upload.'),
      headers: createdHeaders,
    },
    ...errors,
    409: versionConflict,
    422: error(
      'Unknown customer (`unknown_customer`), or total ≠ net + VAT, period reversed, larger than 20 MB (`pdf_metadata_inconsistent`).',
      errorExample('pdf_metadata_inconsistent', 'totals.total must be net + VAT (difference 0.5 kr).', {
        problems: ['totals.total must be net + VAT (difference 0.5 kr).'],
      }),
    ),
  },
});

const completePdfRoute = createRoute({
  method: 'post',
  path: '/documents/{documentId}/upload-complete',
  tags: ['Fakturaunderlag'],
  summary: 'Finish a ready-made PDF: check and publish it',
  description:
    'Checks the uploaded file (size and SHA-256 as declared, starts with %PDF-, parseable, not encrypted, no scripts) and publishes it. A failed check leaves the document awaiting an upload, so the file can be uploaded again.',
  request: { params: DocumentIdParam },
  responses: {
    200: json(IngestDocumentStatus, 'Published (or already published).'),
    ...errors,
    404: documentNotFound,
    409: error(
      'Nothing uploaded yet (`upload_missing`), or the document does not await an upload (`not_awaiting_upload`).',
      errorExample(
        'upload_missing',
        'Nothing has been uploaded for this document yet: PUT the PDF to the upload URL first.',
      ),
    ),
    422: error(
      'The file is not the declared one (`pdf_checksum_mismatch`), or not a PDF a contact can open.',
      errorExample(
        'pdf_checksum_mismatch',
        'The uploaded file is not the one declared: its size or SHA-256 differs. Upload the declared file again.',
        {
          declared: { sizeBytes: 183_204, sha256: '9f2c5a0e6b1d4f8e3a7c2b9d0e5f1a6c8b3d7e2f4a9c0b5d1e6f3a8c2b7d4e9f' },
          uploaded: { sizeBytes: 183_190, sha256: '1b6e3d8a0c5f2e7b4d9a1c6e3f8b0d5a2c7e4f9b1d6a3c8e0f5b2d7a4c9e1f6b' },
        },
      ),
    ),
  },
});

const statusRoute = createRoute({
  method: 'get',
  path: '/documents/{documentId}',
  tags: ['Fakturaunderlag'],
  summary: 'Status of a sent document',
  description:
    'Poll this (the `statusUrl` of every answer) after sending structured data until `status` is `ready` or `failed`; rendering usually takes seconds. Every version of an invoice number has its own document id.',
  request: { params: DocumentIdParam },
  responses: {
    200: json(IngestDocumentStatus, 'awaiting_upload, received, rendering, ready or failed (with failureReason).'),
    401: errors[401],
    403: errors[403],
    404: documentNotFound,
  },
});

const withdrawRoute = createRoute({
  method: 'post',
  path: '/documents/{documentId}/withdrawal',
  tags: ['Fakturaunderlag'],
  summary: 'Withdraw a document',
  description: 'Hides the document from the customer for good and records the reason. Withdrawing twice is harmless.',
  request: {
    params: DocumentIdParam,
    headers: idempotencyHeader,
    body: { required: true, content: { 'application/json': { schema: WithdrawalRequest } } },
  },
  responses: {
    200: {
      ...json(IngestDocumentStatus, 'Withdrawn (or withdrawn before).', documentAt.withdrawn),
      headers: replayHeaders,
    },
    ...errors,
    404: documentNotFound,
    409: error(
      'The document is superseded; withdraw the current version instead.',
      errorExample(
        'document_superseded',
        'The document was superseded by document 3e8d1f5a-9c2b-4a7e-b6d0-5f1c8e2a9b4d; withdraw that one instead.',
        { supersededBy: '3e8d1f5a-9c2b-4a7e-b6d0-5f1c8e2a9b4d' },
      ),
    ),
  },
});

function statusBody(document: InvoiceDocument, customerNumber: string): z.infer<typeof IngestDocumentStatus> {
  return {
    documentId: document.id,
    customerNumber,
    invoiceNumber: document.invoiceNumber,
    version: document.version,
    source: document.source,
    status: document.status,
    ...(document.failureReason ? { failureReason: document.failureReason } : {}),
    visibility: document.visibility,
    ...(document.supersededBy ? { supersededBy: document.supersededBy } : {}),
    ...(document.withdrawal ? { withdrawal: document.withdrawal } : {}),
    ...(document.contentSha256 ? { contentSha256: document.contentSha256 } : {}),
    ...(document.sizeBytes !== undefined ? { sizeBytes: document.sizeBytes } : {}),
    ...(document.pageCount !== undefined ? { pageCount: document.pageCount } : {}),
    ...(document.lineCount !== undefined ? { lineCount: document.lineCount } : {}),
    receivedAt: document.receivedAt,
    ...(document.sentAt ? { sentAt: document.sentAt } : {}),
    statusUrl: statusPath(document.id),
  };
}

const statusPath = (documentId: string) => `${INGEST_BASE_PATH}/documents/${documentId}`;

/** Every ingest operation, for the OpenAPI document (functions/http/ingest/openapi-document.ts). */
export const INGEST_ROUTE_DEFINITIONS = [
  upsertCustomersRoute,
  submitInvoiceBasisRoute,
  registerPdfRoute,
  completePdfRoute,
  statusRoute,
  withdrawRoute,
] as const;

/** The ingest routes, relative to {@link INGEST_BASE_PATH}. Authentication and body handling sit in front of them. */
export function ingestRoutes(deps: IngestAppDeps) {
  const useCaseDeps = (scope: IngestEnv['Variables']['scope']) => ({ scope, clock: deps.clock, ids: deps.ids });
  return new OpenAPIHono<IngestEnv>({
    defaultHook: (result) => (result.success ? undefined : throwValidationError(result.error.issues, 'request')),
  })
    .openapi(upsertCustomersRoute, async (c) => {
      const { customers } = c.req.valid('json');
      const results = await upsertCustomers(
        useCaseDeps(c.var.scope),
        actorOf(c.var.ingestPrincipal),
        customers.map((customer) => ({
          customerNumber: customer.customerNumber,
          name: customer.name,
          orgNumber: normalisedOrganisationNumber(customer.organisationNumber),
          addressLines: customer.addressLines,
          reference: customer.invoiceReference,
        })),
      );
      return c.json({ results }, 200);
    })
    .openapi(submitInvoiceBasisRoute, async (c) => {
      const body = c.req.valid('json');
      const { document } = await receiveInvoiceBasis(
        { ...useCaseDeps(c.var.scope), queue: deps.queue },
        actorOf(c.var.ingestPrincipal),
        {
          ...body,
          lines: body.lines.map(
            (line): InvoiceLine => ({ ...line, unitPrice: toMinor(line.unitPrice), amount: toMinor(line.amount) }),
          ),
          totals: totalsInMinor(body.totals),
        },
      );
      c.header('Location', statusPath(document.id));
      return c.json(statusBody(document, body.customerNumber), 202);
    })
    .openapi(registerPdfRoute, async (c) => {
      const body = c.req.valid('json');
      const registered = await registerPdfUpload(useCaseDeps(c.var.scope), actorOf(c.var.ingestPrincipal), {
        ...body,
        totals: totalsInMinor(body.totals),
      });
      c.header('Location', statusPath(registered.document.id));
      // The answer holds a 15-minute upload URL: a retry must get a fresh one (the natural key gives it), not a replay.
      c.set('replayable', false);
      return c.json(
        {
          ...statusBody(registered.document, body.customerNumber),
          ...(registered.upload ? { upload: registered.upload } : {}),
          completeUrl: `${statusPath(registered.document.id)}/upload-complete`,
        },
        201,
      );
    })
    .openapi(completePdfRoute, async (c) => {
      const { documentId } = c.req.valid('param');
      await completePdfUpload(
        { ...useCaseDeps(c.var.scope), inspector: deps.inspector },
        actorOf(c.var.ingestPrincipal),
        documentId,
      );
      const status = await getIngestStatus(c.var.scope, documentId);
      return c.json(statusBody(status.document, status.customerNumber), 200);
    })
    .openapi(statusRoute, async (c) => {
      const status = await getIngestStatus(c.var.scope, c.req.valid('param').documentId);
      return c.json(statusBody(status.document, status.customerNumber), 200);
    })
    .openapi(withdrawRoute, async (c) => {
      const { documentId } = c.req.valid('param');
      await withdrawDocument(useCaseDeps(c.var.scope), actorOf(c.var.ingestPrincipal), {
        documentId,
        reason: c.req.valid('json').reason,
      });
      const status = await getIngestStatus(c.var.scope, documentId);
      return c.json(statusBody(status.document, status.customerNumber), 200);
    });
}
