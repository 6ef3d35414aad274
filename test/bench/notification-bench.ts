import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileMailSink } from '../../functions/adapters/mail/file-mail-sink';
import { randomIds, systemClock } from '../../functions/adapters/system/system-clock-and-ids';
import { operatorData } from '../../functions/cli/operator-scope';
import type { InvoiceDocument } from '../../functions/domain/document';
import type { Customer } from '../../functions/domain/identity';
import type { TenantScope } from '../../functions/domain/ports';
import { startLocalPortal } from '../../functions/local/start-local-portal';
import { sendMail } from '../../functions/use-cases/send-mail';
import { queuePublicationNotice, sendPublicationNotices } from '../../functions/use-cases/send-publication-notices';

/** A clinic's busy afternoon: the practice system published a run of invoice bases for many companies. */
const CUSTOMERS = 50;
const CONTACTS_PER_CUSTOMER = 4;
const DOCUMENTS_PER_CUSTOMER = 10;
const QUIET_RUNS = 20;

const ms = (value: number) => `${value.toFixed(1)} ms`;

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}

/** A ready, published document whose notice was queued two minutes ago (past the quiet minute). */
async function publishedDocument(scope: TenantScope, customer: Customer, index: number): Promise<void> {
  const id = randomUUID();
  const document: InvoiceDocument = {
    id,
    customerId: customer.id,
    invoiceNumber: `N-${id.slice(0, 8)}-${index}`,
    invoiceDate: '2026-11-30',
    periodFrom: '2026-11-16',
    periodTo: '2026-11-30',
    description: 'Bench',
    amount: 100_00,
    vatAmount: 20_00,
    currency: 'SEK',
    documentType: 'fakturaunderlag',
    source: 'rendered',
    status: 'received',
    visibility: 'published',
    version: 1,
    receivedAt: new Date().toISOString(),
    payloadSha256: id.replaceAll('-', '').padEnd(64, '0'),
  };
  await scope.documents.receive(document);
  const { document: ready } = await scope.documents.completeVersion(customer.id, id, {
    contentSha256: document.payloadSha256,
    sizeBytes: 1000,
    pageCount: 1,
    sentAt: new Date().toISOString(),
  });
  await queuePublicationNotice(scope, ready, new Date(Date.now() - 120_000).toISOString());
}

/**
 * Issue 6's notification sender on the local stack (DynamoDB Local, the file mail sink):
 * - a busy run: CUSTOMERS companies with DOCUMENTS_PER_CUSTOMER new documents each and CONTACTS_PER_CUSTOMER
 *   opted-in contacts: the batches formed, the mails sent, the time per mail, beside the floor of the writes no
 *   sender can skip per mail (claim, outcome, audit event) with the mail itself;
 * - a quiet run (nothing waiting): what the every-minute schedule costs a clinic with nothing to send.
 * Figures only: nothing here asserts on time.
 */
export async function runNotificationBench(): Promise<void> {
  console.log(
    `\n## Notification sender (${CUSTOMERS} companies × ${DOCUMENTS_PER_CUSTOMER} new documents, ${CONTACTS_PER_CUSTOMER} contacts each; DynamoDB Local, file mail sink)\n`,
  );
  const dataDirectory = mkdtempSync(join(tmpdir(), 'notification-bench-'));
  // The portal's own sender must not run: the bench runs it, and times it.
  const portal = await startLocalPortal({ dataDirectory, quiet: true, noticeIntervalMs: 24 * 3_600_000 });
  try {
    const data = operatorData({ ...process.env, TABLE_NAME: '', PORTAL_DATA_DIR: dataDirectory });
    const scope = data.scopeFor(randomUUID());
    await scope.tenant.put({
      name: 'Bänkhälsan AB',
      orgNumber: '556000-0001',
      addressLines: ['Storgatan 1'],
      portalOrigin: 'https://bankhalsan.example.se',
    });
    for (let c = 0; c < CUSTOMERS; c += 1) {
      const customer: Customer = {
        id: randomUUID(),
        customerNumber: `B${c}`,
        name: `Kund ${c} AB`,
        orgNumber: '556677-8899',
        addressLines: [],
        portalAccess: true,
      };
      await scope.customers.put(customer);
      for (let k = 0; k < CONTACTS_PER_CUSTOMER; k += 1) {
        const id = randomUUID();
        await scope.contacts.put({ id, name: `Kontakt ${c}-${k}`, email: `k${c}-${k}@example.se`, status: 'active' });
        await scope.contacts.putMembership({ contactId: id, customerId: customer.id, customerName: customer.name });
      }
      for (let d = 0; d < DOCUMENTS_PER_CUSTOMER; d += 1) await publishedDocument(scope, customer, d);
    }

    const sink = fileMailSink({ directory: join(dataDirectory, 'bench-mail'), clock: systemClock, ids: randomIds });
    const busy = await timed(() => sendPublicationNotices({ scope, clock: systemClock, ids: randomIds, mailer: sink }));
    const mails = busy.result.sent;
    // The floor: per mail, only the writes no sender can skip (claim, outcome, audit event) and the mail itself.
    const floorSink = fileMailSink({
      directory: join(dataDirectory, 'floor-mail'),
      clock: systemClock,
      ids: randomIds,
    });
    const floorBatch = randomUUID();
    const floor = await timed(async () => {
      for (let index = 0; index < mails; index += 1) {
        const contactId = randomUUID();
        const at = new Date().toISOString();
        await scope.notifications.claimDelivery({
          batchId: floorBatch,
          contactId,
          attempts: 1,
          updatedAt: at,
          leaseUntil: at,
        });
        await sendMail(floorSink, {
          to: { name: 'Kontakt', address: `floor-${index}@example.se` },
          language: 'sv',
          message: {
            kind: 'new-documents',
            recipientName: 'Kontakt',
            clinicName: 'Bänkhälsan AB',
            companyName: 'Kund AB',
            documentCount: DOCUMENTS_PER_CUSTOMER,
            link: 'https://bankhalsan.example.se/',
          },
        });
        await scope.notifications.settleDelivery({
          batchId: floorBatch,
          contactId,
          state: 'sent',
          attempts: 1,
          updatedAt: at,
        });
        await scope.audit.append({
          id: randomUUID(),
          at,
          action: 'notification.sent',
          actor: { type: 'system', id: 'bench' },
          outcome: 'success',
        });
      }
    });
    const quiet: number[] = [];
    for (let run = 0; run < QUIET_RUNS; run += 1) {
      quiet.push(
        (await timed(() => sendPublicationNotices({ scope, clock: systemClock, ids: randomIds, mailer: sink }))).ms,
      );
    }
    quiet.sort((a, b) => a - b);

    const perMail = busy.ms / Math.max(1, mails);
    const floorPerMail = floor.ms / Math.max(1, mails);
    console.log(`  notices queued              ${CUSTOMERS * DOCUMENTS_PER_CUSTOMER}`);
    console.log(`  batches formed              ${busy.result.batchesFormed} (one per company)`);
    console.log(`  mails sent                  ${mails} (one per contact; skipped ${busy.result.skipped})`);
    console.log(`  busy run                    ${ms(busy.ms)}`);
    console.log(`  per mail                    ${ms(perMail)}`);
    console.log(`  floor: claim + mail + outcome + audit event, in a row  ${ms(floorPerMail)} per mail`);
    console.log(`  ratio                       ${(perMail / floorPerMail).toFixed(2)}`);
    console.log(`  quiet run (nothing to send) p50 ${ms(quiet[Math.floor(QUIET_RUNS / 2)] ?? Number.NaN)}`);
  } finally {
    await portal.stop();
    rmSync(dataDirectory, { recursive: true, force: true });
  }
}
