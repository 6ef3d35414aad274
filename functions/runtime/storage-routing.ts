import { isUuid } from '../domain/ids';

/** The buckets tenant data lives in, each under `tenants/<tenantId>/`. */
export interface TenantBuckets {
  /** Documents, ingest payloads, archives and logos. */
  readonly documents: string;
  /** Write-once audit anchors (Object Lock in AWS). Shared by every clinic, silos included. */
  readonly auditAnchors: string;
}

/** Where one clinic's data lives: the pool's table and buckets, or its silo's. */
export interface TenantStorage {
  readonly tableName: string;
  readonly buckets: TenantBuckets;
}

/**
 * A clinic on dedicated resources (lib/stacks/silo-clinic-stack.ts): one entry of SILO_CLINICS, which the API stack
 * sets on every function when the stage has silos.
 */
export interface SiloClinic {
  readonly tenantId: string;
  /** What `npm run tenant -- create --slug` names it by: the command gives that clinic this id. */
  readonly slug: string;
  readonly tableName: string;
  readonly documentsBucket: string;
}

/**
 * The silos of a SILO_CLINICS value, a JSON list (`[]`: none). Required, and a malformed value fails the function at
 * cold start naming what is wrong: routing a silo clinic's data into the pool by mistake is what must never happen,
 * so a function (or an operator command) that does not know the stage's silos does not start.
 */
export function parseSiloClinics(value: string | undefined): readonly SiloClinic[] {
  if (value === undefined || value.trim() === '') {
    throw new Error(
      "SILO_CLINICS is not set: the stage's clinics on dedicated resources (the API stack's SiloClinics output; [] for none).",
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new Error('SILO_CLINICS is not JSON: expected a list of { tenantId, slug, tableName, documentsBucket }.');
  }
  if (!Array.isArray(parsed)) throw new Error('SILO_CLINICS must be a JSON list.');
  const seen = new Set<string>();
  return parsed.map((entry: unknown, index) => {
    const { tenantId, slug, tableName, documentsBucket } = (entry ?? {}) as Record<string, unknown>;
    if (typeof tenantId !== 'string' || !isUuid(tenantId)) {
      throw new Error(`SILO_CLINICS[${index}].tenantId must be a clinic id (a lowercase UUID).`);
    }
    if (seen.has(tenantId)) throw new Error(`SILO_CLINICS names clinic ${tenantId} twice.`);
    seen.add(tenantId);
    const text = (name: string, field: unknown): string => {
      if (typeof field !== 'string' || field === '') {
        throw new Error(`SILO_CLINICS[${index}].${name} must be a non-empty string.`);
      }
      return field;
    };
    return {
      tenantId,
      slug: text('slug', slug),
      tableName: text('tableName', tableName),
      documentsBucket: text('documentsBucket', documentsBucket),
    };
  });
}

/** Each clinic's table alone, for a function that uses no bucket (the notification sender). */
export function tableRouting(poolTableName: string, silos: readonly SiloClinic[]): (tenantId: string) => string {
  const byTenant = new Map(silos.map((silo) => [silo.tenantId, silo.tableName]));
  return (tenantId) => byTenant.get(tenantId) ?? poolTableName;
}

/**
 * Each clinic's storage: its silo's table and documents bucket if it has one, else the pool's. Audit anchors stay in
 * the pool's anchor bucket for every clinic: they guard a trail and hold none of its data.
 */
export function storageRouting(pool: TenantStorage, silos: readonly SiloClinic[]): (tenantId: string) => TenantStorage {
  const tableFor = tableRouting(pool.tableName, silos);
  const documentsBySilo = new Map(silos.map((silo) => [silo.tenantId, silo.documentsBucket]));
  return (tenantId) => ({
    tableName: tableFor(tenantId),
    buckets: { ...pool.buckets, documents: documentsBySilo.get(tenantId) ?? pool.buckets.documents },
  });
}
