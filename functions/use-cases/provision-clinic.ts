import type { ClinicAdmin } from '../domain/clinic-admin';
import { hostProblem, originProblem, slugProblem } from '../domain/clinic-provisioning';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors';
import { type Actor, type ClinicStatus, clinicStatusOf, type Tenant } from '../domain/identity';
import { DEFAULT_LOGIN_METHODS } from '../domain/login-methods';
import { checkOrganisationNumber } from '../domain/organisation-number';
import type { Clock, IdGenerator, Mailer, TenantDirectory, TenantScope, TenantScopeFactory } from '../domain/ports';
import { createApiKey, type IssuedApiKey, listApiKeys, unusableReason } from './ingest/manage-api-keys';
import { checkedNewAdmin, createClinicAdmin, findClinicAdmin, inviteClinicAdmin } from './manage-clinic-admins';
import { mapWithConcurrency } from './map-with-concurrency';
import type { IssuedPasswordLink } from './password-links';

export interface ProvisionClinicDeps {
  readonly directory: TenantDirectory;
  readonly scopeFor: TenantScopeFactory;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly mailer: Mailer;
}

export interface ProvisionClinicInput {
  readonly name: string;
  readonly slug: string;
  /**
   * The host the clinic answers on; by default, on the local portal, `<slug>.localhost` (see
   * {@link localClinicHost}). Required otherwise.
   */
  readonly host?: string;
  /**
   * The clinic's origin (scheme, host, port) for links in mails; by default the local portal's scheme and port on the
   * clinic's host, or `https://<host>`.
   */
  readonly origin?: string;
  /** Where the running local portal answers (`http://localhost:3000`), when provisioning there. */
  readonly localPortalUrl?: string;
  readonly orgNumber?: string;
  /** The clinic's postal address, printed on its invoice bases. */
  readonly addressLines?: readonly string[];
  readonly admin: { readonly email: string; readonly name: string };
  /** The name of the first ingest API key. */
  readonly apiKeyName: string;
  /**
   * The id the deployment has given the clinic: a silo clinic's (SILO_CLINICS, from the stage config), whose
   * resources and IAM policies name it. Undefined: a new id, or the one an earlier run claimed.
   */
  readonly tenantId?: string;
  /** The operator. */
  readonly by: Extract<Actor, { type: 'operator' }>;
}

export interface ProvisionedClinic {
  readonly tenant: Tenant;
  readonly host: string;
  /** False when this run found the clinic made by an earlier run (and only completed what was missing). */
  readonly created: boolean;
  readonly admin: ClinicAdmin;
  /** Undefined when the administrator had already set their password (an earlier run's invitation was used). */
  readonly invitation?: IssuedPasswordLink;
  /** The new key (shown once), or the clinic's usable key from an earlier run, which cannot be shown again. */
  readonly apiKey: { readonly issued: IssuedApiKey } | { readonly existingKeyId: string };
}

/** How many clinic records are read at a time when looking for a slug. */
const LOOKUP_CONCURRENCY = 8;

/**
 * Provisions a clinic (`npm run tenant -- create`): its host in the directory, its record with default settings and
 * portal origin, its first administrator with an invitation mail, and a first ingest API key.
 *
 * Everything is checked before anything is written (ValidationError naming each bad field; ConflictError
 * `host_taken` / `slug_taken` when another clinic has them). A run that stopped halfway is completed by the same
 * command again, without duplicates, because every step first looks for what an earlier run made:
 * 1. the host is claimed first, by a conditional write that only this clinic's id can repeat; a re-run finds the id
 *    through the host, so the clinic keeps one id whatever step failed;
 * 2. the record is written only if the clinic has none (a found record is left as it is, settings included);
 * 3. the administrator is created only if the clinic has none with the address; one who has not set a password yet
 *    gets a fresh invitation (the earlier mail may never have gone out; the earlier link stops working);
 * 4. a key is issued only if the clinic has no usable one. A key from an earlier run cannot be shown again (only its
 *    hash is stored): the answer names it, to be rotated with `npm run apikey -- rotate` if it was never copied.
 * Until step 2 the host answers 404 (resolveTenant refuses a clinic without a record), so a half-made clinic is
 * never served.
 */
export async function provisionClinic(
  deps: ProvisionClinicDeps,
  input: ProvisionClinicInput,
): Promise<ProvisionedClinic> {
  const checked = checkedClinic(input);
  const tenantId = await claimableTenantId(deps, checked.slug, checked.host, input.tenantId);
  const scope = deps.scopeFor(tenantId);
  const stepDeps = { scope, clock: deps.clock, ids: deps.ids };

  await deps.directory.registerHost(checked.host, tenantId);
  const existing = await scope.tenant.get();
  const tenant = existing ?? (await createRecord(stepDeps, checked, input.by));

  const found = await findClinicAdmin(scope, checked.admin.email);
  const admin = found ?? (await createClinicAdmin(stepDeps, { ...checked.admin, by: input.by }));
  const hasPassword = found
    ? (await scope.admins.findPasswordIdentity(found.email))?.passwordHash !== undefined
    : false;
  const invitation = hasPassword
    ? undefined
    : await inviteClinicAdmin({ ...stepDeps, mailer: deps.mailer }, { admin, origin: checked.origin, by: input.by });

  const now = deps.clock.now();
  const usableKey = (await listApiKeys(stepDeps)).find((key) => unusableReason(key, now) === undefined);
  const apiKey = usableKey
    ? { existingKeyId: usableKey.id }
    : { issued: await createApiKey(stepDeps, { name: input.apiKeyName, createdBy: input.by.id, actor: input.by }) };

  return {
    tenant,
    host: checked.host,
    created: existing === undefined,
    admin,
    ...(invitation ? { invitation } : {}),
    apiKey,
  };
}

function checkedClinic(input: ProvisionClinicInput) {
  const fields: Record<string, string> = {};
  const name = input.name.trim();
  if (name.length === 0 || name.length > 200) fields.name = '1 to 200 characters';
  const slug = input.slug.trim();
  const slugIssue = slugProblem(slug);
  if (slugIssue) fields.slug = slugIssue;
  // The host is derived from the slug only when the slug is good: a bad slug is reported once, as the slug.
  const host = input.host?.trim().toLowerCase() ?? (slugIssue ? undefined : localClinicHost(input, slug));
  const hostIssue = host === undefined ? undefined : hostProblem(host);
  if (hostIssue) fields.host = hostIssue;
  const origin = host === undefined ? undefined : (input.origin ?? defaultOrigin(input, host));
  const originIssue = origin === undefined || host === undefined || hostIssue ? undefined : originProblem(origin, host);
  if (originIssue) fields.origin = originIssue;
  const addressLines = (input.addressLines ?? []).map((line) => line.trim()).filter((line) => line.length > 0);
  if (addressLines.length > 4 || addressLines.some((line) => line.length > 100)) {
    fields.address = 'at most 4 lines of at most 100 characters';
  }
  let orgNumber = '';
  if (input.orgNumber !== undefined) {
    const check = checkOrganisationNumber(input.orgNumber);
    if (check.valid) orgNumber = check.normalised;
    else fields.orgNumber = check.reason;
  }
  let admin = input.admin;
  try {
    admin = checkedNewAdmin(input.admin);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const adminFields = (error.details?.fields ?? {}) as Record<string, string>;
    for (const [field, reason] of Object.entries(adminFields)) {
      fields[`admin${field.charAt(0).toUpperCase()}${field.slice(1)}`] = reason;
    }
  }
  if (Object.keys(fields).length > 0 || host === undefined || origin === undefined) {
    throw new ValidationError(
      `Invalid clinic: ${Object.entries(fields)
        .map(([field, expected]) => `${field} must be ${expected}`)
        .join('; ')}.`,
      { fields },
    );
  }
  return { name, slug, host, origin: new URL(origin).origin, orgNumber, addressLines, admin };
}

/**
 * On the local portal a clinic answers on `<slug>.localhost`: browsers resolve every *.localhost name to this
 * machine, so the dev server, which picks the clinic by host name like the deployed API, serves each clinic on a host
 * of its own. Elsewhere there is nothing to derive a host from: the operator names it (ValidationError otherwise).
 */
export function localClinicHost(input: Pick<ProvisionClinicInput, 'localPortalUrl'>, slug: string): string {
  if (input.localPortalUrl === undefined) {
    throw new ValidationError('Invalid clinic: host must be given outside the local portal.', {
      fields: { host: 'required outside the local portal' },
    });
  }
  return `${slug}.localhost`;
}

/** The local portal's scheme and port on the clinic's host; https://<host> elsewhere. */
function defaultOrigin(input: Pick<ProvisionClinicInput, 'localPortalUrl'>, host: string): string {
  if (input.localPortalUrl === undefined) return `https://${host}`;
  const url = new URL(input.localPortalUrl);
  url.hostname = host;
  return url.origin;
}

/**
 * The id the clinic gets: the deployment's (`fixedId`, a silo clinic), else the one its host already points to when
 * an earlier run of the same provisioning claimed it (its record names the same slug, or it has no record yet because
 * that run stopped right after the claim), else a new one. Another clinic's host or slug is a ConflictError, before
 * anything is written.
 */
async function claimableTenantId(
  deps: ProvisionClinicDeps,
  slug: string,
  host: string,
  fixedId: string | undefined,
): Promise<string> {
  const hostOwner = await deps.directory.resolveHost(host);
  if (hostOwner) {
    const record = await deps.scopeFor(hostOwner).tenant.get();
    if ((record && record.slug !== slug) || (fixedId !== undefined && hostOwner !== fixedId)) {
      throw new ConflictError(`The host ${host} already belongs to another clinic (${hostOwner}).`, {
        code: 'host_taken',
        details: { fields: { host: 'already taken' } },
      });
    }
  }
  const slugOwner = await clinicWithSlug(deps, slug);
  if (slugOwner && slugOwner !== (fixedId ?? hostOwner)) {
    throw new ConflictError(`The slug ${slug} already belongs to another clinic (${slugOwner}).`, {
      code: 'slug_taken',
      details: { fields: { slug: 'already taken' } },
    });
  }
  return fixedId ?? hostOwner ?? deps.ids.newId();
}

/**
 * The clinic whose record has this slug. Slugs have no index of their own: provisioning is a rare operator command
 * and the directory lists every clinic, so reading their records costs less than keeping a second claim consistent.
 */
async function clinicWithSlug(deps: ProvisionClinicDeps, slug: string): Promise<string | undefined> {
  const tenantIds = await deps.directory.listTenants();
  const slugs = await mapWithConcurrency(
    tenantIds,
    LOOKUP_CONCURRENCY,
    async (tenantId) => (await deps.scopeFor(tenantId).tenant.get())?.slug,
  );
  return tenantIds[slugs.indexOf(slug)];
}

async function createRecord(
  deps: { readonly scope: TenantScope; readonly clock: Clock; readonly ids: IdGenerator },
  clinic: ReturnType<typeof checkedClinic>,
  by: Actor,
): Promise<Tenant> {
  const now = deps.clock.now().toISOString();
  // The settings' defaults written out, so that the clinic's record says what it starts with.
  const record: Omit<Tenant, 'id'> = {
    name: clinic.name,
    orgNumber: clinic.orgNumber,
    addressLines: clinic.addressLines,
    slug: clinic.slug,
    portalOrigin: clinic.origin,
    createdAt: now,
    status: 'active',
    loginMethods: DEFAULT_LOGIN_METHODS,
    defaultPublishing: 'automatic',
  };
  await deps.scope.tenant.put(record);
  await deps.scope.audit.append({
    id: deps.ids.newId(),
    at: now,
    action: 'clinic.provisioned',
    actor: by,
    outcome: 'success',
    details: { slug: clinic.slug, host: clinic.host },
  });
  return { ...record, id: deps.scope.tenantId };
}

/** One line of `npm run tenant -- list`. */
export interface ClinicListing {
  readonly tenantId: string;
  readonly name?: string;
  readonly slug?: string;
  /** The host of the clinic's portal origin. */
  readonly host?: string;
  /** `incomplete`: the host is claimed but the record was never written (a provisioning that stopped; re-run it). */
  readonly status: ClinicStatus | 'incomplete';
  readonly createdAt?: string;
}

/** Every clinic in the directory's list, with what its record says. */
export async function listClinics(
  deps: Pick<ProvisionClinicDeps, 'directory' | 'scopeFor'>,
): Promise<readonly ClinicListing[]> {
  const tenantIds = await deps.directory.listTenants();
  return mapWithConcurrency(tenantIds, LOOKUP_CONCURRENCY, async (tenantId): Promise<ClinicListing> => {
    const tenant = await deps.scopeFor(tenantId).tenant.get();
    if (!tenant) return { tenantId, status: 'incomplete' };
    return {
      tenantId,
      name: tenant.name,
      ...(tenant.slug === undefined ? {} : { slug: tenant.slug }),
      ...(tenant.portalOrigin === undefined ? {} : { host: new URL(tenant.portalOrigin).hostname }),
      status: clinicStatusOf(tenant),
      ...(tenant.createdAt === undefined ? {} : { createdAt: tenant.createdAt }),
    };
  });
}

/**
 * Disables or enables a clinic (see Tenant.status). Audited in the clinic's own trail (`clinic.disabled` /
 * `clinic.enabled`), under the operator; a clinic already in that state is left as it is, unaudited. Read, then
 * written whole, like the admin pages' settings (update-clinic-settings.ts): a settings change saved in the same
 * instant could undo it, so the command's answer is worth checking with `list`, and running it again is harmless.
 */
export async function setClinicStatus(
  deps: { readonly scope: TenantScope; readonly clock: Clock; readonly ids: IdGenerator },
  input: { readonly status: ClinicStatus; readonly by: Actor },
): Promise<{ readonly tenant: Tenant; readonly changed: boolean }> {
  const { scope, clock, ids } = deps;
  const tenant = await scope.tenant.get();
  if (!tenant) throw new NotFoundError('The clinic');
  if (clinicStatusOf(tenant) === input.status) return { tenant, changed: false };
  const now = clock.now().toISOString();
  const { id: _id, ...record } = tenant;
  const changed: Omit<Tenant, 'id'> = { ...record, status: input.status, statusChangedAt: now };
  await scope.tenant.put(changed);
  await scope.audit.append({
    id: ids.newId(),
    at: now,
    action: input.status === 'disabled' ? 'clinic.disabled' : 'clinic.enabled',
    actor: input.by,
    outcome: 'success',
  });
  return { tenant: { ...changed, id: tenant.id }, changed: true };
}
