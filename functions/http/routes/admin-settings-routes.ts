import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import * as z from 'zod/mini';
import { PayloadTooLargeError } from '../../domain/errors';
import { LOGO_LIMITS } from '../../domain/logo';
import { removeClinicLogo, uploadClinicLogo } from '../../use-cases/clinic-logo';
import {
  type ClinicSettings,
  type ClinicSettingsChange,
  getClinicSettings,
  updateClinicSettings,
} from '../../use-cases/update-clinic-settings';
import type { AdminSettingsResponse } from '../admin-api-contract';
import type { AppDeps, AppEnv } from '../app-types';
import { authenticateAdministrator } from '../middleware/authenticate';
import { parseJsonBody } from '../validation';
import { logoUrl } from './public-routes';

/**
 * The one route of the portal API that takes a file: the body is the image itself (`Content-Type: image/png` or
 * `image/jpeg`), up to {@link LOGO_LIMITS.maxBytes}; every other request body is limited to a few KB
 * (functions/http/create-app.ts).
 */
export const LOGO_UPLOAD_PATH = '/admin/settings/logo';

const line = z.optional(z.string().check(z.maxLength(1000)));
const settingsBody = z.object({
  name: z.optional(z.string().check(z.maxLength(200))),
  supportText: z.optional(z.nullable(z.string().check(z.maxLength(2000)))),
  branding: z.optional(
    z.nullable(
      z.object({
        primaryColor: line,
        accentColor: line,
        contact: z.optional(z.object({ phone: line, email: line, openingHours: line })),
      }),
    ),
  ),
  // The bounds are the domain's (functions/domain/session-policy.ts), which names them in its error.
  sessionTimeouts: z.optional(
    z.nullable(z.object({ idleMinutes: z.optional(z.number()), absoluteHours: z.optional(z.number()) })),
  ),
  // That at least one stays on is the domain's rule (functions/domain/login-methods.ts).
  loginMethods: z.optional(z.object({ bankId: z.boolean(), password: z.boolean() })),
  defaultPublishing: z.optional(z.enum(['automatic', 'approval'])),
});

/**
 * The body without the keys zod left `undefined` (at every depth): the domain's types are exact about optional
 * fields, and its checks validate every value that is there.
 */
function withoutUndefined(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, entry]) => entry !== undefined)
      .map(([key, entry]) => [key, withoutUndefined(entry)]),
  );
}

const response = ({ logo, ...settings }: ClinicSettings): AdminSettingsResponse => ({
  ...settings,
  ...(logo
    ? {
        logo: {
          url: logoUrl(logo),
          mimeType: logo.mimeType,
          sizeBytes: logo.sizeBytes,
          width: logo.width,
          height: logo.height,
        },
      }
    : {}),
});

const tooLargeLogo = (): never => {
  throw new PayloadTooLargeError(
    `The logo may be at most ${LOGO_LIMITS.maxBytes / 1024} KB (${LOGO_LIMITS.maxBytes} bytes); this file is larger.`,
  );
};

/** The clinic's settings for its administrators (functions/use-cases/update-clinic-settings.ts). */
export function adminSettingsRoutes(deps: AppDeps) {
  const requireAdmin = authenticateAdministrator(deps);
  const settingsDeps = (c: Context<AppEnv>) => ({ scope: c.var.scope, clock: deps.clock, ids: deps.ids });
  const adminRequest = (c: Context<AppEnv>) => ({
    principal: c.var.adminPrincipal,
    sourceIp: c.var.requestInfo.sourceIp,
  });
  return (
    new Hono<AppEnv>()
      .get('/admin/settings', requireAdmin, async (c) => c.json(response(await getClinicSettings(c.var.scope))))
      .put('/admin/settings', requireAdmin, async (c) => {
        const change = withoutUndefined(await parseJsonBody(c, settingsBody)) as ClinicSettingsChange;
        const settings = await updateClinicSettings(settingsDeps(c), { ...adminRequest(c), change });
        return c.json(response(settings));
      })
      // Refused before it is read past the limit (by Content-Length, or while streaming a body without one).
      .put(
        LOGO_UPLOAD_PATH,
        requireAdmin,
        bodyLimit({ maxSize: LOGO_LIMITS.maxBytes, onError: tooLargeLogo }),
        async (c) => {
          const bytes = new Uint8Array(await c.req.arrayBuffer());
          const settings = await uploadClinicLogo(settingsDeps(c), {
            ...adminRequest(c),
            bytes,
            declaredType: c.req.header('Content-Type'),
          });
          return c.json(response(settings));
        },
      )
      .delete(LOGO_UPLOAD_PATH, requireAdmin, async (c) =>
        c.json(response(await removeClinicLogo(settingsDeps(c), adminRequest(c)))),
      )
  );
}
