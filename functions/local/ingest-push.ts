import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { InvoiceBasis } from '../domain/invoice-basis';
import type { MinorUnits } from '../domain/money';
import { submissionFor } from '../use-cases/ingest/receive-invoice-basis';
import { mapWithConcurrency } from '../use-cases/map-with-concurrency';

/**
 * A small practice-system client for the ingest API over real HTTP: what `npm run demo:push` and the ingest
 * benchmark use. It speaks the API exactly as docs/ingest-api.md describes it (gzip, Idempotency-Key, polling).
 */

export interface IngestTarget {
  /** The portal's base URL, e.g. http://localhost:3000. */
  readonly baseUrl: string;
  readonly apiKey: string;
}

export interface PushedDocument {
  readonly invoiceNumber: string;
  readonly documentId: string;
  readonly status: string;
}

const kronor = (minor: MinorUnits) => minor / 100;

/** The request body the API expects for an invoice basis: its submission, with amounts in kronor. */
function invoiceBasisRequest(basis: InvoiceBasis, version = 1) {
  const submission = submissionFor(basis, version);
  return {
    ...submission,
    lines: submission.lines.map((line) => ({
      ...line,
      unitPrice: kronor(line.unitPrice),
      amount: kronor(line.amount),
    })),
    totals: {
      net: kronor(submission.totals.net),
      vat: kronor(submission.totals.vat),
      total: kronor(submission.totals.total),
    },
  };
}

async function call(target: IngestTarget, method: string, path: string, body?: unknown, idempotencyKey?: string) {
  const headers: Record<string, string> = { Authorization: `Bearer ${target.apiKey}` };
  let payload: Uint8Array<ArrayBuffer> | undefined;
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    headers['Content-Encoding'] = 'gzip';
    payload = new Uint8Array(gzipSync(JSON.stringify(body)));
  }
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
  const response = await fetch(new URL(path, target.baseUrl), {
    method,
    headers,
    ...(payload ? { body: new Blob([payload]) } : {}),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

export async function upsertCustomers(target: IngestTarget, customers: readonly Record<string, unknown>[]) {
  return call(target, 'PUT', '/ingest/v1/customers', { customers });
}

/** Sends invoice bases (a few at a time) and returns their document ids as the API answered. */
export async function sendInvoiceBases(
  target: IngestTarget,
  bases: readonly InvoiceBasis[],
  options: { readonly concurrency?: number; readonly version?: number } = {},
): Promise<PushedDocument[]> {
  return mapWithConcurrency(bases, options.concurrency ?? 4, async (basis) => {
    const body = invoiceBasisRequest(basis, options.version);
    const idempotencyKey = createHash('sha256').update(JSON.stringify(body)).digest('hex');
    const answer = await call(target, 'POST', '/ingest/v1/invoice-bases', body, idempotencyKey);
    return { invoiceNumber: basis.invoiceNumber, documentId: String(answer.documentId), status: String(answer.status) };
  });
}

/** Polls until every document is ready or failed (or the time is up); returns the final statuses. */
export async function waitUntilSettled(
  target: IngestTarget,
  documents: readonly PushedDocument[],
  timeoutMs = 300_000,
): Promise<PushedDocument[]> {
  const deadline = Date.now() + timeoutMs;
  let pending = [...documents];
  const settled: PushedDocument[] = [];
  while (pending.length > 0) {
    const statuses = await mapWithConcurrency(pending, 8, async (document) => ({
      ...document,
      status: String((await call(target, 'GET', `/ingest/v1/documents/${document.documentId}`)).status),
    }));
    settled.push(...statuses.filter((document) => document.status === 'ready' || document.status === 'failed'));
    pending = statuses.filter((document) => document.status !== 'ready' && document.status !== 'failed');
    if (pending.length === 0) break;
    if (Date.now() > deadline)
      throw new Error(`${pending.length} documents were still not rendered after ${timeoutMs / 1000} s.`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return settled;
}
