import { afterAll, describe, it } from 'vitest';
import type { Contact } from '../../functions/domain/identity';
import { NOTIFICATION_POLICY } from '../../functions/domain/notifications';
import type { Mailer, TenantScope } from '../../functions/domain/ports';
import { publishDocumentVersion } from '../../functions/use-cases/ingest/publish-document-version';
import { sendPublicationNotices } from '../../functions/use-cases/send-publication-notices';
import { readAuditEvents } from '../support/audit-events';
import {
  callLabel,
  type FaultMode,
  FaultPlan,
  InjectedFault,
  type PortCall,
  withFaults,
} from '../support/fault-injection';
import { TestClock } from '../support/test-clock';
import { type ClinicFixture, createClinic, createTestPortal, tinyPdf } from '../support/test-portal';

/**
 * Issue 6, "never duplicated": DynamoDB and the mail service fail at every step of a run of the notification sender.
 * A fault-free run records the sequence of port calls (and mails); then, for every call k of it and both failure
 * modes (`before`: nothing happened; `after`: it happened and the answer was lost), a fresh clinic runs the sender
 * with exactly call k failing, then the sender runs again and again — later, past every lease and backoff — until
 * nothing is left to do. Afterwards:
 *   1. no recipient got the mail twice;
 *   2. every recipient's delivery is final: `sent` with exactly one mail, or `unconfirmed` (the fault hid whether it
 *      went) with at most one;
 *   3. nothing is left pending or open, and every final delivery has its audit event.
 */

const portal = createTestPortal();
const RECIPIENTS = 2;
const DOCUMENTS = 2;

interface Run {
  readonly clinic: ClinicFixture;
  readonly recipients: readonly Contact[];
  /** The sender's own clock: each case moves it on its own. */
  readonly clock: TestClock;
}

async function newRun(): Promise<Run> {
  const clinic = await createClinic(portal);
  const tenant = await clinic.scope.tenant.get();
  if (!tenant) throw new Error('The test clinic has no tenant record.');
  const { id: _id, ...record } = tenant;
  await clinic.scope.tenant.put({ ...record, portalOrigin: `https://${clinic.host}` });
  const colleague = await clinic.addContact([clinic.customer]);
  for (let index = 0; index < DOCUMENTS; index += 1) {
    const { document } = await clinic.addDocument(clinic.customer, { status: 'received' });
    await publishDocumentVersion(
      { scope: clinic.scope, clock: portal.clock, ids: portal.deps.ids },
      { type: 'api-key', id: 'test' },
      document,
      { pdf: tinyPdf(), pageCount: 1 },
    );
  }
  const clock = new TestClock(portal.clock.now().getTime() + NOTIFICATION_POLICY.quietSeconds * 1000);
  return { clinic, recipients: [clinic.contact.contact, colleague.contact], clock };
}

const senderRun = (run: Run, scope: TenantScope, mailer: Mailer) =>
  sendPublicationNotices({ scope, clock: run.clock, ids: portal.deps.ids, mailer });

async function mailCounts(run: Run): Promise<number[]> {
  const mails = (await portal.mailSink.list()).filter((mail) => mail.kind === 'new-documents');
  return run.recipients.map((contact) => mails.filter((mail) => mail.to.address === contact.email).length);
}

/** Runs the sender fault-free, later each time, until a run finds nothing to do (at most a bounded number). */
async function runUntilQuiet(run: Run): Promise<void> {
  for (let attempt = 0; attempt < NOTIFICATION_POLICY.maxAttempts + 3; attempt += 1) {
    await senderRun(run, run.clinic.scope, portal.mailSink);
    const [pending, open] = await Promise.all([
      run.clinic.scope.notifications.pending(10),
      run.clinic.scope.notifications.openBatches(10),
    ]);
    if (pending.length === 0 && open.length === 0) return;
    run.clock.advance(NOTIFICATION_POLICY.sendingLeaseSeconds * 1000);
  }
  throw new Error('The sender never finished: something stays pending or open.');
}

/** What must hold after the retries, as a list of broken promises (empty when all hold). */
async function problems(run: Run): Promise<string[]> {
  const found: string[] = [];
  const { scope } = run.clinic;
  if ((await scope.notifications.pending(10)).length > 0) found.push('a notice is still pending');
  if ((await scope.notifications.openBatches(10)).length > 0) found.push('a batch is still open');
  const documents = (await scope.documents.listAll(run.clinic.customer.id, { limit: 10 })).items;
  const batchIds = new Set<string>();
  for (const document of documents) {
    const batches = await scope.notifications.batchesOfDocument(run.clinic.customer.id, document.id);
    if (batches.length !== 1) found.push(`document ${document.id} is in ${batches.length} batches`);
    for (const batch of batches) batchIds.add(batch.id);
  }
  const counts = await mailCounts(run);
  const audit = await readAuditEvents(run.clinic.tenantId, run.clock.now().toISOString().slice(0, 7));
  const deliveries = (await Promise.all([...batchIds].map((id) => scope.notifications.deliveries(id)))).flat();
  run.recipients.forEach((contact, index) => {
    const mails = counts[index] ?? 0;
    const own = deliveries.filter((delivery) => delivery.contactId === contact.id);
    if (mails > 1) found.push(`recipient ${index + 1} got ${mails} mails`);
    if (own.length !== 1) {
      found.push(`recipient ${index + 1} has ${own.length} deliveries`);
      return;
    }
    const [delivery] = own;
    if (!delivery) return;
    if (delivery.state === 'sent' && mails !== 1) found.push(`recipient ${index + 1} is 'sent' with ${mails} mails`);
    if (delivery.state !== 'sent' && delivery.state !== 'unconfirmed') {
      found.push(`recipient ${index + 1} ended ${delivery.state}`);
    }
    const recorded = audit.filter(
      (event) => event.action === `notification.${delivery.state}` && event.details?.recipient === contact.id,
    );
    if (recorded.length !== 1) found.push(`recipient ${index + 1} has ${recorded.length} audit events of the outcome`);
  });
  return found;
}

// The failure points are known only after a fault-free run, and test names should say them: record at collection.
const started = performance.now();
const baseline = await (async () => {
  const run = await newRun();
  const plan = FaultPlan.recording();
  await senderRun(run, withFaults(run.clinic.scope, plan), plan.wrap('mailer', portal.mailSink));
  await plan.settled();
  const found = await problems(run);
  if (found.length > 0) throw new Error(`The fault-free run went wrong: ${found.join('; ')}`);
  return { calls: plan.calls as readonly PortCall[], mails: await mailCounts(run) };
})();

const MODES: readonly FaultMode[] = ['before', 'after'];
let caseCount = 0;

afterAll(() => {
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `Notification fault injection: ${caseCount} cases (${baseline.calls.length} calls × ${MODES.length} modes) in ${seconds} s.`,
  );
});

describe('the fault-free run the cases are compared with', () => {
  it('sends each recipient exactly one mail, through the mail service', ({ expect }) => {
    expect(baseline.mails).toEqual(new Array(RECIPIENTS).fill(1));
    expect(baseline.calls.filter((call) => callLabel(call) === 'mailer.send')).toHaveLength(RECIPIENTS);
  });
});

describe.concurrent('a run of the notification sender with one call failing', () => {
  baseline.calls.forEach((call, index) => {
    const k = index + 1;
    const target = FaultPlan.occurrenceOf(baseline.calls, k);
    const repeated = baseline.calls.filter((other) => callLabel(other) === callLabel(call)).length > 1;
    const point = `${callLabel(call)}${repeated ? ` #${target.occurrence}` : ''}`;
    for (const mode of MODES) {
      caseCount += 1;
      it(`${point} fails ${mode} acting → no mail twice, every delivery final`, async ({ expect }) => {
        const run = await newRun();
        const plan = FaultPlan.failing(target, mode);

        const outcome = await senderRun(run, withFaults(run.clinic.scope, plan), plan.wrap('mailer', portal.mailSink))
          .then(() => undefined)
          .catch((error: unknown) => error);
        await plan.settled();
        await runUntilQuiet(run);

        expect(plan.injected && callLabel(plan.injected), `call ${k} should have failed`).toBe(callLabel(call));
        // The sender absorbs a mail service's failure itself (recorded on the delivery); any other fault ends the run.
        if (outcome !== undefined) expect(outcome).toBeInstanceOf(InjectedFault);
        expect(await problems(run)).toEqual([]);
      });
    }
  });
});
