import type { MiddlewareHandler } from 'hono';
import { NotFoundError } from '../../domain/errors';
import { ClinicDisabledError, clinicStatusOf } from '../../domain/identity';
import type { TenantScope } from '../../domain/ports';
import type { AppDeps, TrustedRequestInfo } from '../app-types';

/** What this middleware provides; both the portal API and the ingest API extend it. */
export interface TenantEnv {
  Variables: { requestInfo: TrustedRequestInfo; scope: TenantScope };
}

export interface ResolveTenantOptions {
  /**
   * Refuse every request to a clinic the operator disabled (403 `clinic_disabled`) or one whose provisioning has not
   * written its record yet (404). The portal and admin pages check it here, before any route or session, so one
   * place covers them all, and a session stops working on its next request; this costs one read of the clinic's
   * record per request, uncached, because a cached "active" would keep a disabled clinic open. The ingest API
   * passes false: it checks when it authenticates the key (authenticateApiKey), so the refusal is audited as a
   * rejected key.
   */
  readonly refuseUnavailableClinic: boolean;
}

/**
 * Picks the clinic from the trusted host name and binds every repository to it (`c.var.scope`). Routes below
 * this middleware cannot reach another clinic's data: the scope they get is the only one they have.
 */
export function resolveTenant<Env extends TenantEnv>(
  deps: Pick<AppDeps, 'directory' | 'scopeFor' | 'requestInfo'>,
  options: ResolveTenantOptions,
): MiddlewareHandler<Env> {
  return async function resolveTenant(c, next) {
    const info = deps.requestInfo(c);
    c.set('requestInfo', info);
    const tenantId = await deps.directory.resolveHost(info.host);
    if (!tenantId) throw new NotFoundError('The portal for this address');
    const scope = deps.scopeFor(tenantId);
    if (options.refuseUnavailableClinic) await refuseUnavailableClinic(scope);
    c.set('scope', scope);
    await next();
  };
}

/** Throws unless the clinic's record exists and the clinic is active (see {@link ResolveTenantOptions}). */
export async function refuseUnavailableClinic(scope: TenantScope): Promise<void> {
  const tenant = await scope.tenant.get();
  if (!tenant) throw new NotFoundError('The portal for this address');
  if (clinicStatusOf(tenant) === 'disabled') throw new ClinicDisabledError();
}
