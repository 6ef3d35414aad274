import { gzipSync } from 'node:zlib';
import { createApiKey } from '../../functions/use-cases/ingest/manage-api-keys';
import type { ClinicFixture, TestPortal } from './test-portal';

/** A valid invoice basis request body (kronor, as the API takes them); totals add up, with VAT at 0 % and 25 %. */
export function invoiceBasisBody(
  customerNumber: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    customerNumber,
    invoiceNumber: `2024-${Math.floor(Math.random() * 1e8)}`,
    invoiceDate: '2024-01-15',
    periodFrom: '2024-01-01',
    periodTo: '2024-01-15',
    description: 'Företagshälsovård 1–15 januari 2024',
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
        unitPrice: 1950,
        vatRate: 0,
        amount: 1950,
      },
      {
        date: '2024-01-10',
        employee: 'Björn Åström',
        costCentre: 'KS 410',
        serviceCode: 'EB01',
        serviceText: 'Ergonomisk bedömning',
        performer: 'Mikael Ström, ergonom',
        quantity: 1.5,
        unitPrice: 1250,
        vatRate: 25,
        amount: 1875,
      },
      {
        date: '2024-01-12',
        costCentre: 'KS 900',
        serviceCode: 'UT02',
        serviceText: 'Utbildning i hjärt-lungräddning',
        quantity: 2,
        unitPrice: 450.25,
        vatRate: 25,
        amount: 900.5,
      },
    ],
    // net 4725.50; VAT 25 % of 2775.50 = 693.875 → 693.88; total 5419.38
    totals: { net: 4725.5, vat: 693.88, total: 5419.38 },
    ...overrides,
  };
}

export interface IngestRequestOptions {
  readonly method?: string;
  readonly body?: unknown;
  readonly key?: string | null;
  readonly headers?: Record<string, string>;
  readonly gzip?: boolean;
}

/** Calls the ingest API of a clinic the way the practice system does: its host, its key, JSON bodies. */
export async function ingestClient(portal: TestPortal, clinic: Pick<ClinicFixture, 'host' | 'scope'>) {
  const issued = await createApiKey(
    { scope: clinic.scope, clock: portal.clock, ids: portal.deps.ids },
    { name: 'CGM J4 test', createdBy: 'test' },
  );
  const request = (path: string, options: IngestRequestOptions = {}) => {
    const headers = new Headers(options.headers);
    const key = options.key === undefined ? issued.secret : options.key;
    if (key !== null && !headers.has('Authorization')) headers.set('Authorization', `Bearer ${key}`);
    let body: BodyInit | undefined;
    if (options.body !== undefined) {
      if (!headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
      const text = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      if (options.gzip) {
        headers.set('Content-Encoding', 'gzip');
        body = new Uint8Array(gzipSync(text));
      } else body = text;
    }
    return portal.ingestApp.request(`https://${clinic.host}/ingest/v1${path}`, {
      method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
      headers,
      ...(body === undefined ? {} : { body }),
    });
  };
  return { key: issued.key, secret: issued.secret, request };
}
