import { parseArgs } from 'node:util';
import { systemClock } from '../adapters/system/system-clock-and-ids';
import { anchorAuditTrail, verifyAuditTrail } from '../use-cases/audit-trail';
import { type OperatorCommandOptions, runAsCommand, UsageError } from './command-line';
import { operatorData, tenantScope } from './operator-scope';

const USAGE = `A clinic's audit trail.

  npm run audit:verify -- --tenant <clinic host or id> [--no-seal]

Chains the events not yet in the clinic's hash chain and anchors its head (unless --no-seal), as the audit sealer
does every 5 minutes; then recomputes every link from the events as stored and checks that the chain passes through
every anchor and ends where its head says. Exits 0 when the whole trail fits, 1 when it was tampered with, naming
the first event that does not fit.
Acts on the running local portal, or on AWS when TABLE_NAME, AWS_REGION, DOCUMENTS_BUCKET, AUDIT_ANCHOR_BUCKET and SILO_CLINICS
are set.`;

/** The `npm run audit:verify` command; returns the process exit code. */
export async function runAuditCli(argv: readonly string[], options: OperatorCommandOptions = {}): Promise<number> {
  const print = options.print ?? console.log;
  const { values } = parseArgs({
    args: [...argv],
    options: {
      tenant: { type: 'string' },
      'no-seal': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    print(USAGE);
    return 0;
  }
  if (!values.tenant) throw new UsageError('audit:verify needs --tenant.');
  const scope = await tenantScope(options.data ?? operatorData(), values.tenant);
  const sealed = values['no-seal'] ? 0 : (await anchorAuditTrail(scope, systemClock)).chained;
  const result = await verifyAuditTrail(scope);
  if (sealed > 0) print(`Chained ${sealed} new event(s).`);
  if (result.broken) {
    print(
      `BROKEN at event ${result.broken.index}${result.broken.eventId ? ` (id ${result.broken.eventId})` : ''}: ${result.broken.reason}. ` +
        `${result.verified} event(s) before it fit; the head says ${result.head.index}.`,
    );
    return 1;
  }
  print(`The audit trail is intact: ${result.verified} event(s) verified, ending in ${result.head.hash}.`);
  print(
    result.anchored
      ? `Events 1 to ${result.anchored.index} pass through their anchors in the audit anchor bucket.`
      : 'No anchor yet: the audit sealer anchors the chain every 5 minutes.',
  );
  return 0;
}

runAsCommand(import.meta.url, USAGE, runAuditCli);
