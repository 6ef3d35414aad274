/**
 * Every S3 object key of the portal is built here and nowhere else. All tenant data lives under
 * `tenants/<tenantId>/`, so that tenant-scoped IAM credentials (`tenants/${aws:PrincipalTag/tenant}/*`, planned in
 * the infrastructure issue; today the API role may read `tenants/*`) can confine each request to its clinic.
 * Keys hold only random ids, never names or personal numbers.
 */
import { isUuid } from '../../domain/ids';

function id(name: string, value: string): string {
  if (!isUuid(value)) throw new Error(`Invalid ${name} for an object key: expected a UUID.`);
  return value;
}

export const objectKeys = {
  tenantPrefix: (tenantId: string) => `tenants/${id('tenant id', tenantId)}/`,
  documentPdf: (tenantId: string, customerId: string, documentId: string) =>
    `tenants/${id('tenant id', tenantId)}/customers/${id('customer id', customerId)}/documents/${id('document id', documentId)}.pdf`,
  /** The canonical JSON of a received invoice basis, read by the render worker. */
  ingestPayload: (tenantId: string, documentId: string) =>
    `${ingestPrefix(tenantId)}${id('document id', documentId)}.json`,
  /** A ready-made PDF the practice system uploaded through a presigned URL, before it is checked and published. */
  ingestUpload: (tenantId: string, documentId: string) =>
    `${ingestPrefix(tenantId)}${id('document id', documentId)}.pdf`,
} as const;

/** What the practice system handed in stays apart from the published PDFs, which contacts may download. */
function ingestPrefix(tenantId: string): string {
  return `tenants/${id('tenant id', tenantId)}/ingest/`;
}
