import { checkBranding, deriveTheme, type TenantBranding, type Theme } from '../domain/branding';
import { NotFoundError, ValidationError } from '../domain/errors';
import type { PublishingRule, Tenant } from '../domain/identity';
import { checkLoginMethods, type LoginMethods, loginMethodsOf } from '../domain/login-methods';
import type { StoredLogo } from '../domain/logo';
import type { Clock, IdGenerator, TenantScope } from '../domain/ports';
import { checkSessionTimeoutSetting, type SessionTimeoutSetting } from '../domain/session-policy';
import type { AdminPrincipal } from './admin-session';

/** The settings a clinic administrator changes; a field left out stays as it is, `null` clears an optional one. */
export interface ClinicSettingsChange {
  readonly name?: string;
  readonly supportText?: string | null;
  readonly branding?: TenantBranding | null;
  readonly sessionTimeouts?: SessionTimeoutSetting | null;
  readonly loginMethods?: LoginMethods;
  readonly defaultPublishing?: PublishingRule;
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
  /** The logo's facts (never its bytes: the portal serves those at an address of their own). */
  readonly logo?: StoredLogo;
  readonly loginMethods: LoginMethods;
  readonly defaultPublishing: PublishingRule;
}

export interface ClinicSettingsDeps {
  readonly scope: TenantScope;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

export interface AdminSettingsRequest {
  readonly principal: AdminPrincipal;
  readonly sourceIp: string;
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
    ...(tenant.logo ? { logo: tenant.logo } : {}),
    loginMethods: loginMethodsOf(tenant),
    defaultPublishing: tenant.defaultPublishing ?? 'automatic',
  };
}

export async function currentTenant(scope: TenantScope): Promise<Tenant> {
  const tenant = await scope.tenant.get();
  if (!tenant) throw new NotFoundError('The clinic');
  return tenant;
}

export async function getClinicSettings(scope: TenantScope): Promise<ClinicSettings> {
  return clinicSettings(await currentTenant(scope));
}

/**
 * Changes the clinic's name, support text, colours and contact details, session timeouts, contacts' login methods
 * and the default publishing rule of new customers. Everything is checked first (each offending field named,
 * nothing written on any error): colours `#rrggbb`, contact lines short, timeouts within their bounds, at least one
 * login method on. The portal never shows the colours raw (./../domain/branding.ts). Audited by
 * {@link saveClinicSettings}.
 */
export async function updateClinicSettings(
  deps: ClinicSettingsDeps,
  request: AdminSettingsRequest & { readonly change: ClinicSettingsChange },
): Promise<ClinicSettings> {
  const tenant = await currentTenant(deps.scope);
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
  const loginMethods = change.loginMethods ? checkLoginMethods(change.loginMethods) : undefined;

  const {
    id: _id,
    supportText: oldSupport,
    branding: oldBranding,
    sessionTimeouts: oldTimeouts,
    loginMethods: oldLoginMethods,
    defaultPublishing: oldDefaultPublishing,
    ...rest
  } = tenant;
  const keep = <T>(next: T | null | undefined, old: T | undefined) => (next === undefined ? old : (next ?? undefined));
  const nextSupport = keep(supportText === '' ? null : supportText, oldSupport);
  const nextBranding = keep(branding, oldBranding);
  const nextTimeouts = keep(sessionTimeouts, oldTimeouts);
  const nextLoginMethods = loginMethods ?? oldLoginMethods;
  const nextDefaultPublishing = change.defaultPublishing ?? oldDefaultPublishing;
  return saveClinicSettings(deps, request, tenant, {
    ...rest,
    name: name ?? tenant.name,
    ...(nextSupport ? { supportText: nextSupport } : {}),
    ...(nextBranding ? { branding: nextBranding } : {}),
    ...(nextTimeouts ? { sessionTimeouts: nextTimeouts } : {}),
    ...(nextLoginMethods ? { loginMethods: nextLoginMethods } : {}),
    ...(nextDefaultPublishing ? { defaultPublishing: nextDefaultPublishing } : {}),
  });
}

/** The settings an administrator changes, as the audit trail compares them. */
const AUDITED_FIELDS = [
  'name',
  'supportText',
  'branding',
  'sessionTimeouts',
  'loginMethods',
  'defaultPublishing',
  'logo',
] as const;
type AuditedField = (typeof AUDITED_FIELDS)[number];

/** What the audit trail records of a setting: its value as in force (defaults filled in). A logo is its facts only. */
function auditedValue(tenant: Omit<Tenant, 'id'>, field: AuditedField): unknown {
  if (field === 'loginMethods') return loginMethodsOf(tenant);
  if (field === 'defaultPublishing') return tenant.defaultPublishing ?? 'automatic';
  return tenant[field] ?? null;
}

/**
 * Stores the clinic's changed settings and records one audit event, `settings.changed`, under the administrator:
 * the names of the fields that changed, and their values before and after (JSON). The logo appears as its SHA-256,
 * size, type and dimensions, never its bytes. A change that changes nothing writes nothing and is not audited.
 */
export async function saveClinicSettings(
  deps: ClinicSettingsDeps,
  request: AdminSettingsRequest,
  before: Tenant,
  after: Omit<Tenant, 'id'>,
): Promise<ClinicSettings> {
  const { scope, clock, ids } = deps;
  const changed = AUDITED_FIELDS.filter(
    (field) => JSON.stringify(auditedValue(after, field)) !== JSON.stringify(auditedValue(before, field)),
  );
  if (changed.length === 0) return clinicSettings(before);
  await scope.tenant.put(after);
  const values = (tenant: Omit<Tenant, 'id'>) =>
    JSON.stringify(Object.fromEntries(changed.map((field) => [field, auditedValue(tenant, field)])));
  await scope.audit.append({
    id: ids.newId(),
    at: clock.now().toISOString(),
    action: 'settings.changed',
    actor: { type: 'admin', id: request.principal.adminId },
    sourceIp: request.sourceIp,
    outcome: 'success',
    details: { fields: changed.join(','), before: values(before), after: values(after) },
  });
  return clinicSettings({ ...after, id: before.id });
}
