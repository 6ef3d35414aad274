import { Hono } from 'hono';
import * as z from 'zod/mini';
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

const response = (settings: ClinicSettings): AdminSettingsResponse => settings;

/** The clinic's settings for its administrators (functions/use-cases/update-clinic-settings.ts). */
export function adminSettingsRoutes(deps: AppDeps) {
  const requireAdmin = authenticateAdministrator(deps);
  return new Hono<AppEnv>()
    .get('/admin/settings', requireAdmin, async (c) => c.json(response(await getClinicSettings(c.var.scope))))
    .put('/admin/settings', requireAdmin, async (c) => {
      const change = withoutUndefined(await parseJsonBody(c, settingsBody)) as ClinicSettingsChange;
      const settings = await updateClinicSettings(
        { scope: c.var.scope, clock: deps.clock, ids: deps.ids },
        { principal: c.var.adminPrincipal, sourceIp: c.var.requestInfo.sourceIp, change },
      );
      return c.json(response(settings));
    });
}
