import type { LogFields, Logger } from '../domain/logging';
import type { ClinicRunResult } from '../use-cases/for-each-clinic';

/** A summary whose every field may go on a log line (an interface has no index signature, so not LogFields itself). */
type LoggableSummary<Summary> = { readonly [Field in keyof Summary]: LogFields[string] };

/**
 * How a scheduled function reports a round over every clinic (functions/use-cases/for-each-clinic.ts): a line per
 * clinic that did something or failed (ids and counts only: the error's name, never its message, which an SDK may
 * fill with a request's contents), then a failed round throws, so that the function's error metric and its alarm
 * see it. The next round carries on from what was recorded: every step of these jobs is idempotent.
 */
export function reportClinicRound<Summary extends LoggableSummary<Summary>>(
  log: Logger,
  job: string,
  results: readonly ClinicRunResult<Summary>[],
): { readonly clinics: number; readonly failed: 0 } {
  const failures = results.filter((result) => result.error !== undefined);
  for (const { tenantId, summary, error } of results) {
    if (error !== undefined) {
      log.error(`${job} failed`, { tenantId, errorName: error instanceof Error ? error.name : typeof error });
    } else if (summary && Object.values(summary).some((value) => value !== 0 && value !== undefined)) {
      log.info(job, { tenantId, ...summary });
    }
  }
  if (failures.length > 0) {
    throw new Error(`${job} failed for ${failures.length} of ${results.length} clinics.`);
  }
  return { clinics: results.length, failed: 0 };
}
