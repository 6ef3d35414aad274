/**
 * Every S3 object key of the portal is built here and nowhere else. All tenant data lives under
 * `tenants/<tenantId>/`, so that tenant-scoped IAM credentials (`tenants/${aws:PrincipalTag/tenant}/*`, the tenant
 * role of lib/stacks/api-stack.ts) confine each request to its clinic (docs/data-model.md, "Tenant isolation").
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
  /**
   * A temporary "download many" ZIP. Tagged {@link TEMPORARY_OBJECT_TAG} when written: S3 lifecycle filters match
   * only a literal key prefix, and this one has the tenant in front, so the 1-day expiry matches the tag instead.
   */
  archive: (tenantId: string, customerId: string, archiveId: string) =>
    `tenants/${id('tenant id', tenantId)}/archives/${id('customer id', customerId)}/${id('archive id', archiveId)}.zip`,
  /** The canonical JSON of a received invoice basis, read by the render worker. */
  ingestPayload: (tenantId: string, documentId: string) =>
    `${ingestPrefix(tenantId)}${id('document id', documentId)}.json`,
  /** A ready-made PDF the practice system uploaded through a presigned URL, before it is checked and published. */
  ingestUpload: (tenantId: string, documentId: string) =>
    `${ingestPrefix(tenantId)}${id('document id', documentId)}.pdf`,
  /**
   * The clinic's logo, named by the SHA-256 of its bytes: a new logo is a new object, so the tenant record can switch
   * to it in one write and never names an object that is half replaced.
   */
  brandingLogo: (tenantId: string, sha256: string) =>
    `tenants/${id('tenant id', tenantId)}/branding/logo-${sha256Hex(sha256)}`,
  /** Where the clinic's audit anchors are listed, in the audit anchor bucket. */
  auditAnchorPrefix: (tenantId: string) => `tenants/${id('tenant id', tenantId)}/audit-anchors/`,
  /**
   * An audit anchor, named by its chain index (zero-padded, so a listing is in index order) and hash: a listing alone
   * gives every anchor, without reading one object.
   */
  auditAnchor: (tenantId: string, index: number, hash: string) =>
    `${objectKeys.auditAnchorPrefix(tenantId)}${chainIndex(index)}-${sha256Hex(hash)}.json`,
} as const;

/** Twelve digits: a trillion events, far beyond any clinic. */
const CHAIN_INDEX_DIGITS = 12;

function chainIndex(index: number): string {
  if (!Number.isSafeInteger(index) || index < 1 || String(index).length > CHAIN_INDEX_DIGITS) {
    throw new Error('Invalid chain index for an object key: expected a positive integer.');
  }
  return String(index).padStart(CHAIN_INDEX_DIGITS, '0');
}

/** The index and hash an audit anchor's key names, or undefined if the key is not one. */
export function parseAuditAnchorKey(key: string): { readonly index: number; readonly hash: string } | undefined {
  const match = /\/audit-anchors\/(\d{12})-([0-9a-f]{64})\.json$/u.exec(key);
  if (!match?.[1] || !match[2]) return undefined;
  return { index: Number(match[1]), hash: match[2] };
}

function sha256Hex(value: string): string {
  if (!/^[0-9a-f]{64}$/u.test(value)) throw new Error('Invalid SHA-256 for an object key: expected 64 hex digits.');
  return value;
}

/** What the practice system handed in stays apart from the published PDFs, which contacts may download. */
function ingestPrefix(tenantId: string): string {
  return `tenants/${id('tenant id', tenantId)}/ingest/`;
}

/**
 * The object tag that marks a temporary object for the bucket's 1-day expiry rule (lib/stacks/data-stack.ts repeats
 * it, and test/infra checks that the two agree).
 */
export const TEMPORARY_OBJECT_TAG = { key: 'portal-retention', value: 'temporary' } as const;
