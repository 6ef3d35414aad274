import { randomIds, systemClock } from '../adapters/system/system-clock-and-ids';
import { awsDataAdapters, awsMailer } from '../runtime/aws';
import { reportClinicRound } from '../runtime/clinic-round';
import { lambdaLogger, withInvocationLogging } from '../runtime/lambda-logging';
import { sendPublicationNoticesForAllClinics } from '../use-cases/send-publication-notices';

const { scopeFor, directory } = awsDataAdapters();
const mailer = awsMailer();
const log = lambdaLogger('notification-sender');

/**
 * The notification sender, run every minute by an EventBridge schedule (lib/stacks/api-stack.ts): one pass over every
 * clinic's outbox (functions/use-cases/send-publication-notices.ts). It logs ids and counts only, never an address or
 * a name; a clinic that failed does not stop the others, and the run then fails as a whole (functions/runtime/clinic-round.ts).
 */
export const handler = withInvocationLogging(async () =>
  reportClinicRound(
    log,
    'Notification run',
    await sendPublicationNoticesForAllClinics({ scopeFor, directory, mailer, clock: systemClock, ids: randomIds }),
  ),
);
