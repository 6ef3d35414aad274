import { createHash, randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { ARCHIVE_LIMITS } from '../../functions/domain/archive';
import { readAuditEvents } from '../support/audit-events';
import { type ClinicFixture, clientFor, createClinic, createTestPortal } from '../support/test-portal';

const portal = createTestPortal();
let otherClinic: ClinicFixture;

beforeAll(async () => {
  otherClinic = await createClinic(portal);
});

async function loggedIn(fixture: ClinicFixture, who = fixture.contact) {
  const client = clientFor(portal, fixture);
  await client.login(who);
  return client;
}

type Client = Awaited<ReturnType<typeof loggedIn>>;

interface ArchiveLink {
  url: string;
  fileName: string;
  expiresAt: string;
  documentCount: number;
  sizeBytes: number;
}

interface Manifest {
  createdAt: string;
  files: Array<{ name: string; sizeBytes: number; sha256: string }>;
}

function requestArchive(client: Client, customerId: string, body: unknown, headers: Record<string, string> = {}) {
  return client.request(`/api/customers/${customerId}/document-archives`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/** Fetches the archive through its presigned link and unpacks it; checks the manifest against every file. */
async function downloadArchive(link: ArchiveLink) {
  const response = await fetch(link.url);
  expect(response.status).toBe(200);
  const zip = new Uint8Array(await response.arrayBuffer());
  expect(zip.byteLength).toBe(link.sizeBytes);
  const entries = unzipSync(zip);
  const manifest = JSON.parse(new TextDecoder().decode(entries['manifest.json'])) as Manifest;
  for (const file of manifest.files) {
    const bytes = entries[file.name];
    expect(bytes, file.name).toBeDefined();
    expect(bytes?.byteLength).toBe(file.sizeBytes);
    expect(
      createHash('sha256')
        .update(bytes ?? new Uint8Array())
        .digest('hex'),
    ).toBe(file.sha256);
  }
  expect(Object.keys(entries).sort()).toEqual([...manifest.files.map((file) => file.name), 'manifest.json'].sort());
  return { response, entries, manifest };
}

/** Object keys under the clinic's archive prefix, read from the emulator's folder. */
async function archiveObjects(tenantId: string): Promise<string[]> {
  const { s3Directory, bucket } = inject('emulators');
  const files = await readdir(join(s3Directory, bucket, 'tenants', tenantId), { recursive: true }).catch(() => []);
  return files.filter((file) => file.startsWith('archives') && file.endsWith('._S3rver_object'));
}

async function downloadEvents(fixture: ClinicFixture) {
  const events = await readAuditEvents(fixture.tenantId, portal.clock.now().toISOString().slice(0, 7));
  return events.filter((event) => event.action === 'document.downloaded');
}

describe('downloading a year as one ZIP file', () => {
  it('zips exactly the published PDFs of the year, byte for byte, with a manifest of their SHA-256s', async () => {
    const fixture = await createClinic(portal);
    const march = await fixture.addDocument(fixture.customer, {
      invoiceDate: '2024-03-31',
      invoiceNumber: 'Å-2024-3',
      periodFrom: '2024-03-01',
      periodTo: '2024-03-31',
    });
    const january = await fixture.addDocument(fixture.customer, {
      invoiceDate: '2024-01-31',
      invoiceNumber: 'F-2024-1',
    });
    await fixture.addDocument(fixture.customer, { invoiceDate: '2023-12-31' });
    await fixture.addDocument(fixture.customer, { invoiceDate: '2024-02-29', visibility: 'held' });
    await fixture.addDocument(fixture.otherCustomer, { invoiceDate: '2024-02-29' });
    const client = await loggedIn(fixture);

    const response = await requestArchive(client, fixture.customer.id, { year: 2024 });

    expect(response.status).toBe(200);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    const link = (await response.json()) as ArchiveLink;
    expect(link.fileName).toBe('Fakturaunderlag_Åkeriet-i-Väst-AB_2024.zip');
    expect(link.documentCount).toBe(2);
    expect(new URL(link.url).searchParams.get('X-Amz-Expires')).toBe('60');
    expect(new URL(link.url).pathname).toMatch(
      new RegExp(`/tenants/${fixture.tenantId}/archives/${fixture.customer.id}/[0-9a-f-]{36}\\.zip$`, 'u'),
    );
    const { response: file, entries, manifest } = await downloadArchive(link);
    expect(file.headers.get('content-type')).toBe('application/zip');
    expect(file.headers.get('content-disposition')).toBe(
      `attachment; filename="Fakturaunderlag_Akeriet-i-Vast-AB_2024.zip"; filename*=UTF-8''Fakturaunderlag_%C3%85keriet-i-V%C3%A4st-AB_2024.zip`,
    );
    expect(manifest.files.map((entry) => entry.name)).toEqual([
      'Fakturaunderlag_2024-01_F-2024-1.pdf',
      'Fakturaunderlag_2024-03_Å-2024-3.pdf',
    ]);
    expect(Buffer.from(entries['Fakturaunderlag_2024-01_F-2024-1.pdf'] ?? [])).toEqual(Buffer.from(january.pdf));
    expect(Buffer.from(entries['Fakturaunderlag_2024-03_Å-2024-3.pdf'] ?? [])).toEqual(Buffer.from(march.pdf));
    expect(manifest.files[0]?.sha256).toBe(january.document.contentSha256);
    expect(await archiveObjects(fixture.tenantId)).toHaveLength(1);
  });

  it('records a receipt and an audit event per document, which clears their "new" badge for the company', async () => {
    const fixture = await createClinic(portal);
    const first = await fixture.addDocument(fixture.customer, { invoiceDate: '2024-05-31' });
    const second = await fixture.addDocument(fixture.customer, { invoiceDate: '2024-06-30' });
    const client = await loggedIn(fixture);

    const response = await requestArchive(client, fixture.customer.id, { year: 2024 });

    expect(response.status).toBe(200);
    const events = await downloadEvents(fixture);
    expect(events.map((event) => event.documentId).sort()).toEqual([first.document.id, second.document.id].sort());
    expect(events[0]).toMatchObject({
      actor: { type: 'contact', id: fixture.contact.contact.id },
      customerId: fixture.customer.id,
      details: { disposition: 'archive', archiveId: expect.any(String) },
    });
    const list = (await (await client.request(`/api/customers/${fixture.customer.id}/documents`)).json()) as {
      items: Array<{ downloaded: boolean; lastDownload?: { contactName: string } }>;
    };
    expect(list.items.map((row) => row.downloaded)).toEqual([true, true]);
    expect(list.items[0]?.lastDownload?.contactName).toBe(fixture.contact.contact.name);
  });

  it('says clearly that a year without documents has nothing to download', async () => {
    const fixture = await createClinic(portal);
    await fixture.addDocument(fixture.customer, { invoiceDate: '2024-05-31' });
    const client = await loggedIn(fixture);

    const response = await requestArchive(client, fixture.customer.id, { year: 2019 });

    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({
      error: {
        code: 'archive_empty',
        message: 'There are no documents from 2019 to download.',
        details: { year: 2019 },
      },
    });
    expect(await archiveObjects(fixture.tenantId)).toEqual([]);
  });

  it('gives a link that S3 refuses once its 60 seconds have passed', async () => {
    const fixture = await createClinic(portal);
    await fixture.addDocument(fixture.customer, { invoiceDate: '2024-05-31' });
    const client = await loggedIn(fixture);
    portal.clock.set(new Date(Date.now() - 65_000));

    const response = await requestArchive(client, fixture.customer.id, { year: 2024 });
    portal.clock.set(new Date());

    expect(response.status).toBe(200);
    const link = (await response.json()) as ArchiveLink;
    expect((await fetch(link.url)).status).toBe(403);
  });
});

describe('downloading a selection as one ZIP file', () => {
  it('zips exactly the selected documents', async () => {
    const fixture = await createClinic(portal);
    const chosen = await fixture.addDocument(fixture.customer, { invoiceDate: '2023-11-30' });
    const alsoChosen = await fixture.addDocument(fixture.customer, { invoiceDate: '2024-02-29' });
    await fixture.addDocument(fixture.customer, { invoiceDate: '2024-01-31' });
    const client = await loggedIn(fixture);

    const response = await requestArchive(client, fixture.customer.id, {
      documentIds: [alsoChosen.document.id, chosen.document.id, chosen.document.id],
    });

    expect(response.status).toBe(200);
    const link = (await response.json()) as ArchiveLink;
    expect(link.documentCount).toBe(2);
    expect(link.fileName).toMatch(/^Fakturaunderlag_Åkeriet-i-Väst-AB_\d{4}-\d{2}-\d{2}\.zip$/u);
    const { manifest } = await downloadArchive(link);
    expect(manifest.files.map((file) => file.sha256)).toEqual([
      chosen.document.contentSha256,
      alsoChosen.document.contentSha256,
    ]);
  });

  it.each([
    ['a document of another customer in the same clinic', 'other customer'],
    ['a held document', 'held'],
    ['a document of another clinic', 'other clinic'],
    ['an id that does not exist', 'unknown'],
    ['something that is not an id', 'not an id'],
  ])('answers 404 for the whole request when it includes %s, and writes nothing', async (_, kind) => {
    const fixture = await createClinic(portal);
    const own = await fixture.addDocument(fixture.customer, { invoiceDate: '2024-05-31' });
    const foreignId = {
      'other customer': async () => (await fixture.addDocument(fixture.otherCustomer)).document.id,
      held: async () => (await fixture.addDocument(fixture.customer, { visibility: 'held' })).document.id,
      'other clinic': async () => (await otherClinic.addDocument(otherClinic.customer)).document.id,
      unknown: async () => randomUUID(),
      'not an id': async () => '../../etc/passwd',
    }[kind];
    const client = await loggedIn(fixture);

    const response = await requestArchive(client, fixture.customer.id, {
      documentIds: [own.document.id, await (foreignId as () => Promise<string>)()],
    });

    expect(response.status).toBe(404);
    expect((await response.json()) as unknown).toEqual({
      error: { code: 'not_found', message: 'A selected document was not found.' },
    });
    expect(await downloadEvents(fixture)).toEqual([]);
    expect(await archiveObjects(fixture.tenantId)).toEqual([]);
    expect((await fixture.scope.documents.get(fixture.customer.id, own.document.id))?.firstDownload).toBeUndefined();
  });

  it("answers 404 for another customer's archive, even with that customer's own documents", async () => {
    const fixture = await createClinic(portal);
    const { document } = await fixture.addDocument(fixture.otherCustomer, { invoiceDate: '2024-05-31' });
    const client = await loggedIn(fixture);

    const byIds = await requestArchive(client, fixture.otherCustomer.id, { documentIds: [document.id] });
    const byYear = await requestArchive(client, fixture.otherCustomer.id, { year: 2024 });

    expect(byIds.status).toBe(404);
    expect(byYear.status).toBe(404);
    expect(await downloadEvents(fixture)).toEqual([]);
  });

  it('refuses more documents than the limit, naming the limit and the number asked for', async () => {
    const fixture = await createClinic(portal);
    const client = await loggedIn(fixture);
    const tooMany = Array.from({ length: ARCHIVE_LIMITS.maxDocuments + 1 }, () => randomUUID());

    const response = await requestArchive(client, fixture.customer.id, { documentIds: tooMany });

    expect(response.status).toBe(422);
    const body = (await response.json()) as { error: { code: string; message: string; details: unknown } };
    expect(body.error.code).toBe('archive_too_large');
    expect(body.error.message).toBe(
      `${ARCHIVE_LIMITS.maxDocuments + 1} documents were selected; one ZIP file may hold at most ${ARCHIVE_LIMITS.maxDocuments}. Choose fewer documents.`,
    );
    expect(body.error.details).toEqual({
      maxDocuments: ARCHIVE_LIMITS.maxDocuments,
      requestedDocuments: ARCHIVE_LIMITS.maxDocuments + 1,
    });
  });

  it('refuses documents that together are larger than the limit, naming it in megabytes', async () => {
    const fixture = await createClinic(portal);
    // The recorded size decides, before anything is read: two PDFs recorded as just over half the limit each.
    const half = ARCHIVE_LIMITS.maxBytes / 2 + 1;
    const a = await fixture.addDocument(fixture.customer, { invoiceDate: '2024-05-31', sizeBytes: half });
    const b = await fixture.addDocument(fixture.customer, { invoiceDate: '2024-06-30', sizeBytes: half });
    const client = await loggedIn(fixture);

    const response = await requestArchive(client, fixture.customer.id, { documentIds: [a.document.id, b.document.id] });

    expect(response.status).toBe(422);
    const body = (await response.json()) as { error: { code: string; message: string; details: unknown } };
    expect(body.error.code).toBe('archive_too_large');
    expect(body.error.message).toContain('at most 200 MB');
    expect(body.error.details).toEqual({ maxBytes: ARCHIVE_LIMITS.maxBytes, requestedBytes: 2 * half });
    expect(await archiveObjects(fixture.tenantId)).toEqual([]);
  });

  it.each([[{}], [{ year: '2024' }], [{ year: 2024.5 }], [{ documentIds: [] }], [{ year: 2024, documentIds: [] }]])(
    'answers 400 for %j',
    async (body) => {
      const fixture = await createClinic(portal);
      const client = await loggedIn(fixture);

      const response = await requestArchive(client, fixture.customer.id, body);

      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('validation_failed');
    },
  );

  it('refuses a request from another site', async () => {
    const fixture = await createClinic(portal);
    const client = await loggedIn(fixture);

    const response = await requestArchive(
      client,
      fixture.customer.id,
      { year: 2024 },
      { Origin: 'https://evil.example' },
    );

    expect(response.status).toBe(403);
  });

  it('hands out no archive when a stored PDF differs from its recorded SHA-256, and records nothing', async () => {
    const fixture = await createClinic(portal);
    await fixture.addDocument(fixture.customer, { invoiceDate: '2024-05-31' });
    const tampered = await fixture.addDocument(fixture.customer, {
      invoiceDate: '2024-06-30',
      contentSha256: 'f'.repeat(64),
    });
    const client = await loggedIn(fixture);

    const response = await requestArchive(client, fixture.customer.id, { year: 2024 });

    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      error: {
        code: 'archive_integrity_failed',
        message: `The stored file of document ${tampered.document.id} does not match its recorded checksum, so no archive was created. Please contact the clinic.`,
      },
    });
    expect(await downloadEvents(fixture)).toEqual([]);
    expect(await archiveObjects(fixture.tenantId)).toEqual([]);
  });
});

describe('opening a document in the browser', () => {
  it('signs an inline link with the same server-chosen name, and records it as a download', async () => {
    const fixture = await createClinic(portal);
    const { document, pdf } = await fixture.addDocument(fixture.customer, { invoiceNumber: 'Ö-7' });
    const client = await loggedIn(fixture);

    const response = await client.request(
      `/api/customers/${fixture.customer.id}/documents/${document.id}/download?disposition=inline`,
      { method: 'POST' },
    );

    expect(response.status).toBe(200);
    const link = (await response.json()) as { url: string; fileName: string };
    expect(link.fileName).toBe('Fakturaunderlag_2024-01_Ö-7.pdf');
    const file = await fetch(link.url);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toBe(
      `inline; filename="Fakturaunderlag_2024-01_O-7.pdf"; filename*=UTF-8''Fakturaunderlag_2024-01_%C3%96-7.pdf`,
    );
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await file.arrayBuffer())).toEqual(Buffer.from(pdf));
    expect(await downloadEvents(fixture)).toEqual([
      expect.objectContaining({ documentId: document.id, details: { disposition: 'inline' } }),
    ]);
    expect((await fixture.scope.documents.get(fixture.customer.id, document.id))?.firstDownload?.contactId).toBe(
      fixture.contact.contact.id,
    );
  });

  it('cannot be talked into another disposition or file name by the query', async () => {
    const fixture = await createClinic(portal);
    const { document } = await fixture.addDocument(fixture.customer);
    const client = await loggedIn(fixture);
    const path = `/api/customers/${fixture.customer.id}/documents/${document.id}/download`;

    const unknown = await client.request(`${path}?disposition=evil`, { method: 'POST' });
    const named = await client.request(`${path}?fileName=evil.exe&response-content-disposition=x`, {
      method: 'POST',
    });

    expect(unknown.status).toBe(400);
    expect(named.status).toBe(200);
    const link = (await named.json()) as { url: string; fileName: string };
    expect(link.fileName).toMatch(/^Fakturaunderlag_.*\.pdf$/u);
    const file = await fetch(link.url);
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="Fakturaunderlag_/u);
  });
});
