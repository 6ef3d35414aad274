import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { operatorClock, operatorData, operatorIds, tenantScope } from '../../functions/cli/operator-scope';
import type { InvoiceBasis, InvoiceLine } from '../../functions/domain/invoice-basis';
import { sendInvoiceBases, waitUntilSettled } from '../../functions/local/ingest-push';
import { demoSeed } from '../../functions/local/seed/demo-data';
import { startLocalPortal } from '../../functions/local/start-local-portal';
import { createApiKey } from '../../functions/use-cases/ingest/manage-api-keys';

const DOCUMENTS = 100;
const LINES_PER_DOCUMENT = 50;

/** A 50-line invoice basis for the first demo customer; invoice numbers unique per run. */
function basis(run: string, index: number): InvoiceBasis {
  const seed = demoSeed();
  const customer = seed.customers[0];
  if (!customer) throw new Error('The demo seed has no customers.');
  const lines = Array.from(
    { length: LINES_PER_DOCUMENT },
    (_, line): InvoiceLine => ({
      date: '2025-03-10',
      employee: `Anställd ${String(line % 17).padStart(2, '0')}`,
      costCentre: `Kst ${100 + (line % 3)}`,
      serviceCode: 'HU01',
      serviceText: 'Hälsoundersökning',
      performer: 'Karin Ek, företagssköterska',
      quantity: 1,
      unitPrice: 195_000,
      vatRate: line % 5 === 0 ? 25 : 0,
      amount: 195_000,
    }),
  );
  return {
    clinic: { name: seed.clinic.name, orgNumber: seed.clinic.orgNumber, addressLines: seed.clinic.addressLines },
    customer: { ...customer, customerNumber: customer.customerNumber },
    documentType: 'fakturaunderlag',
    invoiceNumber: `B-${run}-${String(index).padStart(4, '0')}`,
    invoiceDate: '2025-03-31',
    periodFrom: '2025-03-01',
    periodTo: '2025-03-31',
    description: 'Fakturering mars 2025',
    currency: 'SEK',
    lines,
  };
}

/**
 * End-to-end ingest throughput on the local stack: a real `npm start` portal (DynamoDB Local, S3 emulator, in-process
 * render worker), documents of 50 lines sent over HTTP with gzip and Idempotency-Key, 4 at a time, then polled until
 * every one is rendered and published. Two figures: how fast the API accepts (202), and documents published per
 * second end to end (the render worker runs one job at a time locally, like a reserved concurrency of 1).
 */
export async function runIngestBench(): Promise<void> {
  const dataDirectory = mkdtempSync(join(tmpdir(), 'ingest-bench-'));
  const portal = await startLocalPortal({ dataDirectory, quiet: true });
  try {
    const data = operatorData({ ...process.env, TABLE_NAME: '', PORTAL_DATA_DIR: dataDirectory });
    const scope = await tenantScope(data, 'localhost');
    const { secret } = await createApiKey(
      { scope, clock: operatorClock, ids: operatorIds },
      { name: 'bench', createdBy: 'bench' },
    );
    const target = { baseUrl: portal.url, apiKey: secret };
    const run = Date.now().toString(36);
    // Warm-up: the first document pays for module loading and the renderer's font parsing.
    await waitUntilSettled(target, await sendInvoiceBases(target, [basis(`${run}w`, 0)]));

    const bases = Array.from({ length: DOCUMENTS }, (_, index) => basis(run, index));
    const started = performance.now();
    const sent = await sendInvoiceBases(target, bases, { concurrency: 4 });
    const acceptedSeconds = (performance.now() - started) / 1000;
    const settled = await waitUntilSettled(target, sent);
    const publishedSeconds = (performance.now() - started) / 1000;
    const failed = settled.filter((document) => document.status !== 'ready').length;

    console.log('\nIngest throughput, end to end on the local stack (documents of 50 lines)');
    console.log(
      `  accepted (202):           ${DOCUMENTS} documents in ${acceptedSeconds.toFixed(2)} s = ${(DOCUMENTS / acceptedSeconds).toFixed(1)} documents/s`,
    );
    console.log(
      `  rendered and published:   ${DOCUMENTS} documents in ${publishedSeconds.toFixed(2)} s = ${(DOCUMENTS / publishedSeconds).toFixed(1)} documents/s (${((DOCUMENTS * LINES_PER_DOCUMENT) / publishedSeconds).toFixed(0)} lines/s)`,
    );
    if (failed > 0) console.log(`  ${failed} documents did NOT become ready`);
  } finally {
    await portal.stop();
    rmSync(dataDirectory, { recursive: true, force: true });
  }
}
