import { createHash, randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { keys } from '../../functions/adapters/dynamodb/keys';
import { pdfLibInspector } from '../../functions/adapters/pdf/pdf-lib-inspector';
import { createPdfmakeInvoiceRenderer } from '../../functions/adapters/pdf/pdfmake-invoice-renderer';
import type { InvoiceDocument } from '../../functions/domain/document';
import type { Actor, AuditEvent, Customer } from '../../functions/domain/identity';
import type { RenderJob, RenderQueue, TenantScope } from '../../functions/domain/ports';
import {
  completePdfUpload,
  type PdfSubmission,
  registerPdfUpload,
} from '../../functions/use-cases/ingest/ready-made-pdf';
import {
  type InvoiceBasisSubmission,
  receiveInvoiceBasis,
} from '../../functions/use-cases/ingest/receive-invoice-basis';
import { renderDocument } from '../../functions/use-cases/ingest/render-document';
import { type CustomerRecord, upsertCustomers } from '../../functions/use-cases/ingest/upsert-customers';
import { withdrawDocument } from '../../functions/use-cases/ingest/withdraw-document';
import { emulatorTable } from '../support/emulator-table';
import {
  callLabel,
  type FaultMode,
  FaultPlan,
  InjectedFault,
  type PortCall,
  withFaults,
} from '../support/fault-injection';
import { type ClinicFixture, createClinic, createTestPortal, tinyPdf } from '../support/test-portal';

/**
 * Issue 3: S3 and DynamoDB fail at every step of ingest and render. For each flow, a fault-free run records the
 * sequence of port calls and the final state; then, for every call k of that sequence and both failure modes, a
 * fresh clinic runs the flow with exactly call k failing, and we check that
 *   1. afterwards nothing is visible that should not be (only ready documents, each with its PDF and hash, at most
 *      one version per invoice number), and
 *   2. a retry — the client resends the same request, the queue redelivers every render job — reaches the final
 *      state of the fault-free run, and no audit event of that run is missing.
 */

const portal = createTestPortal();
const renderer = createPdfmakeInvoiceRenderer();
const inspector = pdfLibInspector();
const { clock } = portal;
const { ids } = portal.deps;
const ACTOR: Actor = { type: 'api-key', id: 'fault-injection-test' };

/** The same customer in every clinic, so the rendered PDFs (which print the customer) hash the same everywhere. */
const CUSTOMER = {
  customerNumber: 'K-4711',
  name: 'Åkeriet i Väst AB',
  orgNumber: '556677-8899',
  addressLines: ['Box 1', '411 01 Göteborg'],
  reference: 'Lena Sandberg',
  portalAccess: true,
} as const;

const INVOICE_NUMBER = 'F-2024-0042';

/** `ingest-client.ts`'s invoiceBasisBody, in öre as the use case takes it. */
const INVOICE_BASIS: InvoiceBasisSubmission = {
  customerNumber: CUSTOMER.customerNumber,
  invoiceNumber: INVOICE_NUMBER,
  version: 1,
  documentType: 'fakturaunderlag',
  invoiceDate: '2024-01-15',
  periodFrom: '2024-01-01',
  periodTo: '2024-01-15',
  description: 'Företagshälsovård 1–15 januari 2024',
  currency: 'SEK',
  clinicReferences: { ourReference: 'Karin Ek' },
  lines: [
    {
      date: '2024-01-08',
      employee: 'Anna Öberg',
      costCentre: 'KS 410',
      serviceCode: 'HU01',
      serviceText: 'Hälsoundersökning',
      performer: 'Karin Ek, företagssköterska',
      quantity: 1,
      unitPrice: 195_000,
      vatRate: 0,
      amount: 195_000,
    },
    {
      date: '2024-01-10',
      employee: 'Björn Åström',
      costCentre: 'KS 410',
      serviceCode: 'EB01',
      serviceText: 'Ergonomisk bedömning',
      performer: 'Mikael Ström, ergonom',
      quantity: 1.5,
      unitPrice: 125_000,
      vatRate: 25,
      amount: 187_500,
    },
    {
      date: '2024-01-12',
      costCentre: 'KS 900',
      serviceCode: 'UT02',
      serviceText: 'Utbildning i hjärt-lungräddning',
      quantity: 2,
      unitPrice: 45_025,
      vatRate: 25,
      amount: 90_050,
    },
  ],
  // net 4 725,50; VAT 25 % of 2 775,50 = 693,875 → 693,88; total 5 419,38
  totals: { net: 472_550, vat: 69_388, total: 541_938 },
};

const CORRECTION: InvoiceBasisSubmission = {
  ...INVOICE_BASIS,
  version: 2,
  description: 'Rättad: företagshälsovård 1–15 januari 2024',
};

const READY_MADE_PDF = tinyPdf('00000000-0000-4000-8000-000000004711');
const PDF_SUBMISSION: PdfSubmission = {
  customerNumber: CUSTOMER.customerNumber,
  invoiceNumber: 'F-2024-0043',
  version: 1,
  documentType: 'fakturaunderlag',
  invoiceDate: '2024-01-31',
  periodFrom: '2024-01-01',
  periodTo: '2024-01-31',
  description: 'Fakturaunderlag från J4',
  currency: 'SEK',
  totals: { net: 100_000, vat: 25_000, total: 125_000 },
  pdf: { sizeBytes: READY_MADE_PDF.byteLength, sha256: sha256(READY_MADE_PDF) },
};

const CUSTOMER_RECORDS: readonly CustomerRecord[] = [
  {
    customerNumber: 'K-100',
    name: 'Åkerströms Måleri AB',
    orgNumber: '556734-8122',
    addressLines: ['Verkstadsgatan 3'],
  },
  {
    customerNumber: 'K-200',
    name: 'Öresunds Städ AB',
    orgNumber: '556677-8899',
    addressLines: ['Hamngatan 1', '211 22 Malmö'],
    reference: 'Per Ek',
  },
  { customerNumber: 'K-300', name: 'Norrlands Bygg AB', orgNumber: '556000-0001', addressLines: [] },
];

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** One clinic running one flow: its customer and every render job enqueued in any attempt (SQS keeps them all). */
interface Run {
  readonly clinic: ClinicFixture;
  readonly customer: Customer;
  readonly jobs: RenderJob[];
  /** The published document a flow starts from (withdrawal). */
  documentId?: string;
}

async function newRun(): Promise<Run> {
  const clinic = await createClinic(portal);
  const customer: Customer = { id: randomUUID(), ...CUSTOMER, addressLines: [...CUSTOMER.addressLines] };
  await clinic.scope.customers.put(customer);
  return { clinic, customer, jobs: [] };
}

/** The queue as SQS is to the test: it keeps every job, and the test delivers them. */
const queueOf = (run: Run): RenderQueue => ({
  enqueue: async (job) => {
    run.jobs.push(job);
  },
});

/** Runs one step; a failure is collected (the client or the worker sees it), not thrown. */
async function step(errors: unknown[], action: () => Promise<unknown>): Promise<void> {
  try {
    await action();
  } catch (error) {
    errors.push(error);
  }
}

/** The worker takes every job that was enqueued (a failed delivery is retried by the queue in the next attempt). */
async function renderEveryJob(run: Run, scope: TenantScope, errors: unknown[], finalAttempt = false): Promise<void> {
  for (const job of [...run.jobs]) {
    await step(errors, () => renderDocument({ scopeFor: () => scope, renderer, clock, ids }, job, { finalAttempt }));
  }
}

async function receiveAndRender(run: Run, scope: TenantScope, queue: RenderQueue, basis: InvoiceBasisSubmission) {
  const errors: unknown[] = [];
  await step(errors, () => receiveInvoiceBasis({ scope, queue, clock, ids }, ACTOR, basis));
  await renderEveryJob(run, scope, errors);
  return errors;
}

/** Publishes a version outside the fault window (the state a flow starts from). */
async function publishCleanly(run: Run, basis: InvoiceBasisSubmission): Promise<InvoiceDocument> {
  const setUp: Run = { ...run, jobs: [] };
  const errors = await receiveAndRender(setUp, run.clinic.scope, queueOf(setUp), basis);
  if (errors.length > 0) throw new Error(`Setting up failed: ${describeErrors(errors)}`);
  const document = await run.clinic.scope.documents.findVersion(run.customer.id, basis.invoiceNumber, basis.version);
  if (document?.status !== 'ready') throw new Error(`Setting up left version ${basis.version} ${document?.status}.`);
  return document;
}

/** The facts of a document that must not depend on ids, clocks or faults. */
function facts(document: InvoiceDocument) {
  return {
    invoiceNumber: document.invoiceNumber,
    version: document.version,
    status: document.status,
    visibility: document.visibility,
    source: document.source,
    documentType: document.documentType,
    description: document.description,
    amount: document.amount,
    vatAmount: document.vatAmount,
    lineCount: document.lineCount,
    pageCount: document.pageCount,
    sizeBytes: document.sizeBytes,
    contentSha256: document.contentSha256,
    failureReason: document.failureReason,
    withdrawalReason: document.withdrawal?.reason,
    superseded: document.supersededBy !== undefined,
  };
}

/**
 * The customer's visible list, and every (invoice number, version) the flow touches as `findVersion` sees it. A
 * listed document must be the one that holds the claim on its version: a second document for the same version
 * would show up as `claimed: false`.
 */
async function documentState(run: Run, versions: readonly (readonly [string, number])[]) {
  const { documents } = run.clinic.scope;
  const visible = (await documents.listVisible(run.customer, { limit: 100 })).items;
  return {
    visible: await Promise.all(
      visible.map(async (document) => ({
        ...facts(document),
        claimed:
          (await documents.findVersion(run.customer.id, document.invoiceNumber, document.version))?.id === document.id,
      })),
    ),
    versions: await Promise.all(
      versions.map(async ([invoiceNumber, version]) => {
        const document = await documents.findVersion(run.customer.id, invoiceNumber, version);
        return document ? facts(document) : { invoiceNumber, version, missing: true };
      }),
    ),
  };
}

/** "Nothing visible that should not be": each visible document is ready, its PDF is there and hashes right. */
async function visibilityProblems(run: Run): Promise<string[]> {
  const { documents, documentStore } = run.clinic.scope;
  const visible = (await documents.listVisible(run.customer, { limit: 100 })).items;
  const problems: string[] = [];
  const versionsByNumber = new Map<string, number[]>();
  for (const document of visible) {
    const label = `${document.invoiceNumber} v${document.version}`;
    versionsByNumber.set(document.invoiceNumber, [
      ...(versionsByNumber.get(document.invoiceNumber) ?? []),
      document.version,
    ]);
    if (document.status !== 'ready') problems.push(`${label} is visible with status ${document.status}`);
    if (document.visibility !== 'published') problems.push(`${label} is visible as ${document.visibility}`);
    const pdf = await documentStore.get(document.customerId, document.id);
    if (!pdf) problems.push(`${label} is visible without a PDF`);
    else if (sha256(pdf) !== document.contentSha256) problems.push(`${label}'s PDF does not hash to contentSha256`);
  }
  for (const [invoiceNumber, versions] of versionsByNumber) {
    if (versions.length > 1) problems.push(`${invoiceNumber} is visible in versions ${versions.join(', ')}`);
  }
  return problems;
}

const auditTable = emulatorTable();

/** The clinic's audit trail as `action subject` (subjects by invoice number/version or customer number, not id). */
async function auditTrail(run: Run): Promise<string[]> {
  const { PK } = keys.auditEvent(run.clinic.tenantId, clock.now().toISOString(), 'x');
  const page = await auditTable.query({
    KeyConditionExpression: 'PK = :pk',
    ExpressionAttributeValues: { ':pk': { S: PK } },
    ConsistentRead: true,
  });
  const { documents, customers } = run.clinic.scope;
  const labels = await Promise.all(
    (page.items as unknown as AuditEvent[]).map(async (event) => {
      if (event.documentId) {
        const document = await documents.locate(event.documentId);
        const subject = document ? `${document.invoiceNumber} v${document.version}` : 'a document that does not exist';
        return `${event.action} ${subject}`;
      }
      if (event.customerId) {
        const customer = await customers.get(event.customerId);
        return `${event.action} ${customer ? customer.customerNumber : 'a customer that does not exist'}`;
      }
      return event.action;
    }),
  );
  return [...new Set(labels)].sort();
}

/** A flow as a client and the queue run it. `attempt` returns what the client or worker saw fail. */
interface Flow {
  readonly name: string;
  /** Outside the fault window: the state the flow starts from. */
  readonly setUp?: (run: Run) => Promise<void>;
  readonly attempt: (run: Run, scope: TenantScope, queue: RenderQueue) => Promise<unknown[]>;
  /** The final state compared with the fault-free run's. */
  readonly state: (run: Run) => Promise<unknown>;
  /** Flow-specific "nothing that should not be" checks, besides the visible documents. */
  readonly problems?: (run: Run) => Promise<string[]>;
}

const structuredBasis: Flow = {
  name: 'structured basis',
  attempt: (run, scope, queue) => receiveAndRender(run, scope, queue, INVOICE_BASIS),
  state: (run) => documentState(run, [[INVOICE_NUMBER, 1]]),
};

const correction: Flow = {
  name: 'correction (v2 supersedes v1)',
  setUp: async (run) => {
    await publishCleanly(run, INVOICE_BASIS);
  },
  attempt: (run, scope, queue) => receiveAndRender(run, scope, queue, CORRECTION),
  state: (run) =>
    documentState(run, [
      [INVOICE_NUMBER, 1],
      [INVOICE_NUMBER, 2],
    ]),
};

const readyMadePdf: Flow = {
  name: 'ready-made PDF',
  attempt: async (_run, scope) => {
    const errors: unknown[] = [];
    const deps = { scope, clock, ids };
    await step(errors, async () => {
      const registered = await registerPdfUpload(deps, ACTOR, PDF_SUBMISSION);
      // The bytes go straight to S3 through the presigned URL: outside the ports, outside the fault window.
      if (registered.upload) {
        const { url, method, headers } = registered.upload;
        const uploaded = await fetch(url, { method, headers, body: new Blob([new Uint8Array(READY_MADE_PDF)]) });
        if (!uploaded.ok) throw new Error(`The upload was refused with ${uploaded.status}.`);
      }
      await completePdfUpload({ ...deps, inspector }, ACTOR, registered.document.id);
    });
    return errors;
  },
  state: (run) => documentState(run, [[PDF_SUBMISSION.invoiceNumber, 1]]),
};

const withdrawal: Flow = {
  name: 'withdrawal',
  setUp: async (run) => {
    run.documentId = (await publishCleanly(run, INVOICE_BASIS)).id;
  },
  attempt: async (run, scope) => {
    const errors: unknown[] = [];
    const documentId = run.documentId ?? '';
    await step(errors, () =>
      withdrawDocument({ scope, clock, ids }, ACTOR, { documentId, reason: 'Fel kund, ersätts av F-2024-0044' }),
    );
    return errors;
  },
  state: (run) => documentState(run, [[INVOICE_NUMBER, 1]]),
};

/** Each customer as found by its number, without the random id; and the id must lead to the same customer. */
async function customerState(run: Run) {
  const { customers } = run.clinic.scope;
  return Promise.all(
    CUSTOMER_RECORDS.map(async ({ customerNumber }) => {
      const found = await customers.findByCustomerNumber(customerNumber);
      if (!found) return { customerNumber, missing: true };
      // The id is random and the change times are the clock's: neither is part of the state a retry must reproduce.
      const { id, createdAt: _created, updatedAt: _updated, ...data } = found;
      return { ...data, sameById: (await customers.get(id))?.customerNumber === customerNumber };
    }),
  );
}

const customersUpsert: Flow = {
  name: 'customers upsert',
  attempt: async (_run, scope) => {
    const errors: unknown[] = [];
    await step(errors, () => upsertCustomers({ scope, clock, ids }, ACTOR, CUSTOMER_RECORDS));
    return errors;
  },
  state: customerState,
  problems: async (run) => {
    // A customer written at all is written whole: no half-written record.
    const problems: string[] = [];
    for (const record of CUSTOMER_RECORDS) {
      const found = await run.clinic.scope.customers.findByCustomerNumber(record.customerNumber);
      if (!found) continue;
      const expected = { ...record, portalAccess: true };
      const { id: _id, createdAt: _created, updatedAt: _updated, ...actual } = found;
      if (JSON.stringify(sorted(actual)) !== JSON.stringify(sorted(expected as Record<string, unknown>))) {
        problems.push(`customer ${record.customerNumber} is stored as ${JSON.stringify(actual)}`);
      }
    }
    return problems;
  },
};

function sorted(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(object)
      .filter(([, value]) => value !== undefined)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

const FLOWS: readonly Flow[] = [structuredBasis, correction, readyMadePdf, withdrawal, customersUpsert];

function describeErrors(errors: readonly unknown[]): string {
  return errors.map((error) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error))).join('; ');
}

interface Baseline {
  readonly calls: readonly PortCall[];
  readonly state: unknown;
  readonly audit: readonly string[];
}

/** The fault-free run: its call sequence (the failure points) and its final state. */
async function recordBaseline(flow: Flow): Promise<Baseline> {
  const run = await newRun();
  await flow.setUp?.(run);
  const plan = FaultPlan.recording();
  const errors = await flow.attempt(run, withFaults(run.clinic.scope, plan), plan.wrap('queue', queueOf(run)));
  await plan.settled();
  if (errors.length > 0) throw new Error(`The fault-free ${flow.name} run failed: ${describeErrors(errors)}`);
  return { calls: plan.calls, state: await flow.state(run), audit: await auditTrail(run) };
}

// The failure points are known only after a fault-free run, and test names should say them: record at collection.
const started = performance.now();
const baselines = new Map<Flow, Baseline>();
for (const flow of FLOWS) baselines.set(flow, await recordBaseline(flow));
const baselineOf = (flow: Flow): Baseline => {
  const baseline = baselines.get(flow);
  if (!baseline) throw new Error(`No fault-free run of ${flow.name}.`);
  return baseline;
};

const MODES: readonly FaultMode[] = ['before', 'after'];
let caseCount = 0;

afterAll(() => {
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const perFlow = FLOWS.map((flow) => `${flow.name} ${baselineOf(flow).calls.length}`).join(', ');
  console.log(
    `Fault injection: ${caseCount} cases (flow × failure point × mode; calls per flow: ${perFlow}) in ${seconds} s.`,
  );
});

for (const flow of FLOWS) {
  const baseline = baselineOf(flow);
  const n = baseline.calls.length;
  // Cases run concurrently (each on its own clinic), so assertions use the test's own `expect`.
  describe.concurrent(flow.name, () => {
    baseline.calls.forEach((call, index) => {
      const k = index + 1;
      // Named by port method and occurrence, not by k: calls a use case makes in parallel (customers upsert)
      // interleave differently from run to run, and test names should stay the same.
      const target = FaultPlan.occurrenceOf(baseline.calls, k);
      const repeated = baseline.calls.filter((other) => callLabel(other) === callLabel(call)).length > 1;
      const point = `${callLabel(call)}${repeated ? ` #${target.occurrence}` : ''}`;
      for (const mode of MODES) {
        caseCount += 1;
        it(`${flow.name}: ${point} fails ${mode} acting → retry converges`, async ({ expect }) => {
          const run = await newRun();
          await flow.setUp?.(run);

          const plan = FaultPlan.failing(target, mode);
          const errors = await flow.attempt(run, withFaults(run.clinic.scope, plan), plan.wrap('queue', queueOf(run)));
          await plan.settled();
          expect(plan.injected && callLabel(plan.injected), `call ${k} of ${n} should have failed`).toBe(
            callLabel(call),
          );
          expect
            .soft(
              describeErrors(errors.filter((error) => !(error instanceof InjectedFault))),
              'the faulty attempt should fail with the injected fault only, not turn it into something else',
            )
            .toBe('');
          expect.soft(await visibilityProblems(run), 'visible after the fault').toEqual([]);
          expect.soft((await flow.problems?.(run)) ?? [], 'left after the fault').toEqual([]);

          const retryErrors = await flow.attempt(run, run.clinic.scope, queueOf(run));
          expect.soft(describeErrors(retryErrors), 'the retry should succeed').toBe('');
          expect.soft(await visibilityProblems(run), 'visible after the retry').toEqual([]);
          expect
            .soft(await flow.state(run), 'the final state should be that of the fault-free run')
            .toEqual(baseline.state);
          const trail = await auditTrail(run);
          expect
            .soft(
              baseline.audit.filter((event) => !trail.includes(event)),
              'audit events of the fault-free run missing after the retry',
            )
            .toEqual([]);
          expect
            .soft(
              [...new Set(trail)].filter(
                (event) => trail.filter((e) => e === event).length > baseline.audit.filter((e) => e === event).length,
              ),
              'audit events recorded more often than in the fault-free run',
            )
            .toEqual([]);
        });
      }
    });
  });
}

describe('the fault-free runs the cases are compared with', () => {
  it('end as each flow should', () => {
    const ready = { status: 'ready', claimed: true, visibility: 'published' };
    expect(baselineOf(structuredBasis).state).toMatchObject({
      visible: [{ ...ready, invoiceNumber: INVOICE_NUMBER, version: 1, amount: 541_938, pageCount: 1, lineCount: 3 }],
    });
    expect(baselineOf(correction).state).toMatchObject({
      visible: [{ ...ready, version: 2, description: CORRECTION.description }],
      versions: [
        { version: 1, status: 'ready', visibility: 'superseded', superseded: true },
        { version: 2, status: 'ready', visibility: 'published' },
      ],
    });
    expect(baselineOf(readyMadePdf).state).toMatchObject({
      visible: [{ ...ready, source: 'uploaded', contentSha256: PDF_SUBMISSION.pdf.sha256 }],
    });
    expect(baselineOf(withdrawal).state).toMatchObject({
      visible: [],
      versions: [{ status: 'ready', visibility: 'withdrawn', withdrawalReason: 'Fel kund, ersätts av F-2024-0044' }],
    });
    expect(baselineOf(customersUpsert).state).toEqual(
      CUSTOMER_RECORDS.map((record) => ({ ...record, portalAccess: true, sameById: true })),
    );
  });
});

describe('a render that fails on its last delivery', () => {
  it('leaves the document failed with a reason and invisible; resending the invoice basis brings it to ready', async () => {
    const run = await newRun();
    const putAt = baselineOf(structuredBasis).calls.findIndex((call) => callLabel(call) === 'documentStore.put') + 1;
    expect(putAt).toBeGreaterThan(0);
    const plan = FaultPlan.failing(putAt, 'before');
    const scope = withFaults(run.clinic.scope, plan);
    await receiveInvoiceBasis({ scope, queue: plan.wrap('queue', queueOf(run)), clock, ids }, ACTOR, INVOICE_BASIS);
    const errors: unknown[] = [];
    await renderEveryJob(run, scope, errors, true);
    expect(plan.injected).toMatchObject({ port: 'documentStore', method: 'put' });
    expect(errors).toEqual([expect.any(InjectedFault)]);

    const failed = await run.clinic.scope.documents.findVersion(run.customer.id, INVOICE_NUMBER, 1);
    expect(failed).toMatchObject({ status: 'failed', failureReason: expect.stringContaining('could not be rendered') });
    expect(await visibilityProblems(run)).toEqual([]);
    expect((await run.clinic.scope.documents.listVisible(run.customer, { limit: 100 })).items).toEqual([]);

    const jobsBefore = run.jobs.length;
    const resent = await receiveInvoiceBasis(
      { scope: run.clinic.scope, queue: queueOf(run), clock, ids },
      ACTOR,
      INVOICE_BASIS,
    );
    expect(resent).toMatchObject({ replayed: true, document: { id: failed?.id, status: 'received' } });
    expect(run.jobs.length).toBe(jobsBefore + 1);
    const retryErrors: unknown[] = [];
    await renderEveryJob(run, run.clinic.scope, retryErrors);
    expect(describeErrors(retryErrors)).toBe('');
    expect(await structuredBasis.state(run)).toEqual(baselineOf(structuredBasis).state);
  });
});
