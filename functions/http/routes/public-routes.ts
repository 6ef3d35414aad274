import { Hono } from 'hono';
import { deriveTheme } from '../../domain/branding';
import { NotFoundError } from '../../domain/errors';
import type { Tenant } from '../../domain/identity';
import { isImageOfType } from '../../domain/invoice-basis';
import { loginMethodsOf } from '../../domain/login-methods';
import type { StoredLogo } from '../../domain/logo';
import type { TenantScope } from '../../domain/ports';
import { readClinicLogo } from '../../use-cases/clinic-logo';
import type { TenantResponse } from '../api-contract';
import type { AppEnv } from '../app-types';

/** Where the header's logo is served; the hash of the image follows, so a new logo gets a new address. */
const LOGO_PATH = '/tenant/logo';

/**
 * A year, immutable: the address names one version of the logo (its hash), so a browser may keep it as long as it
 * likes; a changed logo is announced by GET /api/tenant under a new address.
 */
const LOGO_CACHE_CONTROL = 'public, max-age=31536000, immutable';

/** The first 64 bits of the SHA-256 of the bytes, hex: enough to tell a clinic's logos apart. */
const logoVersion = (logo: StoredLogo) => logo.sha256.slice(0, 16);

/** The same-origin address of the clinic's logo (for the portal's header and the admin settings page). */
export const logoUrl = (logo: StoredLogo) => `/api${LOGO_PATH}/${logoVersion(logo)}`;

/** A fixed name: nothing an uploader chose ends up in a header. */
const LOGO_FILE_NAMES: Readonly<Record<StoredLogo['mimeType'], string>> = {
  'image/png': 'logo.png',
  'image/jpeg': 'logo.jpg',
};

/** Routes that need a clinic but no login: what the login page shows. */
export function publicTenantRoutes() {
  const tenantOf = async (scope: TenantScope): Promise<Tenant> => {
    const tenant = await scope.tenant.get();
    if (!tenant) throw new NotFoundError('The portal');
    return tenant;
  };
  return new Hono<AppEnv>()
    .get('/tenant', async (c) => {
      const tenant = await tenantOf(c.var.scope);
      const contact = tenant.branding?.contact;
      const body: TenantResponse = {
        name: tenant.name,
        ...(tenant.supportText ? { supportText: tenant.supportText } : {}),
        theme: deriveTheme(tenant.branding),
        ...(contact && Object.keys(contact).length > 0 ? { contact } : {}),
        ...(tenant.logo ? { logoUrl: logoUrl(tenant.logo) } : {}),
        // The login page offers only these; the login routes refuse the others (functions/http/middleware/login-method.ts).
        loginMethods: loginMethodsOf(tenant),
      };
      return c.json(body);
    })
    .get(`${LOGO_PATH}/:hash`, async (c) => {
      const tenant = await tenantOf(c.var.scope);
      // An old hash is a logo the clinic replaced: gone, rather than the new one cached for a year under the old name.
      if (!tenant.logo || logoVersion(tenant.logo) !== c.req.param('hash')) throw new NotFoundError('The logo');
      const stored = await readClinicLogo(c.var.scope, tenant);
      // Checked when uploaded; checked again here, so a browser never gets anything but a PNG or JPEG as an image.
      if (!stored || !isImageOfType(stored.bytes, stored.logo.mimeType)) throw new NotFoundError('The logo');
      c.header('Content-Type', stored.logo.mimeType);
      c.header('Cache-Control', LOGO_CACHE_CONTROL);
      c.header('Content-Disposition', `inline; filename="${LOGO_FILE_NAMES[stored.logo.mimeType]}"`);
      // Opened on its own, the image is a sandboxed document that may load and run nothing (the API's policy for
      // every response: functions/http/middleware/security-headers.ts); nosniff keeps it from being read as anything
      // but its type.
      // Another site must not hot-link a clinic's logo from this origin (nor probe which clinics a host serves).
      c.header('Cross-Origin-Resource-Policy', 'same-origin');
      return c.body(Uint8Array.from(stored.bytes));
    });
}
