import { createHash, randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AdminSettingsResponse } from '../../functions/http/admin-api-contract';
import type { TenantResponse } from '../../functions/http/api-contract';
import { addAdmin, adminClientFor, json } from '../support/admin-fixture';
import { readAuditEvents } from '../support/audit-events';
import { ingestClient, invoiceBasisBody } from '../support/ingest-client';
import { JPEG_40x24, jpegSegment, jpegWith, pngChunk, pngImage } from '../support/logo-images';
import { type ClinicFixture, clientFor, createClinic, createTestPortal } from '../support/test-portal';

/** Issue 6, the clinic's logo: uploaded from the settings page, checked by content, stored in S3, served safely. */
const portal = createTestPortal();

interface Clinic {
  readonly fixture: ClinicFixture;
  readonly admin: ReturnType<typeof adminClientFor>;
}

async function clinicWithAdmin(): Promise<Clinic> {
  const fixture = await createClinic(portal, 'Logokliniken AB');
  const admin = adminClientFor(portal, fixture);
  await admin.login(await addAdmin(portal, fixture));
  return { fixture, admin };
}

const upload = (clinic: Clinic, bytes: Uint8Array, type = 'image/png', headers: Record<string, string> = {}) =>
  clinic.admin.request('/api/admin/settings/logo', {
    method: 'PUT',
    headers: { 'Content-Type': type, ...headers },
    body: Uint8Array.from(bytes),
  });
const remove = (clinic: Clinic) => clinic.admin.request('/api/admin/settings/logo', { method: 'DELETE' });
const settingsOf = async (clinic: Clinic) =>
  (await (await clinic.admin.request('/api/admin/settings')).json()) as AdminSettingsResponse;
const tenantOf = async (clinic: Clinic) =>
  (await (await clientFor(portal, clinic.fixture).request('/api/tenant')).json()) as TenantResponse;
const fetchLogo = (clinic: Clinic, url: string) => clientFor(portal, clinic.fixture).request(url);
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const settingsEvents = async (clinic: Clinic) =>
  (await readAuditEvents(clinic.fixture.tenantId, portal.clock.now().toISOString().slice(0, 7))).filter(
    (event) => event.action === 'settings.changed',
  );
const errorOf = async (response: Response) =>
  ((await response.json()) as { error: { code: string; message: string; details?: Record<string, unknown> } }).error;

describe('uploading a logo', () => {
  it('takes a PNG, stores it without its metadata or trailing bytes, and the portal header shows it', async () => {
    const clinic = await clinicWithAdmin();
    const clean = pngImage(120, 40);
    const uploaded = pngImage(120, 40, {
      beforeImage: [pngChunk('tEXt', Buffer.from('Author\0Anna Andersson')), pngChunk('tIME', Buffer.alloc(7))],
      after: Buffer.from('<script>alert(1)</script>'),
    });

    const response = await upload(clinic, uploaded);
    const settings = (await response.json()) as AdminSettingsResponse;
    const { logoUrl } = await tenantOf(clinic);
    const served = await fetchLogo(clinic, logoUrl ?? '');

    expect(response.status).toBe(200);
    expect(settings.logo).toEqual({
      url: logoUrl,
      mimeType: 'image/png',
      sizeBytes: clean.byteLength,
      width: 120,
      height: 40,
    });
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer())).toEqual(clean);
    expect(served.headers.get('Content-Type')).toBe('image/png');
    expect(served.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(served.headers.get('Content-Security-Policy')).toMatch(/^default-src 'none';.*; sandbox$/u);
    expect(served.headers.get('Content-Disposition')).toBe('inline; filename="logo.png"');
  });

  it('takes a JPEG and drops its EXIF and comments; the audit event names hashes and sizes, never the bytes', async () => {
    const clinic = await clinicWithAdmin();
    const uploaded = jpegWith(JPEG_40x24, [
      jpegSegment(0xe1, Buffer.from('Exif\0\0GPS 63.8258 N 20.2630 E')),
      jpegSegment(0xfe, Buffer.from('Skapad av Anna')),
    ]);

    const response = await upload(clinic, uploaded, 'image/jpeg');
    const { logoUrl } = await tenantOf(clinic);
    const served = await fetchLogo(clinic, logoUrl ?? '');
    const [event] = await settingsEvents(clinic);

    expect(response.status).toBe(200);
    expect((await response.json()) as AdminSettingsResponse).toMatchObject({
      logo: { mimeType: 'image/jpeg', width: 40, height: 24, sizeBytes: JPEG_40x24.byteLength },
    });
    expect(Buffer.from(await served.arrayBuffer())).toEqual(JPEG_40x24);
    expect(served.headers.get('Content-Type')).toBe('image/jpeg');
    expect(served.headers.get('Content-Disposition')).toBe('inline; filename="logo.jpg"');
    expect(event?.details?.fields).toBe('logo');
    expect(JSON.parse(String(event?.details?.before))).toEqual({ logo: null });
    expect(JSON.parse(String(event?.details?.after))).toEqual({
      logo: {
        mimeType: 'image/jpeg',
        sha256: sha256(JPEG_40x24),
        sizeBytes: JPEG_40x24.byteLength,
        width: 40,
        height: 24,
      },
    });
    expect(JSON.stringify(event)).not.toContain(JPEG_40x24.toString('base64').slice(0, 40));
  });

  it('replaces the logo: a new address, the old one gone from the portal and from the store', async () => {
    const clinic = await clinicWithAdmin();
    await upload(clinic, pngImage(32, 32));
    const before = await settingsOf(clinic);
    const oldSha = sha256(pngImage(32, 32));

    const response = await upload(clinic, JPEG_40x24, 'image/jpeg');
    const after = await settingsOf(clinic);

    expect(response.status).toBe(200);
    expect(after.logo?.url).not.toBe(before.logo?.url);
    expect((await fetchLogo(clinic, before.logo?.url ?? '')).status).toBe(404);
    expect((await fetchLogo(clinic, after.logo?.url ?? '')).status).toBe(200);
    expect(await clinic.fixture.scope.branding.getLogo(oldSha)).toBeUndefined();
  });

  it('prints the uploaded logo on the invoice bases rendered afterwards', async () => {
    const clinic = await clinicWithAdmin();
    const ingest = await ingestClient(portal, clinic.fixture);
    const render = async () => {
      const received = await ingest.request('/invoice-bases', {
        body: invoiceBasisBody(clinic.fixture.customer.customerNumber, { invoiceNumber: `L-${randomUUID()}` }),
      });
      expect(received.status).toBe(202);
      const { documentId } = (await received.json()) as { documentId: string };
      await portal.renderQueue.idle();
      const document = await clinic.fixture.scope.documents.get(clinic.fixture.customer.id, documentId);
      expect(document?.status).toBe('ready');
      const pdf = await clinic.fixture.scope.documentStore.get(clinic.fixture.customer.id, documentId);
      return Buffer.from(pdf ?? []).toString('latin1');
    };
    const withoutLogo = await render();
    expect((await upload(clinic, pngImage(200, 80))).status).toBe(200);

    const withLogo = await render();

    expect(withoutLogo).not.toMatch(/\/Subtype \/Image/u);
    expect(withLogo).toMatch(/\/Subtype \/Image/u);
    expect(withLogo).toMatch(/\/Width 200/u);
  });
});

describe('a logo that is refused, with nothing changed', () => {
  let clinic: Clinic;
  let before: AdminSettingsResponse;

  beforeAll(async () => {
    clinic = await clinicWithAdmin();
    await upload(clinic, JPEG_40x24, 'image/jpeg');
    before = await settingsOf(clinic);
  });

  const expectUnchanged = async () => {
    expect(await settingsOf(clinic)).toEqual(before);
    expect((await fetchLogo(clinic, before.logo?.url ?? '')).status).toBe(200);
  };

  it('413 for a file over 512 KB, naming the limit: announced by Content-Length or only found while reading', async () => {
    const oversized = pngImage(20, 20, { after: Buffer.alloc(600 * 1024) });

    const streamed = await upload(clinic, oversized);
    const announced = await upload(clinic, oversized, 'image/png', { 'Content-Length': String(oversized.byteLength) });

    for (const response of [streamed, announced]) {
      expect(response.status).toBe(413);
      expect(await errorOf(response)).toMatchObject({
        code: 'payload_too_large',
        message: expect.stringContaining('512 KB'),
      });
    }
    await expectUnchanged();
  });

  it('415 for a file that is no image, whatever type it claims', async () => {
    const html = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>');

    const asPng = await upload(clinic, html, 'image/png');
    const asSvg = await upload(clinic, html, 'image/svg+xml');
    const asText = await upload(clinic, Buffer.from('hej'), 'text/plain');

    expect(asPng.status).toBe(415);
    expect(await errorOf(asPng)).toMatchObject({
      code: 'unsupported_image_type',
      message: expect.stringContaining('not a PNG or JPEG'),
    });
    expect(asSvg.status).toBe(415);
    expect((await errorOf(asSvg)).message).toContain('image/svg+xml');
    expect(asText.status).toBe(415);
    await expectUnchanged();
  });

  it('415 for a JPEG sent as a PNG', async () => {
    const response = await upload(clinic, JPEG_40x24, 'image/png');

    expect(response.status).toBe(415);
    expect((await errorOf(response)).message).toBe('The logo was sent as image/png but its content is image/jpeg.');
    await expectUnchanged();
  });

  it('400 for a broken PNG: a damaged chunk, or a file cut short', async () => {
    const damaged = pngImage(32, 32);
    damaged[damaged.length - 20] = (damaged[damaged.length - 20] ?? 0) ^ 0xff;
    const cut = pngImage(32, 32).subarray(0, 60);

    const damagedResponse = await upload(clinic, damaged);
    const cutResponse = await upload(clinic, cut);

    expect(damagedResponse.status).toBe(400);
    expect(await errorOf(damagedResponse)).toMatchObject({
      code: 'validation_failed',
      details: {
        fields: { logo: expect.stringMatching(/^is not a valid PNG image: the IDAT chunk's checksum is wrong/u) },
      },
    });
    expect(cutResponse.status).toBe(400);
    expect((await errorOf(cutResponse)).message).toMatch(/not a valid PNG image: the IDAT chunk is cut off/u);
    await expectUnchanged();
  });

  it('400 for a broken JPEG, and for one that ends before its image', async () => {
    const noImage = Buffer.from([0xff, 0xd8, 0xff, 0xd9]);
    const truncated = JPEG_40x24.subarray(0, 300);

    const noImageResponse = await upload(clinic, noImage, 'image/jpeg');
    const truncatedResponse = await upload(clinic, truncated, 'image/jpeg');

    expect(noImageResponse.status).toBe(400);
    expect((await errorOf(noImageResponse)).message).toMatch(/not a valid JPEG image/u);
    expect(truncatedResponse.status).toBe(400);
    expect((await errorOf(truncatedResponse)).message).toMatch(/not a valid JPEG image/u);
    await expectUnchanged();
  });

  it('400 for dimensions outside 16×16 to 2000×2000, naming them', async () => {
    const tiny = await upload(clinic, pngImage(8, 8));
    const wide = await upload(clinic, pngImage(2400, 20));

    expect(tiny.status).toBe(400);
    expect(await errorOf(tiny)).toMatchObject({
      details: { fields: { logo: 'must be 16×16 to 2000×2000 pixels, not 8×8' } },
    });
    expect(wide.status).toBe(400);
    expect((await errorOf(wide)).message).toContain('not 2400×20');
    await expectUnchanged();
  });

  it('writes no audit event for any of them', async () => {
    const events = await settingsEvents(clinic);

    expect(events).toHaveLength(1);
  });
});

describe('removing the logo', () => {
  it('takes it off the portal and out of the store, audited', async () => {
    const clinic = await clinicWithAdmin();
    await upload(clinic, pngImage(64, 64));
    const { logo } = await settingsOf(clinic);

    const response = await remove(clinic);
    const [, removal] = await settingsEvents(clinic);

    expect(response.status).toBe(200);
    expect(await response.json()).not.toHaveProperty('logo');
    expect(await tenantOf(clinic)).not.toHaveProperty('logoUrl');
    expect((await fetchLogo(clinic, logo?.url ?? '')).status).toBe(404);
    expect(await clinic.fixture.scope.branding.getLogo(sha256(pngImage(64, 64)))).toBeUndefined();
    expect(removal?.details).toMatchObject({ fields: 'logo', after: '{"logo":null}' });
  });
});

describe('who may', () => {
  it("refuses a contact's session and a request without one", async () => {
    const clinic = await clinicWithAdmin();
    const contact = clientFor(portal, clinic.fixture);
    await contact.login(clinic.fixture.contact);

    const asContact = await contact.request('/api/admin/settings/logo', {
      method: 'PUT',
      headers: { 'Content-Type': 'image/png' },
      body: Uint8Array.from(pngImage(32, 32)),
    });
    const anonymous = await clientFor(portal, clinic.fixture).request('/api/admin/settings/logo', {
      method: 'DELETE',
    });

    expect(asContact.status).toBe(401);
    expect(anonymous.status).toBe(401);
  });

  it('keeps the small limit for every other request body', async () => {
    const clinic = await clinicWithAdmin();

    const response = await clinic.admin.request(
      '/api/admin/settings',
      json({ supportText: 'x'.repeat(40 * 1024) }, { method: 'PUT' }),
    );

    expect(response.status).toBe(413);
  });
});
