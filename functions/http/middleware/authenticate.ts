import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { authenticateAdmin } from '../../use-cases/admin-session';
import { authenticateContact } from '../../use-cases/authenticate-session';
import type { AppDeps, AppEnv } from '../app-types';
import { ADMIN_SESSION_COOKIE, SESSION_COOKIE } from '../session-cookies';

/** Requires a live contact session; sets `c.var.principal`. */
export function authenticate(deps: Pick<AppDeps, 'tokens' | 'clock'>): MiddlewareHandler<AppEnv> {
  return async function authenticate(c, next) {
    const principal = await authenticateContact(
      { tokens: deps.tokens, clock: deps.clock, scope: c.var.scope },
      getCookie(c, SESSION_COOKIE.name, SESSION_COOKIE.prefix),
    );
    c.set('principal', principal);
    await next();
  };
}

/** Requires a live administrator session; sets `c.var.adminPrincipal`. */
export function authenticateAdministrator(deps: Pick<AppDeps, 'tokens' | 'clock'>): MiddlewareHandler<AppEnv> {
  return async function authenticateAdministrator(c, next) {
    const principal = await authenticateAdmin(
      { tokens: deps.tokens, clock: deps.clock, scope: c.var.scope },
      getCookie(c, ADMIN_SESSION_COOKIE.name, ADMIN_SESSION_COOKIE.prefix),
    );
    c.set('adminPrincipal', principal);
    await next();
  };
}
