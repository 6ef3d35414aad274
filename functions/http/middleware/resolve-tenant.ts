import type { MiddlewareHandler } from 'hono';
import { NotFoundError } from '../../domain/errors';
import type { TenantScope } from '../../domain/ports';
import type { AppDeps, TrustedRequestInfo } from '../app-types';

/** What this middleware provides; both the portal API and the ingest API extend it. */
export interface TenantEnv {
  Variables: { requestInfo: TrustedRequestInfo; scope: TenantScope };
}

/**
 * Picks the clinic from the trusted host name and binds every repository to it (`c.var.scope`). Routes below
 * this middleware cannot reach another clinic's data: the scope they get is the only one they have.
 */
export function resolveTenant<Env extends TenantEnv>(
  deps: Pick<AppDeps, 'directory' | 'scopeFor' | 'requestInfo'>,
): MiddlewareHandler<Env> {
  return async function resolveTenant(c, next) {
    const info = deps.requestInfo(c);
    c.set('requestInfo', info);
    const tenantId = await deps.directory.resolveHost(info.host);
    if (!tenantId) throw new NotFoundError('The portal for this address');
    c.set('scope', deps.scopeFor(tenantId));
    await next();
  };
}
