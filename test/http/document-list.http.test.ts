import { beforeAll, describe, expect, it } from 'vitest';
import type { InvoiceDocument } from '../../functions/domain/document';
import type { Customer } from '../../functions/domain/identity';
import { type ClinicFixture, clientFor, createClinic, createTestPortal } from '../support/test-portal';

const portal = createTestPortal();

interface Row {
  id: string;
  invoiceNumber: string;
  invoiceDate: string;
  downloaded: boolean;
}
interface ListBody {
  items: Row[];
  nextCursor?: string;
}

/**
 * One clinic with a list spread over three years (with a gap), some downloaded, plus documents the contact must
 * never see: held and withdrawn ones of their own company, and the other company's.
 */
let fixture: ClinicFixture;
let client: ReturnType<typeof clientFor>;
const visible: InvoiceDocument[] = [];
const DATES = [
  '2022-11-30',
  '2022-12-31',
  '2024-01-31',
  '2024-02-01',
  '2024-02-29',
  '2024-03-01',
  '2024-06-15',
  '2024-12-31',
  '2025-01-01',
  '2025-03-31',
];

async function add(customer: Customer, overrides: Partial<InvoiceDocument>): Promise<InvoiceDocument> {
  return (await fixture.addDocument(customer, overrides)).document;
}

async function download(document: InvoiceDocument): Promise<InvoiceDocument> {
  const receipt = { at: '2025-04-01T10:00:00.000Z', contactId: fixture.contact.contact.id, contactName: 'Anna' };
  await fixture.scope.documents.recordDownload(document.customerId, document.id, receipt);
  return { ...document, firstDownload: receipt, lastDownload: receipt };
}

beforeAll(async () => {
  fixture = await createClinic(portal);
  for (const [index, invoiceDate] of DATES.entries()) {
    const document = await add(fixture.customer, { invoiceDate });
    // Every third one has been downloaded.
    visible.push(index % 3 === 0 ? await download(document) : document);
  }
  await add(fixture.customer, { invoiceDate: '2024-06-16', visibility: 'held', invoiceNumber: 'HELD-1' });
  await add(fixture.customer, { invoiceDate: '2026-01-10', visibility: 'withdrawn' });
  await add(fixture.otherCustomer, { invoiceDate: '2024-06-15', invoiceNumber: 'OTHER-1' });
  await add(fixture.otherCustomer, { invoiceDate: '2023-05-05' });
  client = clientFor(portal, fixture);
  await client.login(fixture.contact);
});

const path = (query = '', customerId = fixture.customer.id) => `/api/customers/${customerId}/documents?${query}`;

async function list(query = ''): Promise<ListBody> {
  const response = await client.request(path(query));
  expect(response.status).toBe(200);
  return (await response.json()) as ListBody;
}

/** Follows the cursors to the end; every page's rows in order. */
async function allPages(query: string): Promise<{ rows: Row[]; pages: number }> {
  const rows: Row[] = [];
  let pages = 0;
  let cursor: string | undefined;
  do {
    const page = await list(cursor === undefined ? query : `${query}&cursor=${cursor}`);
    rows.push(...page.items);
    cursor = page.nextCursor;
    pages += 1;
  } while (cursor !== undefined);
  return { rows, pages };
}

/** The visible documents that pass `keep`, by invoice date (newest first unless `oldest`). */
function expected(keep: (document: InvoiceDocument) => boolean, order: 'newest' | 'oldest' = 'newest'): string[] {
  const ids = visible
    .filter(keep)
    .sort((a, b) => a.invoiceDate.localeCompare(b.invoiceDate))
    .map((document) => document.id);
  return order === 'newest' ? ids.reverse() : ids;
}

const ids = (rows: readonly Row[]) => rows.map((row) => row.id);
const inYear = (year: string) => (document: InvoiceDocument) => document.invoiceDate.startsWith(`${year}-`);
const isDownloaded = (document: InvoiceDocument) => document.firstDownload !== undefined;

describe('filtering the document list', () => {
  it('lists one year by invoice date, newest first, including its first and last day', async () => {
    const body = await list('year=2024');

    expect(ids(body.items)).toEqual(expected(inYear('2024')));
    expect(body.items.map((row) => row.invoiceDate)).toEqual([
      '2024-12-31',
      '2024-06-15',
      '2024-03-01',
      '2024-02-29',
      '2024-02-01',
      '2024-01-31',
    ]);
  });

  it('lists one invoice month with period=YYYY-MM, leap day included', async () => {
    const body = await list('period=2024-02');

    expect(body.items.map((row) => row.invoiceDate)).toEqual(['2024-02-29', '2024-02-01']);
  });

  it('accepts a year together with a period of that year', async () => {
    expect(ids((await list('year=2024&period=2024-02')).items)).toEqual(ids((await list('period=2024-02')).items));
  });

  it.each([
    ['new', (document: InvoiceDocument) => !isDownloaded(document)],
    ['downloaded', isDownloaded],
  ] as const)('lists only %s documents with status', async (status, keep) => {
    const body = await list(`status=${status}`);

    expect(ids(body.items)).toEqual(expected(keep));
    expect(body.items.every((row) => row.downloaded === (status === 'downloaded'))).toBe(true);
  });

  it('sorts oldest first on request, and newest first by default and with sort=newest', async () => {
    expect(ids((await list('sort=oldest')).items)).toEqual(expected(() => true, 'oldest'));
    expect(ids((await list('sort=newest')).items)).toEqual(expected(() => true));
    expect(ids((await list()).items)).toEqual(expected(() => true));
  });

  it('combines year, status and sort', async () => {
    const body = await list('year=2024&status=new&sort=oldest');

    expect(ids(body.items)).toEqual(
      expected((document) => inYear('2024')(document) && !isDownloaded(document), 'oldest'),
    );
    expect(body.items.length).toBeGreaterThan(0);
  });

  it('answers an empty list for a year without documents', async () => {
    expect(await list('year=2023')).toEqual({ items: [] });
  });
});

describe('searching by invoice number', () => {
  it('finds exactly the document with that number, in any year', async () => {
    const target = visible[1] as InvoiceDocument;

    const body = await list(`invoiceNumber=${encodeURIComponent(target.invoiceNumber)}`);

    expect(ids(body.items)).toEqual([target.id]);
    expect(body.nextCursor).toBeUndefined();
  });

  it('applies the other filters to what it finds', async () => {
    const target = visible[1] as InvoiceDocument;
    const number = encodeURIComponent(target.invoiceNumber);

    expect((await list(`invoiceNumber=${number}&year=2022`)).items).toHaveLength(1);
    expect((await list(`invoiceNumber=${number}&year=2024`)).items).toEqual([]);
    expect((await list(`invoiceNumber=${number}&status=downloaded`)).items).toEqual([]);
  });

  it.each([
    ['a held document', 'HELD-1'],
    ["another company's document", 'OTHER-1'],
    ['a number that does not exist', 'NO-SUCH-1'],
  ])('finds nothing for %s', async (_, invoiceNumber) => {
    expect(await list(`invoiceNumber=${invoiceNumber}`)).toEqual({ items: [] });
  });

  it('is no partial match', async () => {
    const target = visible[1] as InvoiceDocument;

    expect((await list(`invoiceNumber=${target.invoiceNumber.slice(0, -1)}`)).items).toEqual([]);
  });
});

describe('paging a filtered list', () => {
  it.each([
    ['year=2024&limit=2', inYear('2024'), 'newest'],
    ['status=new&limit=2', (document: InvoiceDocument) => !isDownloaded(document), 'newest'],
    ['status=downloaded&limit=1&sort=oldest', isDownloaded, 'oldest'],
    [
      'year=2024&status=new&limit=1',
      (document: InvoiceDocument) => inYear('2024')(document) && !isDownloaded(document),
      'newest',
    ],
    [
      'period=2024-02&limit=1&sort=oldest',
      (document: InvoiceDocument) => document.invoiceDate.startsWith('2024-02'),
      'oldest',
    ],
  ] as const)('%s: every matching document once, in order, no gaps', async (query, keep, order) => {
    const { rows, pages } = await allPages(query);

    expect(ids(rows)).toEqual(expected(keep, order));
    expect(pages).toBeGreaterThan(1);
  });
});

describe('cursors', () => {
  async function firstCursor(query: string): Promise<string> {
    const cursor = (await list(query)).nextCursor;
    if (cursor === undefined) throw new Error(`${query} gave no cursor`);
    return cursor;
  }

  async function expectCursorRefused(query: string): Promise<void> {
    const response = await client.request(path(query));
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; details: { fields: Record<string, string> } } };
    expect(body.error.code).toBe('validation_failed');
    expect(Object.keys(body.error.details.fields)).toEqual(['cursor']);
  }

  it.each([
    ['another year', 'year=2024&limit=2', 'year=2025&limit=2'],
    ['no filter', 'year=2024&limit=2', 'limit=2'],
    ['another status', 'status=new&limit=2', 'status=downloaded&limit=2'],
    ['another order', 'limit=2', 'limit=2&sort=oldest'],
    ['a period within the year', 'year=2024&limit=2', 'period=2024-12&limit=2'],
  ])('refuses a cursor used with %s', async (_, from, to) => {
    const cursor = await firstCursor(from);

    await expectCursorRefused(`${to}&cursor=${cursor}`);
  });

  it('refuses an altered cursor', async () => {
    const cursor = await firstCursor('year=2024&limit=2');
    const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
    const moved = Buffer.from(decoded.replace('2024-', '2019-')).toString('base64url');
    const retagged = Buffer.from(`${'x'.repeat(16)}${decoded.slice(16)}`).toString('base64url');

    await expectCursorRefused(`year=2024&limit=2&cursor=${moved}`);
    await expectCursorRefused(`year=2024&limit=2&cursor=${retagged}`);
    await expectCursorRefused('year=2024&limit=2&cursor=bm90LWEtY3Vyc29y');
  });

  it("refuses a cursor of another company's list, for a contact of both", async () => {
    const both = await fixture.addContact([fixture.customer, fixture.otherCustomer]);
    await fixture.addDocument(fixture.otherCustomer, { invoiceDate: '2024-07-01' });
    const bothClient = clientFor(portal, fixture);
    await bothClient.login(both);
    const page = (await (await bothClient.request(path('limit=1'))).json()) as ListBody;

    const response = await bothClient.request(path(`limit=1&cursor=${page.nextCursor}`, fixture.otherCustomer.id));

    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain('cursor');
  });
});

describe('bad list parameters', () => {
  it.each([
    ['year=24', 'year'],
    ['year=abcd', 'year'],
    ['year=20245', 'year'],
    ['period=2024-13', 'period'],
    ['period=2024-1', 'period'],
    ['period=2024', 'period'],
    ['year=2024&period=2023-05', 'period'],
    ['status=old', 'status'],
    ['status=', 'status'],
    ['sort=asc', 'sort'],
    ['invoiceNumber=F%201', 'invoiceNumber'],
    ['invoiceNumber=F%231', 'invoiceNumber'],
    [`invoiceNumber=${'1'.repeat(41)}`, 'invoiceNumber'],
    ['invoiceNumber=', 'invoiceNumber'],
    ['invoiceNumber=F-1&cursor=abc', 'cursor'],
    ['limit=0', 'limit'],
  ])('answers 400 for %s, naming %s', async (query, field) => {
    const response = await client.request(path(query));

    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { details: { fields: Record<string, string> } } };
    expect(Object.keys(body.error.details.fields)).toEqual([field]);
  });
});

describe('isolation of the filtered list', () => {
  it("never shows another company's documents, whatever the filter", async () => {
    const own = new Set(visible.map((document) => document.id));
    for (const query of ['year=2024', 'period=2024-06', 'status=new', 'year=2023', 'sort=oldest']) {
      const { rows } = await allPages(`${query}&limit=3`);
      expect(rows.every((row) => own.has(row.id))).toBe(true);
    }
  });

  it("gives 404 for another company's list and years, with filters too", async () => {
    for (const url of [
      path('year=2024&status=new', fixture.otherCustomer.id),
      path('invoiceNumber=OTHER-1', fixture.otherCustomer.id),
      `/api/customers/${fixture.otherCustomer.id}/document-years`,
    ]) {
      expect((await client.request(url)).status).toBe(404);
    }
  });

  it('gives 404 for the list and the years of a company without portal access', async () => {
    const closed = await createClinic(portal);
    await closed.addDocument(closed.customer, { invoiceDate: '2024-05-05' });
    const closedClient = clientFor(portal, closed);
    await closedClient.login(closed.contact);
    await closed.scope.customers.put({ ...closed.customer, portalAccess: false });

    const listResponse = await closedClient.request(path('year=2024', closed.customer.id));
    const yearsResponse = await closedClient.request(`/api/customers/${closed.customer.id}/document-years`);

    expect(listResponse.status).toBe(404);
    expect(yearsResponse.status).toBe(404);
  });
});

describe('the years of a list', () => {
  it('are the invoice years with visible documents, newest first, gaps left out', async () => {
    const response = await client.request(`/api/customers/${fixture.customer.id}/document-years`);

    expect(response.status).toBe(200);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    // 2026 has only a withdrawn document, 2023 only the other company's.
    expect(await response.json()).toEqual({ years: [2025, 2024, 2022] });
  });

  it('are none for a company without documents', async () => {
    const empty = await createClinic(portal);
    const emptyClient = clientFor(portal, empty);
    await emptyClient.login(empty.contact);

    const response = await emptyClient.request(`/api/customers/${empty.customer.id}/document-years`);

    expect(await response.json()).toEqual({ years: [] });
  });

  it('need a session', async () => {
    const response = await clientFor(portal, fixture).request(`/api/customers/${fixture.customer.id}/document-years`);

    expect(response.status).toBe(401);
  });
});
