import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { deriveTheme } from '../../functions/domain/branding';
import type { Tenant } from '../../functions/domain/identity';
import type { StoredLogo } from '../../functions/domain/logo';
import type { TenantResponse } from '../../functions/http/api-contract';
import { type ClinicFixture, clientFor, createClinic, createTestPortal } from '../support/test-portal';

const portal = createTestPortal();
/** A 1×1 PNG. */
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const OTHER_PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';

let plain: ClinicFixture;
let branded: ClinicFixture;

beforeAll(async () => {
  [plain, branded] = await Promise.all([createClinic(portal, 'Neutrala kliniken AB'), createClinic(portal)]);
  await rebrand(branded, {
    branding: {
      primaryColor: '#ffff00',
      accentColor: '#777777',
      contact: { phone: '08-123 456 78', email: 'kundtjanst@klinik.example', openingHours: 'Vardagar 8–16' },
    },
    logo: await storedLogo(branded, PNG_BASE64),
  });
});

/** Puts bytes straight into the clinic's branding store (uploads and their checks have tests of their own). */
async function storedLogo(clinic: ClinicFixture, base64: string): Promise<StoredLogo> {
  const bytes = Buffer.from(base64, 'base64');
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  await clinic.scope.branding.putLogo(sha256, bytes, 'image/png');
  return { mimeType: 'image/png', sha256, sizeBytes: bytes.byteLength, width: 1, height: 1 };
}

async function rebrand(clinic: ClinicFixture, change: Partial<Omit<Tenant, 'id'>>): Promise<void> {
  const tenant = await clinic.scope.tenant.get();
  if (!tenant) throw new Error('The fixture clinic has no tenant record.');
  const { id: _id, ...rest } = tenant;
  await clinic.scope.tenant.put({ ...rest, ...change });
}

async function tenantOf(clinic: ClinicFixture): Promise<TenantResponse> {
  const response = await clientFor(portal, clinic).request('/api/tenant');
  expect(response.status).toBe(200);
  return (await response.json()) as TenantResponse;
}

describe('GET /api/tenant', () => {
  it('gives a clinic without branding the neutral theme, and neither contact details nor a logo', async () => {
    expect(await tenantOf(plain)).toEqual({
      name: 'Neutrala kliniken AB',
      theme: deriveTheme(undefined),
      loginMethods: { bankId: true, password: true },
    });
  });

  it("gives the theme derived from the clinic's colours (never the raw ones), its contact details and its logo", async () => {
    const body = await tenantOf(branded);

    expect(body.theme).toEqual(deriveTheme({ primaryColor: '#ffff00', accentColor: '#777777' }));
    // Yellow links on white would be unreadable: the link colour is the derived one.
    expect(body.theme.link).not.toBe('#ffff00');
    expect(body.contact).toEqual({
      phone: '08-123 456 78',
      email: 'kundtjanst@klinik.example',
      openingHours: 'Vardagar 8–16',
    });
    expect(body.logoUrl).toMatch(/^\/api\/tenant\/logo\/[0-9a-f]{16}$/u);
  });
});

describe('GET /api/tenant/logo/<hash>', () => {
  it('serves the logo as the image it is, cached for a year, not sniffable and not for other sites', async () => {
    const { logoUrl } = await tenantOf(branded);
    const response = await clientFor(portal, branded).request(logoUrl ?? '');

    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('image/png');
    expect(response.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(response.headers.get('Cross-Origin-Resource-Policy')).toBe('same-origin');
    expect(response.headers.get('Content-Security-Policy')).toMatch(/^default-src 'none';.*; sandbox$/u);
    expect(response.headers.get('Content-Disposition')).toBe('inline; filename="logo.png"');
    expect(Buffer.from(await response.arrayBuffer())).toEqual(Buffer.from(PNG_BASE64, 'base64'));
  });

  it('moves to a new address when the logo changes; the old one is gone', async () => {
    const clinic = await createClinic(portal);
    await rebrand(clinic, { logo: await storedLogo(clinic, PNG_BASE64) });
    const before = (await tenantOf(clinic)).logoUrl ?? '';
    await rebrand(clinic, { logo: await storedLogo(clinic, OTHER_PNG_BASE64) });
    const after = (await tenantOf(clinic)).logoUrl ?? '';

    expect(after).not.toBe(before);
    expect((await clientFor(portal, clinic).request(after)).status).toBe(200);
    const old = await clientFor(portal, clinic).request(before);
    expect(old.status).toBe(404);
    expect(old.headers.get('Cache-Control')).toBe('no-store');
  });

  it("is 404 for a clinic without a logo, and for another clinic's logo address", async () => {
    const { logoUrl } = await tenantOf(branded);

    expect((await clientFor(portal, plain).request('/api/tenant/logo/0123456789abcdef')).status).toBe(404);
    expect((await clientFor(portal, plain).request(logoUrl ?? '')).status).toBe(404);
  });

  it('treats bytes that are not the image their type claims as no logo: never served under an image type', async () => {
    const clinic = await createClinic(portal);
    const html = Buffer.from('<svg onload="alert(1)"></svg>').toString('base64');
    await rebrand(clinic, { logo: await storedLogo(clinic, html) });
    const response = await clientFor(portal, clinic).request((await tenantOf(clinic)).logoUrl ?? '');

    expect(response.status).toBe(404);
    expect(response.headers.get('Content-Type')).toMatch(/^application\/json/u);
  });
});
