import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { deriveTheme } from '../../domain/branding';
import { NotFoundError } from '../../domain/errors';
import type { Tenant } from '../../domain/identity';
import { type ImageAsset, isImageOfType } from '../../domain/invoice-basis';
import type { TenantScope } from '../../domain/ports';
import type { TenantResponse } from '../api-contract';
import type { AppEnv } from '../app-types';

/** Where the header's logo is served; the hash of the image follows, so a new logo gets a new address. */
const LOGO_PATH = '/tenant/logo';

/**
 * A year, immutable: the address names one version of the logo (its hash), so a browser may keep it as long as it
 * likes; a changed logo is announced by GET /api/tenant under a new address.
 */
const LOGO_CACHE_CONTROL = 'public, max-age=31536000, immutable';

interface LogoFile {
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly mimeType: ImageAsset['mimeType'];
  /** The first 64 bits of the SHA-256 of the bytes, hex: enough to tell a clinic's logos apart. */
  readonly hash: string;
}

/**
 * The clinic's logo as the browser gets it, or undefined without one. Only PNG and JPEG exist (ImageAsset): raster
 * images carry no script, which SVG can. Bytes that are not the image their type claims count as no logo, so a
 * browser never receives anything but a real PNG or JPEG under an image type.
 */
function logoFile(tenant: Tenant): LogoFile | undefined {
  if (!tenant.logo) return undefined;
  const bytes = Uint8Array.from(Buffer.from(tenant.logo.base64, 'base64'));
  if (!isImageOfType(bytes, tenant.logo.mimeType)) return undefined;
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  return { bytes, mimeType: tenant.logo.mimeType, hash };
}

/** Routes that need a clinic but no login: what the login page shows. */
export function publicTenantRoutes() {
  const currentTenant = async (scope: TenantScope): Promise<Tenant> => {
    const tenant = await scope.tenant.get();
    if (!tenant) throw new NotFoundError('The portal');
    return tenant;
  };
  return new Hono<AppEnv>()
    .get('/tenant', async (c) => {
      const tenant = await currentTenant(c.var.scope);
      const logo = logoFile(tenant);
      const contact = tenant.branding?.contact;
      const body: TenantResponse = {
        name: tenant.name,
        ...(tenant.supportText ? { supportText: tenant.supportText } : {}),
        theme: deriveTheme(tenant.branding),
        ...(contact && Object.keys(contact).length > 0 ? { contact } : {}),
        ...(logo ? { logoUrl: `/api${LOGO_PATH}/${logo.hash}` } : {}),
      };
      return c.json(body);
    })
    .get(`${LOGO_PATH}/:hash`, async (c) => {
      const logo = logoFile(await currentTenant(c.var.scope));
      // An old hash is a logo the clinic replaced: gone, rather than the new one cached for a year under the old name.
      if (!logo || logo.hash !== c.req.param('hash')) throw new NotFoundError('The logo');
      c.header('Content-Type', logo.mimeType);
      c.header('Cache-Control', LOGO_CACHE_CONTROL);
      // Another site must not hot-link a clinic's logo from this origin (nor probe which clinics a host serves).
      c.header('Cross-Origin-Resource-Policy', 'same-origin');
      return c.body(logo.bytes);
    });
}
