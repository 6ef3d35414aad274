import type { TenantDirectory } from '../domain/ports';

/** How one clinic's part of a round went: its summary, or the error it failed with. */
export interface ClinicRunResult<Summary> {
  readonly tenantId: string;
  readonly summary?: Summary;
  readonly error?: unknown;
}

/**
 * One round of a platform job over every clinic (the notification sender, the audit sealer: a schedule in AWS, a
 * timer locally). One clinic's failure keeps no other waiting: each runs on its own, one after another, and failures
 * are returned with the rest for the caller to report.
 */
export async function forEachClinic<Summary>(
  directory: Pick<TenantDirectory, 'listTenants'>,
  work: (tenantId: string) => Promise<Summary>,
): Promise<readonly ClinicRunResult<Summary>[]> {
  const results: ClinicRunResult<Summary>[] = [];
  for (const tenantId of await directory.listTenants()) {
    try {
      results.push({ tenantId, summary: await work(tenantId) });
    } catch (error) {
      results.push({ tenantId, error });
    }
  }
  return results;
}
