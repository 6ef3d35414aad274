import { parseArgs } from 'node:util';
import { operatorClock, operatorData, operatorIds, tenantScope } from '../cli/operator-scope';
import { createApiKey, revokeApiKey } from '../use-cases/ingest/manage-api-keys';
import { sendInvoiceBases, upsertCustomers, waitUntilSettled } from './ingest-push';
import { demoSeed, demoYearOfInvoiceBases } from './seed/demo-data';

/**
 * `npm run demo:push [-- --year 2025]`: plays the practice system against the running `npm start` portal. It takes
 * a fresh API key for the demo clinic, sends the demo customers and a year of monthly invoice bases through the real
 * ingest API (gzip, Idempotency-Key), sends one correction as version 2, waits until the render worker has
 * published everything, and revokes the key again. Running it twice is harmless: the second run is all retries.
 */
const { values } = parseArgs({ options: { year: { type: 'string', default: '2025' } } });
const year = Number(values.year);
if (!Number.isInteger(year) || year < 2000 || year > 2100)
  throw new Error(`--year must be a year, not "${values.year}".`);

const data = operatorData();
if (!data.portalUrl) throw new Error('demo:push only pushes into the local portal; stop here for AWS.');
const scope = await tenantScope(data, 'localhost');
const keyDeps = { scope, clock: operatorClock, ids: operatorIds };
const { key, secret } = await createApiKey(keyDeps, {
  name: `demo:push ${new Date().toISOString()}`,
  createdBy: 'demo:push',
});
const target = { baseUrl: data.portalUrl, apiKey: secret };
console.log(`Pushing to ${data.portalUrl} with API key ${key.displayPrefix} …`);

try {
  const customers = demoSeed().customers.map((customer) => ({
    customerNumber: customer.customerNumber,
    name: customer.name,
    organisationNumber: customer.orgNumber,
    addressLines: customer.addressLines,
    ...(customer.reference ? { invoiceReference: customer.reference } : {}),
  }));
  await upsertCustomers(target, customers);

  const bases = demoYearOfInvoiceBases(year);
  const lines = bases.reduce((sum, basis) => sum + basis.lines.length, 0);
  const started = performance.now();
  const sent = await sendInvoiceBases(target, bases);
  const receivedSeconds = (performance.now() - started) / 1000;
  const [first] = bases;
  if (first) {
    const corrected = { ...first, description: `${first.description} (rättad)` };
    sent.push(...(await sendInvoiceBases(target, [corrected], { version: 2 })));
  }
  const settled = await waitUntilSettled(target, sent);
  const seconds = (performance.now() - started) / 1000;
  const failed = settled.filter((document) => document.status === 'failed');

  console.log(
    `Sent ${bases.length} invoice bases of ${year} (${lines} lines) and 1 correction: received in ${receivedSeconds.toFixed(1)} s, all rendered and published after ${seconds.toFixed(1)} s (${(sent.length / seconds).toFixed(1)} documents/s).`,
  );
  if (failed.length > 0) {
    console.error(`${failed.length} failed: ${failed.map((document) => document.invoiceNumber).join(', ')}`);
    process.exitCode = 1;
  } else {
    console.log(`Log in at ${data.portalUrl} (e.g. as the demo contacts printed by npm start) to see them.`);
  }
} finally {
  await revokeApiKey(keyDeps, { keyId: key.id, by: 'demo:push' });
}
