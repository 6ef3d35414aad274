import { randomIds, systemClock } from '../adapters/system/system-clock-and-ids';
import { awsMailer } from '../runtime/aws-mail';
import { awsTableDataAdapters } from '../runtime/aws-tables';
import { reportClinicRound } from '../runtime/clinic-round';
import { lambdaLogger, withInvocationLogging } from '../runtime/lambda-logging';
import { sendPublicationNoticesForAllClinics } from '../use-cases/send-publication-notices';

// The table alone: a notice names documents but never reads their files, so this function bundles no S3 client.
const { scopeFor, directory } = awsTableDataAdapters();
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
