import { checkBranding, deriveTheme, type TenantBranding, type Theme } from '../domain/branding';
import { NotFoundError, ValidationError } from '../domain/errors';
import type { Tenant } from '../domain/identity';
import type { Clock, IdGenerator, TenantScope } from '../domain/ports';
import { checkSessionTimeoutSetting, type SessionTimeoutSetting } from '../domain/session-policy';
import type { AdminPrincipal } from './admin-session';

/** The settings a clinic administrator changes; a field left out stays as it is, `null` clears an optional one. */
export interface ClinicSettingsChange {
  readonly name?: string;
  readonly supportText?: string | null;
  readonly branding?: TenantBranding | null;
  readonly sessionTimeouts?: SessionTimeoutSetting | null;
}

/** The settings as the admin pages show them, with the theme the portal derives from the colours. */
export interface ClinicSettings {
  readonly name: string;
  readonly supportText?: string;
  readonly branding?: TenantBranding;
  readonly sessionTimeouts?: SessionTimeoutSetting;
  /** What contacts see: the clinic's colours made readable (WCAG 2.1 AA) where they were not. */
  readonly theme: Theme;
  /** True when the primary colour was too light or too dark to use as it is and the portal adjusted it. */
  readonly primaryAdjusted: boolean;
}

const MAX_NAME = 120;
const MAX_SUPPORT_TEXT = 1000;

export function clinicSettings(tenant: Tenant): ClinicSettings {
  const theme = deriveTheme(tenant.branding);
  const chosen = tenant.branding?.primaryColor;
  return {
    name: tenant.name,
    ...(tenant.supportText ? { supportText: tenant.supportText } : {}),
    ...(tenant.branding ? { branding: tenant.branding } : {}),
    ...(tenant.sessionTimeouts ? { sessionTimeouts: tenant.sessionTimeouts } : {}),
    theme,
    primaryAdjusted:
      chosen !== undefined && chosen.toLowerCase() !== theme.primary && chosen.toLowerCase() !== theme.link,
  };
}

export async function getClinicSettings(scope: TenantScope): Promise<ClinicSettings> {
  const tenant = await scope.tenant.get();
  if (!tenant) throw new NotFoundError('The clinic');
  return clinicSettings(tenant);
}

/**
 * Changes the clinic's name, support text, colours and contact details, and session timeouts. Everything is checked
 * first (each offending field named, nothing written on any error): colours `#rrggbb`, contact lines short, timeouts
 * within their bounds. The portal never shows the colours raw (./../domain/branding.ts). Audited as
 * `settings.changed` with the names of the fields changed.
 */
export async function updateClinicSettings(
  deps: { readonly scope: TenantScope; readonly clock: Clock; readonly ids: IdGenerator },
  request: { readonly principal: AdminPrincipal; readonly sourceIp: string; readonly change: ClinicSettingsChange },
): Promise<ClinicSettings> {
  const { scope, clock, ids } = deps;
  const tenant = await scope.tenant.get();
  if (!tenant) throw new NotFoundError('The clinic');
  const { change } = request;
  const name = change.name?.trim();
  if (name !== undefined && (name.length === 0 || name.length > MAX_NAME)) {
    throw new ValidationError(`Invalid settings: name must be 1 to ${MAX_NAME} characters.`, {
      fields: { name: `must be 1 to ${MAX_NAME} characters` },
    });
  }
  const supportText = change.supportText === null ? null : change.supportText?.trim();
  if (typeof supportText === 'string' && supportText.length > MAX_SUPPORT_TEXT) {
    throw new ValidationError(`Invalid settings: supportText may be at most ${MAX_SUPPORT_TEXT} characters.`, {
      fields: { supportText: `may be at most ${MAX_SUPPORT_TEXT} characters` },
    });
  }
  const branding = change.branding ? checkBranding(change.branding) : change.branding;
  const sessionTimeouts = change.sessionTimeouts
    ? checkSessionTimeoutSetting(change.sessionTimeouts)
    : change.sessionTimeouts;

  const { id: _id, supportText: oldSupport, branding: oldBranding, sessionTimeouts: oldTimeouts, ...rest } = tenant;
  const keep = <T>(next: T | null | undefined, old: T | undefined) => (next === undefined ? old : (next ?? undefined));
  const nextSupport = keep(supportText === '' ? null : supportText, oldSupport);
  const nextBranding = keep(branding, oldBranding);
  const nextTimeouts = keep(sessionTimeouts, oldTimeouts);
  const updated: Omit<Tenant, 'id'> = {
    ...rest,
    name: name ?? tenant.name,
    ...(nextSupport ? { supportText: nextSupport } : {}),
    ...(nextBranding ? { branding: nextBranding } : {}),
    ...(nextTimeouts ? { sessionTimeouts: nextTimeouts } : {}),
  };
  const changed = (['name', 'supportText', 'branding', 'sessionTimeouts'] as const).filter(
    (field) => JSON.stringify(updated[field]) !== JSON.stringify(tenant[field]),
  );
  if (changed.length === 0) return clinicSettings(tenant);
  await scope.tenant.put(updated);
  await scope.audit.append({
    id: ids.newId(),
    at: clock.now().toISOString(),
    action: 'settings.changed',
    actor: { type: 'admin', id: request.principal.adminId },
    sourceIp: request.sourceIp,
    outcome: 'success',
    details: { fields: changed.join(',') },
  });
  return clinicSettings({ ...updated, id: tenant.id });
}
