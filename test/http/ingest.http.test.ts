import { createHash, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { revokeApiKey, rotateApiKey } from '../../functions/use-cases/ingest/manage-api-keys';
import { readAuditEvents } from '../support/audit-events';
import { ingestClient, invoiceBasisBody } from '../support/ingest-client';
import { pdfInfo, pdfText } from '../support/pdf-text';
import { type ClinicFixture, clientFor, createClinic, createTestPortal, tinyPdf } from '../support/test-portal';

const portal = createTestPortal();
let clinic: ClinicFixture;
let ingest: Awaited<ReturnType<typeof ingestClient>>;

beforeAll(async () => {
  clinic = await createClinic(portal);
  ingest = await ingestClient(portal, clinic);
});

interface StatusBody {
  documentId: string;
  status: string;
  visibility: string;
  version: number;
  failureReason?: string;
  contentSha256?: string;
  pageCount?: number;
  supersededBy?: string;
  withdrawal?: { reason: string };
  statusUrl: string;
  upload?: { url: string; method: string; headers: Record<string, string> };
}
interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

const auditOf = (fixture: ClinicFixture) =>
  readAuditEvents(fixture.tenantId, portal.clock.now().toISOString().slice(0, 7));

const json = async <T>(response: Response) => (await response.json()) as T;

async function submit(body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return ingest.request('/invoice-bases', { body, headers });
}

async function submitAndRender(body: Record<string, unknown>): Promise<StatusBody> {
  const response = await submit(body);
  expect(response.status).toBe(202);
  const received = await json<StatusBody>(response);
  await portal.renderQueue.idle();
  return json<StatusBody>(await ingest.request(`/documents/${received.documentId}`));
}

async function visibleInvoiceNumbers(fixture: ClinicFixture = clinic): Promise<string[]> {
  const page = await fixture.scope.documents.listVisible(fixture.customer, { limit: 100 });
  return page.items.map((item) => `${item.invoiceNumber}@v${item.version}`);
}

describe('customers', () => {
  it('creates, leaves unchanged and updates customers by customer number, keeping portal access', async () => {
    const customerNumber = `K-${randomUUID().slice(0, 8)}`;
    const customer = {
      customerNumber,
      name: 'Åkerströms Måleri AB',
      organisationNumber: '5567348122',
      addressLines: ['Verkstadsgatan 3', '904 22 Umeå'],
      invoiceReference: 'Lena Sandberg',
    };
    const first = await ingest.request('/customers', { method: 'PUT', body: { customers: [customer] } });
    expect(first.status).toBe(200);
    const [created] = (await json<{ results: Array<{ customerId: string; outcome: string }> }>(first)).results;
    expect(created?.outcome).toBe('created');

    const again = await ingest.request('/customers', { method: 'PUT', body: { customers: [customer] } });
    expect((await json<{ results: Array<{ outcome: string }> }>(again)).results[0]?.outcome).toBe('unchanged');

    const renamed = await ingest.request('/customers', {
      method: 'PUT',
      body: { customers: [{ ...customer, name: 'Åkerströms Måleri & Bygg AB' }] },
    });
    const [updated] = (await json<{ results: Array<{ customerId: string; outcome: string }> }>(renamed)).results;
    expect(updated).toMatchObject({ outcome: 'updated', customerId: created?.customerId });
    expect(await clinic.scope.customers.findByCustomerNumber(customerNumber)).toMatchObject({
      name: 'Åkerströms Måleri & Bygg AB',
      orgNumber: '556734-8122',
      portalAccess: true,
    });
  });

  it('refuses a batch with an invalid organisation number or a repeated customer number, writing none of it', async () => {
    const good = { customerNumber: `K-${randomUUID().slice(0, 8)}`, name: 'Bra AB', organisationNumber: '556734-8122' };
    const response = await ingest.request('/customers', {
      method: 'PUT',
      body: {
        customers: [
          good,
          { customerNumber: 'K-2', name: 'Fel AB', organisationNumber: '556734-8123' },
          { ...good, name: 'Dubblett AB' },
        ],
      },
    });
    expect(response.status).toBe(400);
    const body = await json<ErrorBody>(response);
    expect(body.error.details?.fields).toMatchObject({
      'customers.1.organisationNumber': expect.stringContaining('check digit'),
      'customers.2.customerNumber': expect.stringContaining('repeats customer number'),
    });
    expect(await clinic.scope.customers.findByCustomerNumber(good.customerNumber)).toBeUndefined();
  });
});

describe('an invoice basis as structured data', () => {
  it('is received (202), rendered by the worker and then visible to the contact with a correct PDF', async () => {
    const body = invoiceBasisBody(clinic.customer.customerNumber);
    const response = await submit(body);
    expect(response.status).toBe(202);
    const received = await json<StatusBody>(response);
    expect(response.headers.get('Location')).toBe(`/ingest/v1/documents/${received.documentId}`);
    expect(received).toMatchObject({ status: 'received', visibility: 'published', version: 1 });

    await portal.renderQueue.idle();
    const status = await json<StatusBody>(await ingest.request(`/documents/${received.documentId}`));
    expect(status).toMatchObject({ status: 'ready', pageCount: 1 });
    expect(status.contentSha256).toMatch(/^[0-9a-f]{64}$/u);

    const pdf = await clinic.scope.documentStore.get(clinic.customer.id, received.documentId);
    expect(
      createHash('sha256')
        .update(pdf ?? new Uint8Array())
        .digest('hex'),
    ).toBe(status.contentSha256);
    const text = await pdfText(pdf ?? new Uint8Array());
    expect(text).toContain(String(body.invoiceNumber));
    expect(text).toContain('Björn Åström');
    expect(text).toContain('5 419,38');
    expect(text).toContain('Vår referens');
    expect((await pdfInfo(pdf ?? new Uint8Array())).Title).toBe(`Fakturaunderlag ${body.invoiceNumber}`);

    const contact = clientFor(portal, clinic);
    await contact.login(clinic.contact);
    const list = await json<{ items: Array<{ id: string; amount: number }> }>(
      await contact.request(`/api/customers/${clinic.customer.id}/documents`),
    );
    expect(list.items.find((item) => item.id === received.documentId)?.amount).toBe(541_938);
  });

  it('accepts a gzip-compressed body', async () => {
    const response = await ingest.request('/invoice-bases', {
      body: invoiceBasisBody(clinic.customer.customerNumber),
      gzip: true,
    });
    expect(response.status).toBe(202);
  });

  it('is not visible to contacts before it is rendered', async () => {
    const body = invoiceBasisBody(clinic.customer.customerNumber);
    const received = await json<StatusBody>(await submit(body));
    const before = await clinic.scope.documents.get(clinic.customer.id, received.documentId);
    const listedBefore = await visibleInvoiceNumbers();
    await portal.renderQueue.idle();

    expect(before?.status).not.toBe('ready');
    expect(listedBefore).not.toContain(`${body.invoiceNumber}@v1`);
    expect(await visibleInvoiceNumbers()).toContain(`${body.invoiceNumber}@v1`);
  });
});

describe('bad input', () => {
  const expectNothingStored = async (invoiceNumber: unknown) => {
    expect(await clinic.scope.documents.findVersion(clinic.customer.id, String(invoiceNumber), 1)).toBeUndefined();
  };

  it('400 names the field path of every schema error', async () => {
    const body = invoiceBasisBody(clinic.customer.customerNumber);
    const lines = body.lines as Array<Record<string, unknown>>;
    const response = await submit({
      ...body,
      invoiceDate: '2024-02-30',
      lines: [lines[0], { ...lines[1], date: 'igår', quantity: 'ett' }],
    });
    expect(response.status).toBe(400);
    const error = await json<ErrorBody>(response);
    expect(error.error.code).toBe('validation_failed');
    expect(Object.keys(error.error.details?.fields as object)).toEqual(
      expect.arrayContaining(['invoiceDate', 'lines.1.date', 'lines.1.quantity']),
    );
    await expectNothingStored(body.invoiceNumber);
  });

  it('422 names the difference when the totals do not add up', async () => {
    const body = invoiceBasisBody(clinic.customer.customerNumber, {
      totals: { net: 4725.5, vat: 693.87, total: 5419.37 },
    });
    const response = await submit(body);
    expect(response.status).toBe(422);
    const error = await json<ErrorBody>(response);
    expect(error.error.code).toBe('invoice_basis_inconsistent');
    expect(error.error.details?.problems).toEqual([
      expect.objectContaining({ path: 'totals.vat', declared: '693.87', computed: '693.88', difference: '-0.01' }),
      expect.objectContaining({ path: 'totals.total', difference: '-0.01' }),
    ]);
    await expectNothingStored(body.invoiceNumber);
  });

  it('422 for a line whose amount is not quantity × unit price, a VAT rate Sweden does not have, a reversed period', async () => {
    const body = invoiceBasisBody(clinic.customer.customerNumber);
    const lines = body.lines as Array<Record<string, unknown>>;
    const response = await submit({
      ...body,
      periodFrom: '2024-02-01',
      lines: [{ ...lines[0], amount: 1900 }, { ...lines[1], vatRate: 7 }, lines[2]],
    });
    expect(response.status).toBe(422);
    const problems = (await json<ErrorBody>(response)).error.details?.problems as Array<{ path: string; code: string }>;
    expect(problems.map((problem) => [problem.path, problem.code])).toEqual([
      ['periodFrom', 'period_reversed'],
      ['lines.0.amount', 'line_amount_mismatch'],
      ['lines.1.vatRate', 'vat_rate_not_allowed'],
    ]);
    await expectNothingStored(body.invoiceNumber);
  });

  it('422 for an unknown customer number', async () => {
    const response = await submit(invoiceBasisBody('finns-inte'));
    expect(response.status).toBe(422);
    expect((await json<ErrorBody>(response)).error.code).toBe('unknown_customer');
  });

  it('415 for another content type or content encoding, 400 for malformed JSON or gzip', async () => {
    const text = await ingest.request('/invoice-bases', { body: 'hej', headers: { 'Content-Type': 'text/plain' } });
    expect(text.status).toBe(415);
    const brotli = await ingest.request('/invoice-bases', { body: '{}', headers: { 'Content-Encoding': 'br' } });
    expect(brotli.status).toBe(415);
    const malformed = await ingest.request('/invoice-bases', { body: '{"customerNumber": ' });
    expect(malformed.status).toBe(400);
    expect((await json<ErrorBody>(malformed)).error.message).toMatch(/not valid JSON/u);
    const notGzip = await ingest.request('/invoice-bases', { body: '{}', headers: { 'Content-Encoding': 'gzip' } });
    expect(notGzip.status).toBe(400);
  });

  it('413 for a body over the limit, and for a gzip body that expands beyond the decoded limit', async () => {
    const huge = JSON.stringify({ padding: 'x'.repeat(6 * 1024 * 1024) });
    const tooLarge = await ingest.request('/invoice-bases', { body: huge });
    expect(tooLarge.status).toBe(413);
    expect((await json<ErrorBody>(tooLarge)).error.message).toContain('gzip');

    const bomb = new Uint8Array(gzipSync(JSON.stringify({ padding: '0'.repeat(60 * 1024 * 1024) })));
    expect(bomb.byteLength).toBeLessThan(1024 * 1024);
    const expanded = await portal.ingestApp.request(`https://${clinic.host}/ingest/v1/invoice-bases`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${ingest.secret}`,
        'Content-Type': 'application/json',
        'Content-Encoding': 'gzip',
      },
      body: bomb,
    });
    expect(expanded.status).toBe(413);
  });
});

describe('API keys', () => {
  const body = () => invoiceBasisBody(clinic.customer.customerNumber);

  it('401 without a key or with an unknown one; the key is checked before the body is read', async () => {
    const missing = await ingest.request('/invoice-bases', { body: 'not even json', key: null });
    expect(missing.status).toBe(401);
    expect(missing.headers.get('WWW-Authenticate')).toContain('Bearer');
    const forged = ingest.secret.slice(0, -4) + (ingest.secret.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect((await ingest.request('/invoice-bases', { body: body(), key: forged })).status).toBe(401);
    expect((await ingest.request('/invoice-bases', { body: body(), key: 'fpk_nonsense' })).status).toBe(401);
    const hex = () => randomUUID().replaceAll('-', '');
    const madeUpForAnotherClinic = `fpk_${hex()}_${hex()}_${'A'.repeat(43)}`;
    const madeUp = await ingest.request('/invoice-bases', { body: body(), key: madeUpForAnotherClinic });
    expect(madeUp.status).toBe(401);
  });

  it('403 for the key of another clinic, and that clinic’s documents are not found with its own key', async () => {
    const otherClinic = await createClinic(portal);
    const other = await ingestClient(portal, otherClinic);
    const response = await ingest.request('/invoice-bases', { body: body(), key: other.secret });
    expect(response.status).toBe(403);
    expect((await json<ErrorBody>(response)).error.code).toBe('api_key_wrong_clinic');

    const theirs = await json<StatusBody>(
      await other.request('/invoice-bases', { body: invoiceBasisBody(otherClinic.customer.customerNumber) }),
    );
    expect((await ingest.request(`/documents/${theirs.documentId}`)).status).toBe(404);
  });

  it('403 for a revoked key; a rotated key keeps working until its grace period ends', async () => {
    const fixture = await createClinic(portal);
    const client = await ingestClient(portal, fixture);
    const deps = { scope: fixture.scope, clock: portal.clock, ids: portal.deps.ids };
    const rotated = await rotateApiKey(deps, { keyId: client.key.id, graceHours: 1, by: 'test' });
    const ok = (key: string) =>
      client.request('/invoice-bases', { body: invoiceBasisBody(fixture.customer.customerNumber), key });

    expect((await ok(client.secret)).status).toBe(202);
    expect((await ok(rotated.secret)).status).toBe(202);
    portal.clock.advance(61 * 60 * 1000);
    const expired = await ok(client.secret);
    expect(expired.status).toBe(403);
    expect((await json<ErrorBody>(expired)).error.code).toBe('api_key_expired');

    await revokeApiKey(deps, { keyId: rotated.key.id, by: 'test' });
    const revoked = await ok(rotated.secret);
    expect(revoked.status).toBe(403);
    expect((await json<ErrorBody>(revoked)).error.code).toBe('api_key_revoked');
    const rejections = (await auditOf(fixture)).filter((event) => event.action === 'api_key.rejected');
    expect(rejections.map((event) => event.details?.reason).sort()).toEqual(['expired', 'revoked']);
  });
});

describe('retries, idempotency and versions', () => {
  it('an Idempotency-Key replays the original response; the same key with another body is refused', async () => {
    const key = randomUUID();
    const body = invoiceBasisBody(clinic.customer.customerNumber);
    const first = await submit(body, { 'Idempotency-Key': key });
    const retry = await submit(body, { 'Idempotency-Key': key });
    expect(retry.status).toBe(202);
    expect(retry.headers.get('Idempotent-Replayed')).toBe('true');
    expect(retry.headers.get('Location')).toBe(first.headers.get('Location'));
    expect(await retry.json()).toEqual(await first.json());

    const reused = await submit(invoiceBasisBody(clinic.customer.customerNumber), { 'Idempotency-Key': key });
    expect(reused.status).toBe(422);
    expect((await json<ErrorBody>(reused)).error.code).toBe('idempotency_key_reused');
  });

  it('without a key, the same invoice number + version + content is the same document; other content is 409', async () => {
    const body = invoiceBasisBody(clinic.customer.customerNumber);
    const first = await json<StatusBody>(await submit(body));
    const again = await submit(body);
    expect(again.status).toBe(202);
    expect((await json<StatusBody>(again)).documentId).toBe(first.documentId);

    const changed = await submit({ ...body, description: 'Annan text' });
    expect(changed.status).toBe(409);
    expect((await json<ErrorBody>(changed)).error).toMatchObject({
      code: 'version_conflict',
      details: { documentId: first.documentId, nextVersion: 2 },
    });
  });

  it('concurrent duplicates make exactly one document', async () => {
    const body = invoiceBasisBody(clinic.customer.customerNumber);
    const responses = await Promise.all(Array.from({ length: 5 }, () => submit(body)));
    const ids = new Set<string>();
    for (const response of responses) {
      expect([202, 409]).toContain(response.status);
      if (response.status === 202) ids.add((await json<StatusBody>(response)).documentId);
    }
    expect(ids.size).toBe(1);
    await portal.renderQueue.idle();
    expect((await visibleInvoiceNumbers()).filter((entry) => entry === `${body.invoiceNumber}@v1`)).toHaveLength(1);
  });

  it('a correction (version 2) supersedes version 1 once it is ready; version 1 is kept but not shown', async () => {
    const body = invoiceBasisBody(clinic.customer.customerNumber);
    const v1 = await submitAndRender(body);
    const v2 = await submitAndRender({ ...body, version: 2, description: 'Rättad: företagshälsovård januari' });

    expect(v2).toMatchObject({ status: 'ready', visibility: 'published', version: 2 });
    const v1After = await json<StatusBody>(await ingest.request(`/documents/${v1.documentId}`));
    expect(v1After).toMatchObject({ status: 'ready', visibility: 'superseded', supersededBy: v2.documentId });
    const listed = (await visibleInvoiceNumbers()).filter((entry) => entry.startsWith(`${body.invoiceNumber}@`));
    expect(listed).toEqual([`${body.invoiceNumber}@v2`]);
    const actions = (await auditOf(clinic))
      .filter((event) => event.documentId === v1.documentId)
      .map((event) => event.action);
    expect(actions).toContain('document.superseded');

    const stale = await submit({ ...body, version: 1, description: 'Gammal' });
    expect(stale.status).toBe(409);
    const notNewer = await submit({ ...body, version: 2, description: 'Ännu en' });
    expect(notNewer.status).toBe(409);
  });
});

describe('withdrawal', () => {
  it('hides the document from contacts at once and records the reason', async () => {
    const body = invoiceBasisBody(clinic.customer.customerNumber);
    const ready = await submitAndRender(body);
    const response = await ingest.request(`/documents/${ready.documentId}/withdrawal`, {
      body: { reason: 'Fel kund, ersätts av 2024-0117' },
    });
    expect(response.status).toBe(200);
    expect(await json<StatusBody>(response)).toMatchObject({
      visibility: 'withdrawn',
      withdrawal: { reason: 'Fel kund, ersätts av 2024-0117' },
    });
    expect(await visibleInvoiceNumbers()).not.toContain(`${body.invoiceNumber}@v1`);

    const contact = clientFor(portal, clinic);
    await contact.login(clinic.contact);
    const download = await contact.request(
      `/api/customers/${clinic.customer.id}/documents/${ready.documentId}/download`,
      { method: 'POST' },
    );
    expect(download.status).toBe(404);
    const withdrawn = (await auditOf(clinic)).find(
      (event) => event.action === 'document.withdrawn' && event.documentId === ready.documentId,
    );
    expect(withdrawn?.details?.reason).toBe('Fel kund, ersätts av 2024-0117');
    expect(withdrawn?.actor).toEqual({ type: 'api-key', id: ingest.key.id });
  });

  it('is 404 for an unknown document', async () => {
    const response = await ingest.request(`/documents/${randomUUID()}/withdrawal`, { body: { reason: 'x' } });
    expect(response.status).toBe(404);
  });
});

describe('a ready-made PDF', () => {
  /** The metadata announcing `pdf` (a fresh invoice number each call), as the practice system sends it. */
  const announcement = (pdf: Uint8Array, overrides: Record<string, unknown> = {}) => {
    const base = invoiceBasisBody(clinic.customer.customerNumber);
    return {
      customerNumber: base.customerNumber,
      invoiceNumber: base.invoiceNumber,
      invoiceDate: base.invoiceDate,
      periodFrom: base.periodFrom,
      periodTo: base.periodTo,
      description: 'Fakturaunderlag från J4',
      totals: { net: 1000, vat: 250, total: 1250 },
      pdf: { sizeBytes: pdf.byteLength, sha256: createHash('sha256').update(pdf).digest('hex') },
      ...overrides,
    };
  };
  const register = async (pdf: Uint8Array, overrides: Record<string, unknown> = {}) => {
    const response = await ingest.request('/pdf-documents', { body: announcement(pdf, overrides) });
    expect(response.status).toBe(201);
    return json<StatusBody & { completeUrl: string }>(response);
  };
  const upload = (registered: StatusBody, bytes: Uint8Array) =>
    fetch(registered.upload?.url ?? '', {
      method: 'PUT',
      headers: registered.upload?.headers ?? {},
      body: new Blob([new Uint8Array(bytes)]),
    });
  const complete = (registered: StatusBody) =>
    ingest.request(`/documents/${registered.documentId}/upload-complete`, { method: 'POST' });

  it('is uploaded through the presigned URL, checked, and published with its SHA-256', async () => {
    const pdf = tinyPdf();
    const registered = await register(pdf);
    expect(registered).toMatchObject({ status: 'awaiting_upload', upload: { method: 'PUT' } });
    expect((await complete(registered)).status).toBe(409);

    expect((await upload(registered, pdf)).status).toBe(200);
    const completed = await complete(registered);
    expect(completed.status).toBe(200);
    expect(await json<StatusBody>(completed)).toMatchObject({
      status: 'ready',
      pageCount: 1,
      contentSha256: createHash('sha256').update(pdf).digest('hex'),
    });
    const stored = await clinic.scope.documentStore.get(clinic.customer.id, registered.documentId);
    expect(Buffer.from(stored ?? [])).toEqual(Buffer.from(pdf));
  });

  it('answers a retried announcement with a fresh upload URL, never a replayed (soon stale) one', async () => {
    const pdf = tinyPdf();
    const body = announcement(pdf);
    const announce = () =>
      ingest.request('/pdf-documents', { headers: { 'Idempotency-Key': `pdf-${body.invoiceNumber}` }, body });
    const first = await announce();
    portal.clock.advance(20 * 60 * 1000);
    const retry = await announce();

    expect(retry.status).toBe(201);
    expect(retry.headers.get('Idempotent-Replayed')).toBeNull();
    const [a, b] = [await json<StatusBody>(first), await json<StatusBody>(retry)];
    expect(b.documentId).toBe(a.documentId);
    expect(b.upload?.url).not.toBe(a.upload?.url);
    expect((await upload(b, pdf)).status).toBe(200);
  });

  it('422 for a file that is not a PDF or not the declared one; the upload can then be repeated', async () => {
    const notPdf = new TextEncoder().encode('Detta är ingen PDF, bara text som heter .pdf');
    const registered = await register(notPdf);
    await upload(registered, notPdf);
    const refused = await complete(registered);
    expect(refused.status).toBe(422);
    expect((await json<ErrorBody>(refused)).error.code).toBe('not_a_pdf');
    expect((await json<StatusBody>(await ingest.request(`/documents/${registered.documentId}`))).status).toBe(
      'awaiting_upload',
    );

    const pdf = tinyPdf();
    const declared = await register(pdf);
    const other = tinyPdf();
    expect(other.byteLength).toBe(pdf.byteLength);
    await upload(declared, other);
    const mismatch = await complete(declared);
    expect(mismatch.status).toBe(422);
    expect((await json<ErrorBody>(mismatch)).error.code).toBe('pdf_checksum_mismatch');
    await upload(declared, pdf);
    expect((await complete(declared)).status).toBe(200);
  });

  it('422 when the totals disagree or the PDF is announced larger than 20 MB', async () => {
    const response = await ingest.request('/pdf-documents', {
      body: announcement(tinyPdf(), {
        totals: { net: 1000, vat: 250, total: 1200 },
        pdf: { sizeBytes: 21 * 1024 * 1024, sha256: '0'.repeat(64) },
      }),
    });
    expect(response.status).toBe(422);
    expect((await json<ErrorBody>(response)).error.details?.problems).toHaveLength(2);
  });
});

describe('a large invoice basis', () => {
  it('renders 20,000 lines (gzip-compressed request) into one PDF with every line', async () => {
    const lineCount = 20_000;
    const lines = Array.from({ length: lineCount }, (_, index) => ({
      date: '2024-01-08',
      employee: `Anställd ${String(Math.floor(index / 8)).padStart(4, '0')}`,
      costCentre: `KS ${100 + (index % 12)}`,
      serviceCode: 'HU01',
      serviceText: 'Hälsoundersökning',
      performer: 'Karin Ek, företagssköterska',
      quantity: 1,
      unitPrice: 195.5,
      vatRate: 0,
      amount: 195.5,
    }));
    const net = (lineCount * 19_550) / 100;
    const body = invoiceBasisBody(clinic.customer.customerNumber, { lines, totals: { net, vat: 0, total: net } });
    const response = await ingest.request('/invoice-bases', { body, gzip: true });
    expect(response.status).toBe(202);
    const { documentId } = await json<StatusBody>(response);
    await portal.renderQueue.idle();

    const status = await json<StatusBody & { lineCount: number; pageCount: number }>(
      await ingest.request(`/documents/${documentId}`),
    );
    expect(status).toMatchObject({ status: 'ready', lineCount });
    expect(status.pageCount).toBeGreaterThan(300);
    const pdf = await clinic.scope.documentStore.get(clinic.customer.id, documentId);
    const text = await pdfText(pdf ?? new Uint8Array(), { firstPage: status.pageCount, lastPage: status.pageCount });
    expect(text).toContain('3 910 000,00');
    expect(text).toContain(`Sida ${status.pageCount} av ${status.pageCount}`);
  }, 120_000);
});
