import { systemClock } from '../adapters/system/system-clock-and-ids';
import { awsDataAdapters } from '../runtime/aws';
import { reportClinicRound } from '../runtime/clinic-round';
import { lambdaLogger, withInvocationLogging } from '../runtime/lambda-logging';
import { anchorAllAuditTrails } from '../use-cases/audit-trail';

const { scopeFor, directory } = awsDataAdapters();
const log = lambdaLogger('audit-sealer');

/**
 * The audit sealer, run every 5 minutes by an EventBridge schedule (lib/stacks/api-stack.ts): chains every clinic's new
 * audit events and anchors its chain head in the Object Lock bucket (functions/use-cases/audit-trail.ts), so that no
 * event older than one round can be rewritten unnoticed, even by someone able to write the table.
 */
export const handler = withInvocationLogging(async () =>
  reportClinicRound(log, 'Audit seal', await anchorAllAuditTrails({ scopeFor, directory, clock: systemClock })),
);
