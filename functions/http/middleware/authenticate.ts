import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { authenticateSession } from '../../use-cases/authenticate-session';
import type { AppDeps, AppEnv } from '../app-types';

/**
 * The session cookie is `__Host-session`: the `__Host-` prefix (added by Hono from `prefix: 'host'`) makes
 * browsers bind it to exactly this host, over HTTPS, for the whole site (no Domain attribute).
 */
export const SESSION_COOKIE = { name: 'session', prefix: 'host' } as const;

/** Requires a live contact session; sets `c.var.principal`. */
export function authenticate(deps: Pick<AppDeps, 'tokens' | 'clock'>): MiddlewareHandler<AppEnv> {
  return async function authenticate(c, next) {
    const principal = await authenticateSession(
      { tokens: deps.tokens, clock: deps.clock, scope: c.var.scope },
      getCookie(c, SESSION_COOKIE.name, SESSION_COOKIE.prefix),
    );
    c.set('principal', principal);
    await next();
  };
}
