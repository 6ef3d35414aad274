// For its side effect: it gives zod's schemas the `.openapi()` used below.
import '@hono/zod-openapi';
// zod's namespace, not the `z` that @hono/zod-openapi re-exports: a bundle then holds only the parts of zod in use,
// where the `z` value would bring all of zod along, its ~50 locales included (~350 KB; patches/@hono+zod-openapi+*).
import * as z from 'zod';
import { DOCUMENT_TYPES, SWEDISH_VAT_RATES } from '../../domain/invoice-basis';
import { checkOrganisationNumber } from '../../domain/organisation-number';

/*
 * The ingest API's request and response schemas: the single source of truth. They validate every request (400
 * naming the field path) AND generate the OpenAPI 3.1 document (GET /ingest/v1/openapi.json, docs/ingest-api.md).
 * Examples use Swedish business terms, as the practice systems do.
 *
 * Amounts are JSON numbers in kronor with at most two decimals (1234.5 = 1 234,50 kr); the handlers turn them into
 * öre, and nothing in the domain ever computes with fractions of a krona.
 */

/** C0/C1 control characters break PDFs and logs; tabs and new lines have no place in these single-line fields. */
const NO_CONTROL_CHARACTERS = /^[^\p{Cc}]*$/u;

/*
 * Patterns are restated with `.openapi({ pattern })` because the OpenAPI generator writes a RegExp's `toString()`
 * minus its slashes, which keeps the flags: `^…$/u`, a pattern nothing matches. `source` is the pattern proper.
 */
const text = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(NO_CONTROL_CHARACTERS, { error: 'must not contain control characters' })
    .openapi({ pattern: NO_CONTROL_CHARACTERS.source });

const isoDate = z.iso.date({ error: 'must be a real calendar date written YYYY-MM-DD' });
/** An instant in the responses, e.g. `2024-01-15T16:02:11.482Z`. */
const instant = (description: string) => z.string().openapi({ description, format: 'date-time' });

/** Identifiers end up in database keys and file names: a conservative alphabet, no spaces, no '#'. */
const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/u;

const identifier = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(IDENTIFIER, {
      error: 'may contain only letters A–Z, digits and . _ / - (starting with a letter or digit)',
    })
    .openapi({ pattern: IDENTIFIER.source });

const MAX_KRONOR = 1_000_000_000;
const hasAtMostTwoDecimals = (value: number) => Math.abs(value * 100 - Math.round(value * 100)) < 1e-6;

const kronor = (description: string) =>
  z
    .number()
    .min(-MAX_KRONOR)
    .max(MAX_KRONOR)
    .refine(hasAtMostTwoDecimals, { error: 'must have at most two decimals (öre)' })
    .openapi({ description: `${description}, in kronor (at most two decimals).` });

const organisationNumber = z
  .string()
  .superRefine((value, context) => {
    const check = checkOrganisationNumber(value);
    if (!check.valid)
      context.addIssue({ code: 'custom', message: `is not a Swedish organisation number: ${check.reason}` });
  })
  .openapi({
    description: 'Swedish organisation number (NNNNNN-NNNN, Luhn-checked); sole traders use their personal number.',
    example: '556734-8122',
  });

export const CustomerNumber = identifier(32).openapi({
  description: "The customer's number in the practice system (kundnummer); unique within the clinic.",
  example: '10042',
});

export const Customer = z
  .object({
    customerNumber: CustomerNumber,
    name: text(200).openapi({
      description: 'The company name, as printed on its documents and shown to its contacts.',
      example: 'Åkerströms Måleri AB',
    }),
    organisationNumber,
    addressLines: z
      .array(text(100))
      .max(4)
      .default([])
      .openapi({
        description: 'Postal address, up to four lines, printed in the address field of rendered documents.',
        example: ['Verkstadsgatan 3', '904 22 Umeå'],
      }),
    invoiceReference: text(100)
      .optional()
      .openapi({ description: "The customer's own reference (Er referens).", example: 'Lena Sandberg' }),
  })
  .openapi('Customer', {
    description: 'A customer company of the clinic. Which of its contacts may log in is decided in the portal.',
  });

const MAX_CUSTOMERS_PER_REQUEST = 1000;

export const UpsertCustomersRequest = z
  .object({
    customers: z
      .array(Customer)
      .min(1)
      .max(MAX_CUSTOMERS_PER_REQUEST)
      .superRefine((customers, context) => {
        const seen = new Map<string, number>();
        customers.forEach((customer, index) => {
          const first = seen.get(customer.customerNumber);
          if (first !== undefined) {
            context.addIssue({
              code: 'custom',
              path: [index, 'customerNumber'],
              message: `repeats customer number ${customer.customerNumber} of customers.${first}`,
            });
          } else seen.set(customer.customerNumber, index);
        });
      })
      .openapi({ description: 'Up to 1,000 customers, each customer number at most once.' }),
  })
  .openapi('UpsertCustomersRequest', {
    description: 'Customers to create or update, matched by customer number.',
    example: {
      customers: [
        {
          customerNumber: '10042',
          name: 'Åkerströms Måleri AB',
          organisationNumber: '556734-8122',
          addressLines: ['Verkstadsgatan 3', '904 22 Umeå'],
          invoiceReference: 'Lena Sandberg',
        },
        {
          customerNumber: '10057',
          name: 'Norrlandsbygg i Skellefteå AB',
          organisationNumber: '559123-4561',
          addressLines: ['Box 118', '931 22 Skellefteå'],
        },
      ],
    },
  });

export const UpsertCustomersResponse = z
  .object({
    results: z
      .array(
        z.object({
          customerNumber: CustomerNumber,
          customerId: z.uuid().openapi({ description: "The portal's id of the customer." }),
          outcome: z
            .enum(['created', 'updated', 'unchanged'])
            .openapi({ description: '`unchanged` when the customer was already stored exactly so.' }),
        }),
      )
      .openapi({ description: 'One result per customer, in request order.' }),
  })
  .openapi('UpsertCustomersResponse', {
    example: {
      results: [
        { customerNumber: '10042', customerId: '5f0e8a4c-2b7d-4c1e-9a3f-6d8b1e2c4a70', outcome: 'created' },
        { customerNumber: '10057', customerId: 'c3a1d9e2-7f64-4b0a-8e15-2d9c7b6a5f31', outcome: 'unchanged' },
      ],
    },
  });

export const InvoiceLine = z
  .object({
    date: isoDate.openapi({ description: 'Datum: the day the service was performed.', example: '2024-01-08' }),
    employee: text(100).optional().openapi({ description: 'Employee name or id.', example: 'Anna Öberg' }),
    costCentre: text(40).optional().openapi({ description: 'Kostnadsställe.', example: 'KS 410 Produktion' }),
    serviceCode: text(20).openapi({
      description: "Tjänstekod: the service's code in the practice system.",
      example: 'HU01',
    }),
    serviceText: text(200).openapi({ description: 'Tjänst: the service as printed.', example: 'Hälsoundersökning' }),
    performer: text(100)
      .optional()
      .openapi({ description: 'Utförare: who performed the service.', example: 'Karin Ek, företagssköterska' }),
    quantity: z
      .number()
      .min(-100_000)
      .max(100_000)
      .refine(hasAtMostTwoDecimals, { error: 'must have at most two decimals' })
      .openapi({ description: 'Antal (hours, visits…); negative on credit lines.', example: 1 }),
    unitPrice: kronor('À-pris').openapi({ example: 1950 }),
    vatRate: z
      .number()
      .openapi({ description: `VAT rate in percent: one of ${SWEDISH_VAT_RATES.join(', ')}.`, example: 0 }),
    amount: kronor('Belopp: quantity × unit price, excluding VAT').openapi({ example: 1950 }),
  })
  .openapi('InvoiceLine', {
    description:
      'One billed service. Lines are printed grouped by cost centre, then by employee, in the order they are sent.',
  });

export const Totals = z
  .object({
    net: kronor('Sum of the line amounts, excluding VAT').openapi({ example: 4725 }),
    vat: kronor('VAT, computed per rate on the summed lines').openapi({ example: 468.75 }),
    total: kronor('net + VAT').openapi({ example: 5193.75 }),
  })
  .openapi('Totals', {
    description:
      'The totals as the practice system computed them. Checked: total = net + VAT, and for structured data net and VAT against the lines; a difference gives 422 naming it.',
  });

/** Header fields common to structured invoice bases and ready-made PDFs. */
const documentHeader = {
  customerNumber: CustomerNumber,
  invoiceNumber: identifier(40).openapi({
    description: 'Fakturanummer; unique per customer. Also part of the PDF file name the contacts download.',
    example: '2024-0102',
  }),
  version: z
    .number()
    .int()
    .min(1)
    .max(9999)
    .default(1)
    .openapi({ description: 'Version of this invoice number; a correction sends the next version.', example: 1 }),
  documentType: z.enum(DOCUMENT_TYPES).default('fakturaunderlag').openapi({
    description: 'The title of the document: `kreditunderlag` for a credit (negative quantities or amounts).',
    example: 'fakturaunderlag',
  }),
  invoiceDate: isoDate.openapi({ description: 'Fakturadatum.', example: '2024-01-15' }),
  periodFrom: isoDate.openapi({ description: 'First day of the period billed.', example: '2024-01-01' }),
  periodTo: isoDate.openapi({
    description: 'Last day of the period billed (inclusive; not before periodFrom).',
    example: '2024-01-15',
  }),
  description: text(200).openapi({
    description: "Heading of the document, shown in the contacts' document list.",
    example: 'Företagshälsovård 1–15 januari 2024',
  }),
  currency: z.literal('SEK').default('SEK').openapi({ description: 'Always SEK.' }),
};

const MAX_LINES_PER_DOCUMENT = 50_000;

export const InvoiceBasisRequest = z
  .object({
    ...documentHeader,
    clinicReferences: z
      .object({
        ourReference: text(100).optional().openapi({ description: 'Vår referens.', example: 'Karin Ek' }),
        agreement: text(100).optional().openapi({ description: 'Avtal.', example: 'Ramavtal 2024' }),
      })
      .optional()
      .openapi({ description: "The clinic's references, printed in the document header." }),
    lines: z
      .array(InvoiceLine)
      .max(MAX_LINES_PER_DOCUMENT)
      .openapi({ description: 'The billed services (fakturarader), up to 50,000.' }),
    totals: Totals,
  })
  .openapi('InvoiceBasisRequest', {
    description: 'An invoice basis as structured data; the portal renders the PDF.',
    example: {
      customerNumber: '10042',
      invoiceNumber: '2024-0102',
      version: 1,
      documentType: 'fakturaunderlag',
      invoiceDate: '2024-01-15',
      periodFrom: '2024-01-01',
      periodTo: '2024-01-15',
      description: 'Företagshälsovård 1–15 januari 2024',
      currency: 'SEK',
      clinicReferences: { ourReference: 'Karin Ek', agreement: 'Ramavtal 2024' },
      lines: [
        {
          date: '2024-01-08',
          employee: 'Anna Öberg',
          costCentre: 'KS 410 Produktion',
          serviceCode: 'HU01',
          serviceText: 'Hälsoundersökning',
          performer: 'Karin Ek, företagssköterska',
          quantity: 1,
          unitPrice: 1950,
          vatRate: 0,
          amount: 1950,
        },
        {
          date: '2024-01-10',
          employee: 'Johan Lindqvist',
          costCentre: 'KS 410 Produktion',
          serviceCode: 'LB02',
          serviceText: 'Läkarbesök, uppföljning',
          performer: 'Per Nordin, företagsläkare',
          quantity: 1,
          unitPrice: 900,
          vatRate: 0,
          amount: 900,
        },
        {
          date: '2024-01-12',
          costCentre: 'KS 100 Administration',
          serviceCode: 'EB01',
          serviceText: 'Ergonomisk arbetsplatsbedömning',
          performer: 'Sofia Håkansson, ergonom',
          quantity: 1.5,
          unitPrice: 1250,
          vatRate: 25,
          amount: 1875,
        },
      ],
      // Net 1950 + 900 (0 %) + 1875 (25 %) = 4725; VAT 25 % of 1875 = 468.75; total 5193.75.
      totals: { net: 4725, vat: 468.75, total: 5193.75 },
    },
  });

const SHA256_HEX = /^[0-9a-f]{64}$/u;
const PDF_SHA256_EXAMPLE = '9f2c5a0e6b1d4f8e3a7c2b9d0e5f1a6c8b3d7e2f4a9c0b5d1e6f3a8c2b7d4e9f';

export const PdfDocumentRequest = z
  .object({
    ...documentHeader,
    totals: Totals,
    pdf: z
      .object({
        sizeBytes: z
          .number()
          .int()
          .min(1)
          .openapi({ description: 'Exact size of the PDF in bytes (at most 20 MB).', example: 183_204 }),
        sha256: z.string().regex(SHA256_HEX, { error: 'must be 64 lowercase hex digits' }).openapi({
          description: 'SHA-256 of the PDF, lowercase hex (`sha256sum`).',
          pattern: SHA256_HEX.source,
          example: PDF_SHA256_EXAMPLE,
        }),
      })
      .openapi({ description: 'The PDF that will be uploaded; the upload must match both exactly.' }),
  })
  .openapi('PdfDocumentRequest', {
    description: 'The metadata of a ready-made PDF (the practice system rendered it).',
    example: {
      customerNumber: '10042',
      invoiceNumber: '2024-0103',
      version: 1,
      documentType: 'fakturaunderlag',
      invoiceDate: '2024-01-31',
      periodFrom: '2024-01-16',
      periodTo: '2024-01-31',
      description: 'Företagshälsovård 16–31 januari 2024',
      currency: 'SEK',
      totals: { net: 3450, vat: 312.5, total: 3762.5 },
      pdf: { sizeBytes: 183_204, sha256: PDF_SHA256_EXAMPLE },
    },
  });

export const WithdrawalRequest = z
  .object({
    reason: text(500).openapi({
      description: 'Why the document is withdrawn; kept with the document and in the audit trail.',
      example: 'Felaktig kund; ersätts av faktura 2024-0117.',
    }),
  })
  .openapi('WithdrawalRequest', { example: { reason: 'Felaktig kund; ersätts av faktura 2024-0117.' } });

export const DocumentIdParam = z.object({
  documentId: z.uuid().openapi({
    param: { name: 'documentId', in: 'path' },
    description: 'The `documentId` returned when the document was sent (also the last part of its `statusUrl`).',
    example: '0b5c6e1e-3f5a-4c55-9d0e-2f1f7c2b9a10',
  }),
});

/** The example document once ready and published; the routes derive the other steps' examples from it. */
export const STATUS_EXAMPLE = {
  documentId: '0b5c6e1e-3f5a-4c55-9d0e-2f1f7c2b9a10',
  customerNumber: '10042',
  invoiceNumber: '2024-0102',
  version: 1,
  source: 'rendered',
  status: 'ready',
  visibility: 'published',
  contentSha256: '4e1a7c9b2d5f8e0a3c6b9d2e5f8a1b4c7d0e3f6a9b2c5d8e1f4a7b0c3d6e9f2a',
  sizeBytes: 48_213,
  pageCount: 1,
  lineCount: 3,
  receivedAt: '2024-01-15T16:02:11.482Z',
  sentAt: '2024-01-15T16:02:14.907Z',
  statusUrl: '/ingest/v1/documents/0b5c6e1e-3f5a-4c55-9d0e-2f1f7c2b9a10',
} as const;

export const IngestDocumentStatus = z
  .object({
    documentId: z.uuid().openapi({ description: "The portal's id of this document (this version)." }),
    customerNumber: CustomerNumber,
    invoiceNumber: z.string().openapi({ description: 'Fakturanummer, as sent.' }),
    version: z.number().int().openapi({ description: 'Version of the invoice number, as sent.' }),
    source: z
      .enum(['rendered', 'uploaded'])
      .openapi({ description: '`rendered` from structured data by the portal, or `uploaded` as a ready-made PDF.' }),
    status: z.enum(['awaiting_upload', 'received', 'rendering', 'ready', 'failed']).openapi({
      description:
        'Structured data: `received` → `rendering` → `ready`, or `failed`. A ready-made PDF: `awaiting_upload` → `ready`. Visible to contacts only when ready and published.',
    }),
    failureReason: z
      .string()
      .optional()
      .openapi({ description: 'Why rendering or the upload check failed (status `failed`), in actionable words.' }),
    visibility: z.enum(['published', 'held', 'hidden', 'withdrawn', 'superseded']).openapi({
      description:
        "`published` (shown once ready), `held` (awaits the clinic's approval), `hidden` (taken down by the clinic), `withdrawn` (by the practice system), `superseded` (a newer version replaced it).",
    }),
    supersededBy: z
      .uuid()
      .optional()
      .openapi({ description: 'The document id of the version that replaced this one.' }),
    withdrawal: z
      .object({ at: instant('When it was withdrawn.'), reason: z.string().openapi({ description: 'As sent.' }) })
      .optional()
      .openapi({ description: 'Present once the document is withdrawn.' }),
    contentSha256: z.string().optional().openapi({ description: 'SHA-256 of the published PDF.' }),
    sizeBytes: z.number().int().optional().openapi({ description: 'Size of the published PDF in bytes.' }),
    pageCount: z.number().int().optional().openapi({ description: 'Pages of the published PDF.' }),
    lineCount: z.number().int().optional().openapi({ description: 'Lines received (structured data only).' }),
    receivedAt: instant('When the portal received the document.'),
    sentAt: instant('When it became available to the customer; absent until then.').optional(),
    statusUrl: z.string().openapi({ description: 'Where to poll the status (also the `Location` header).' }),
  })
  .openapi('IngestDocumentStatus', {
    description: 'The state of one sent document (one version of an invoice number).',
    example: STATUS_EXAMPLE,
  });

export const PdfUploadResponse = IngestDocumentStatus.extend({
  upload: z
    .object({
      url: z.url().openapi({ description: 'Presigned URL; valid until `expiresAt` (15 minutes).' }),
      method: z.literal('PUT').openapi({ description: 'The HTTP method of the upload.' }),
      headers: z
        .record(z.string(), z.string())
        .openapi({ description: 'Send exactly these headers with the PUT (they are part of the signature).' }),
      expiresAt: instant('When the URL expires; send the same metadata again for a new one.'),
    })
    .optional()
    .openapi({ description: 'Where to PUT the PDF (present while the document awaits its upload).' }),
  completeUrl: z.string().openapi({ description: 'POST here once the PUT has succeeded.' }),
}).openapi('PdfUploadResponse', {
  description: 'The registered document, with where to upload its PDF.',
  example: {
    documentId: '7c4e2a91-5b3d-4f6e-a8c0-1d2e3f4a5b6c',
    customerNumber: '10042',
    invoiceNumber: '2024-0103',
    version: 1,
    source: 'uploaded',
    status: 'awaiting_upload',
    visibility: 'published',
    receivedAt: '2024-01-31T15:40:03.118Z',
    statusUrl: '/ingest/v1/documents/7c4e2a91-5b3d-4f6e-a8c0-1d2e3f4a5b6c',
    upload: {
      url: 'https://foretagsportal-documents.s3.eu-north-1.amazonaws.com/tenants/…/ingest/7c4e2a91-5b3d-4f6e-a8c0-1d2e3f4a5b6c.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=900&X-Amz-Signature=…',
      method: 'PUT',
      headers: { 'Content-Type': 'application/pdf', 'Content-Length': '183204' },
      expiresAt: '2024-01-31T15:55:03.118Z',
    },
    completeUrl: '/ingest/v1/documents/7c4e2a91-5b3d-4f6e-a8c0-1d2e3f4a5b6c/upload-complete',
  },
});

export const ErrorResponse = z
  .object({
    error: z
      .object({
        code: z.string().openapi({
          description: 'Stable and machine-readable; branch on this.',
          example: 'invoice_basis_inconsistent',
        }),
        message: z.string().openapi({ description: 'For people (English); may change.' }),
        details: z
          .record(z.string(), z.unknown())
          .optional()
          .openapi({ description: 'What exactly is wrong: `fields` (400), `problems` (422), ids (409).' }),
      })
      .openapi({ description: 'What went wrong.' }),
  })
  .openapi('Error', {
    description: 'Every error has this shape.',
    example: {
      error: {
        code: 'unknown_customer',
        message: 'There is no customer with customer number 10042.',
        details: { field: 'customerNumber', hint: 'Send the customer with PUT /ingest/v1/customers first.' },
      },
    },
  });
