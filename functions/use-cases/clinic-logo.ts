import type { Tenant } from '../domain/identity';
import type { ImageAsset } from '../domain/invoice-basis';
import { checkLogo, type StoredLogo } from '../domain/logo';
import type { TenantScope } from '../domain/ports';
import { sha256Hex } from './sha256';
import {
  type AdminSettingsRequest,
  type ClinicSettings,
  type ClinicSettingsDeps,
  currentTenant,
  saveClinicSettings,
} from './update-clinic-settings';

/**
 * Replaces the clinic's logo with an uploaded file, checked and cleaned first (functions/domain/logo.ts: 413, 415 or
 * 400 naming the problem, and nothing stored). The new bytes are stored under their own key before the tenant record
 * names them, so the portal never names a logo that is not there; the previous one is deleted afterwards (a failed
 * delete leaves an unused object, never a missing logo). Audited like every setting (`settings.changed`, field
 * `logo`: SHA-256, size, type and dimensions before and after).
 */
export async function uploadClinicLogo(
  deps: ClinicSettingsDeps,
  request: AdminSettingsRequest & { readonly bytes: Uint8Array; readonly declaredType: string | undefined },
): Promise<ClinicSettings> {
  const tenant = await currentTenant(deps.scope);
  const logo = await storeLogo(deps.scope, request.bytes, request.declaredType);
  const settings = await saveClinicSettings(deps, request, tenant, withLogo(tenant, logo));
  if (tenant.logo && tenant.logo.sha256 !== logo.sha256) await deps.scope.branding.deleteLogo(tenant.logo.sha256);
  return settings;
}

/** Checks a logo file (functions/domain/logo.ts) and stores it, cleaned, in the branding store; returns its facts. */
export async function storeLogo(
  scope: TenantScope,
  bytes: Uint8Array,
  declaredType: string | undefined,
): Promise<StoredLogo> {
  const checked = checkLogo(bytes, declaredType);
  const logo: StoredLogo = {
    mimeType: checked.mimeType,
    sha256: sha256Hex(checked.bytes),
    sizeBytes: checked.bytes.byteLength,
    width: checked.width,
    height: checked.height,
  };
  await scope.branding.putLogo(logo.sha256, checked.bytes, logo.mimeType);
  return logo;
}

/** Removes the clinic's logo (audited; nothing happens without one). Documents rendered before keep theirs. */
export async function removeClinicLogo(
  deps: ClinicSettingsDeps,
  request: AdminSettingsRequest,
): Promise<ClinicSettings> {
  const tenant = await currentTenant(deps.scope);
  const settings = await saveClinicSettings(deps, request, tenant, withLogo(tenant, undefined));
  if (tenant.logo) await deps.scope.branding.deleteLogo(tenant.logo.sha256);
  return settings;
}

function withLogo(tenant: Tenant, logo: StoredLogo | undefined): Omit<Tenant, 'id'> {
  const { id: _id, logo: _old, ...rest } = tenant;
  return { ...rest, ...(logo ? { logo } : {}) };
}

/**
 * The clinic's logo with its bytes, as the header and rendered documents use it; undefined without one, or when the
 * stored object is missing or does not hash to what the record names (then nothing is served or printed rather than
 * something unchecked).
 */
export async function readClinicLogo(
  scope: TenantScope,
  tenant: Tenant,
): Promise<{ readonly logo: StoredLogo; readonly bytes: Uint8Array } | undefined> {
  const { logo } = tenant;
  if (!logo) return undefined;
  const bytes = await scope.branding.getLogo(logo.sha256);
  if (!bytes || sha256Hex(bytes) !== logo.sha256) return undefined;
  return { logo, bytes };
}

/** The logo as a rendered document embeds it (functions/domain/invoice-basis.ts), or undefined. */
export async function clinicLogoAsset(scope: TenantScope, tenant: Tenant): Promise<ImageAsset | undefined> {
  const read = await readClinicLogo(scope, tenant);
  return read ? { mimeType: read.logo.mimeType, base64: Buffer.from(read.bytes).toString('base64') } : undefined;
}
