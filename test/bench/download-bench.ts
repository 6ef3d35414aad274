import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { operatorData, tenantScope } from '../../functions/cli/operator-scope';
import type { TenantScope } from '../../functions/domain/ports';
import { startLocalPortal } from '../../functions/local/start-local-portal';
import { recordDownload } from '../../functions/use-cases/request-document-download';

const DOWNLOADS = 200;
const ZIP_DOCUMENTS = 100;
/** A typical rendered invoice basis of a few pages. */
const PDF_BYTES = 80 * 1024;

function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function timed<T>(work: () => Promise<T>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/** Publishes a document with a PDF of PDF_BYTES, as ingest would leave it (stored, received, completed). */
async function publishDocument(scope: TenantScope, customerId: string, index: number): Promise<string> {
  const id = randomUUID();
  const pdf = new Uint8Array(Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(PDF_BYTES)]));
  const stored = await scope.documentStore.put(customerId, id, pdf);
  await scope.documents.receive({
    id,
    customerId,
    invoiceNumber: `Z-${id.slice(0, 8)}-${index}`,
    invoiceDate: '2019-06-30',
    periodFrom: '2019-06-01',
    periodTo: '2019-06-30',
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
    payloadSha256: stored.sha256,
  });
  await scope.documents.completeVersion(customerId, id, {
    contentSha256: stored.sha256,
    sizeBytes: stored.sizeBytes,
    pageCount: 1,
    sentAt: new Date().toISOString(),
  });
  return id;
}

/**
 * Issue 5's figures on the local stack (a real `npm start` portal: DynamoDB Local, S3 emulator, in-process API):
 * - download one: the endpoint (authenticate, authorize, audit, receipt, presign; over HTTP) against the bare
 *   minimum a download needs (GetItem of the document, one PutItem, presign), p50 and the ratio;
 * - download many: a ZIP of 100 PDFs of 80 KB, its time and the process's peak RSS while it is built.
 * Figures only: nothing here asserts on time.
 */
export async function runDownloadBench(): Promise<void> {
  const dataDirectory = mkdtempSync(join(tmpdir(), 'download-bench-'));
  const portal = await startLocalPortal({ dataDirectory, quiet: true });
  try {
    const login = portal.demoLogins[0];
    if (!login) throw new Error('The demo seed has no contact.');
    const data = operatorData({ ...process.env, TABLE_NAME: '', PORTAL_DATA_DIR: dataDirectory });
    const scope = await tenantScope(data, 'localhost');
    const origin = new URL(portal.url).origin;
    const loginResponse = await fetch(`${portal.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: origin },
      body: JSON.stringify({ username: login.username, password: login.password }),
    });
    const cookie = (loginResponse.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const me = (await loginResponse.json()) as { contact: { id: string }; customers: Array<{ id: string }> };
    const customerId = me.customers[0]?.id;
    if (!customerId) throw new Error('The demo contact has no customer.');
    const headers = { Cookie: cookie, Origin: origin, 'Content-Type': 'application/json' };
    const list = (await (
      await fetch(`${portal.url}/api/customers/${customerId}/documents?limit=20`, { headers })
    ).json()) as { items: Array<{ id: string }> };
    const documentIds = list.items.map((item) => item.id);

    const endpoint = async (index: number) => {
      const response = await fetch(
        `${portal.url}/api/customers/${customerId}/documents/${documentIds[index % documentIds.length]}/download`,
        { method: 'POST', headers },
      );
      if (response.status !== 200) throw new Error(`Download answered ${response.status}`);
      await response.arrayBuffer();
    };
    const bare = async (index: number) => {
      const documentId = documentIds[index % documentIds.length] as string;
      await scope.documents.get(customerId, documentId);
      await scope.audit.append({
        id: randomUUID(),
        at: new Date().toISOString(),
        action: 'document.downloaded',
        actor: { type: 'system', id: 'bench' },
        outcome: 'success',
      });
      await scope.documentStore.presignDownload(customerId, documentId, { fileName: 'a.pdf', expiresInSeconds: 60 });
    };
    /**
     * The storage work the endpoint cannot skip, without HTTP, Hono or our middleware: the five reads of the checks
     * at once (session record, membership, customer, contact, document), then the audit event and the receipt,
     * then the presign. On DynamoDB Local the five concurrent reads share this machine's two cores with the emulator.
     */
    const floor = async (index: number) => {
      const documentId = documentIds[index % documentIds.length] as string;
      const [, , , contact, document] = await Promise.all([
        scope.sessions.get(me.contact.id, randomUUID()),
        scope.contacts.getMembership(me.contact.id, customerId),
        scope.customers.get(customerId),
        scope.contacts.get(me.contact.id),
        scope.documents.get(customerId, documentId),
      ]);
      if (!contact || !document) throw new Error('The floor found no contact or document.');
      await recordDownload({ scope, ids: { newId: randomUUID } }, contact, document, {
        at: new Date(),
        sourceIp: '127.0.0.1',
        details: { disposition: 'attachment' },
      });
      await scope.documentStore.presignDownload(customerId, documentId, { fileName: 'a.pdf', expiresInSeconds: 60 });
    };
    // Warm-up: module loading, connection pools, the tenant cache.
    for (let index = 0; index < 20; index += 1) {
      await endpoint(index);
      await bare(index);
      await floor(index);
    }
    const endpointMs: number[] = [];
    const bareMs: number[] = [];
    const floorMs: number[] = [];
    // Interleaved, so that a hiccup of the emulators hits all alike.
    for (let index = 0; index < DOWNLOADS; index += 1) {
      endpointMs.push(await timed(() => endpoint(index)));
      bareMs.push(await timed(() => bare(index)));
      floorMs.push(await timed(() => floor(index)));
    }
    const [endpointP50, bareP50] = [percentile(endpointMs, 50), percentile(bareMs, 50)];
    console.log(`\nDownload one (${DOWNLOADS} requests each, local stack)`);
    console.log(
      `  endpoint over HTTP:        p50 ${endpointP50.toFixed(2)} ms, p95 ${percentile(endpointMs, 95).toFixed(2)} ms`,
    );
    console.log(
      `  bare GetItem+PutItem+presign: p50 ${bareP50.toFixed(2)} ms, p95 ${percentile(bareMs, 95).toFixed(2)} ms`,
    );
    const floorP50 = percentile(floorMs, 50);
    console.log(
      `  the endpoint's storage work: p50 ${floorP50.toFixed(2)} ms, p95 ${percentile(floorMs, 95).toFixed(2)} ms (5 reads ∥, audit ∥ receipt, presign)`,
    );
    console.log(`  ratio (p50):               ${(endpointP50 / bareP50).toFixed(2)} (target ≤ 1.5)`);
    console.log(
      `  ratio endpoint / its storage work (p50): ${(endpointP50 / floorP50).toFixed(2)} (what HTTP, Hono and auth add)`,
    );

    const zipIds: string[] = [];
    for (let index = 0; index < ZIP_DOCUMENTS; index += 1) {
      zipIds.push(await publishDocument(scope, customerId, index));
    }
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 5);
    const started = performance.now();
    const response = await fetch(`${portal.url}/api/customers/${customerId}/document-archives`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ documentIds: zipIds }),
    });
    const zipMs = performance.now() - started;
    clearInterval(sampler);
    const archive = (await response.json()) as { sizeBytes?: number; error?: unknown };
    if (response.status !== 200) throw new Error(`The archive answered ${response.status}: ${JSON.stringify(archive)}`);
    const mb = (bytes: number) => (bytes / 1_048_576).toFixed(1);
    console.log(`\nDownload many: a ZIP of ${ZIP_DOCUMENTS} PDFs of ${PDF_BYTES / 1024} KB (local stack)`);
    console.log(`  built and uploaded in:     ${(zipMs / 1000).toFixed(2)} s (${mb(archive.sizeBytes ?? 0)} MB ZIP)`);
    console.log(
      `  peak RSS:                  ${mb(peakRss)} MB (${mb(peakRss - rssBefore)} MB above the ${mb(rssBefore)} MB before; portal, emulators' clients and bench in one process)`,
    );
  } finally {
    await portal.stop();
    rmSync(dataDirectory, { recursive: true, force: true });
  }
}
