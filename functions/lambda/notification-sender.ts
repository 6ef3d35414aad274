import { randomIds, systemClock } from '../adapters/system/system-clock-and-ids';
import { awsDataAdapters, awsMailer } from '../runtime/aws';
import { lambdaLogger, withInvocationLogging } from '../runtime/lambda-logging';
import { sendPublicationNoticesForAllClinics } from '../use-cases/send-publication-notices';

const { scopeFor, directory } = awsDataAdapters();
const mailer = awsMailer();
const log = lambdaLogger('notification-sender');

/**
 * The notification sender, run every minute by an EventBridge schedule (lib/stacks/api-stack.ts): one pass over every
 * clinic's outbox (functions/use-cases/send-publication-notices.ts). It logs ids and counts only, never an address or
 * a name. A clinic that failed does not stop the others; the run then fails as a whole, so the function's error
 * metric and alarm see it, and the next run carries on from what was recorded (every step is idempotent).
 */
export const handler = withInvocationLogging(sendNotices);

async function sendNotices(): Promise<{ readonly clinics: number; readonly failed: number }> {
  const results = await sendPublicationNoticesForAllClinics({
    scopeFor,
    directory,
    mailer,
    clock: systemClock,
    ids: randomIds,
  });
  const failures = results.filter((result) => result.error !== undefined);
  for (const { tenantId, summary, error } of results) {
    if (error !== undefined) {
      // The error's name only: an SDK message can quote a request's contents (an address).
      log.error('Notification run failed', { tenantId, errorName: errorName(error) });
    } else if (summary && Object.values(summary).some((count) => count !== 0)) {
      log.info('Notification run', { tenantId, ...summary });
    }
  }
  if (failures.length > 0) {
    throw new Error(`The notification run failed for ${failures.length} of ${results.length} clinics.`);
  }
  return { clinics: results.length, failed: 0 };
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'unknown error';
}
