import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { assertMayChangeThings, authenticateAdmin } from '../../use-cases/admin-session';
import {
  authenticateContact,
  confirmSessionAlive,
  contactPrincipalOf,
  verifySessionToken,
} from '../../use-cases/authenticate-session';
import type { AppDeps, AppEnv } from '../app-types';
import { ADMIN_SESSION_COOKIE, SESSION_COOKIE } from '../session-cookies';

/** Methods that change nothing (RFC 9110 "safe"): every route for them here is read-only, and must stay so. */
const SAFE_METHODS = new Set(['GET', 'HEAD']);

/**
 * Requires a live contact session; sets `c.var.principal`.
 *
 * A request that changes something waits for the session record before its handler runs. A safe (read-only)
 * request does not: once the token's signature, audience and clinic are verified, its handler runs WHILE the
 * session record is read, and the answer is released only after the record proved the session alive — otherwise it
 * is replaced by the 401, whatever the handler found (a 404 included). The reads overlap instead of following each
 * other, which saves a whole database round trip on every list and profile read; nothing is written or returned on
 * the strength of the token alone.
 */
export function authenticate(deps: Pick<AppDeps, 'tokens' | 'clock'>): MiddlewareHandler<AppEnv> {
  return async function authenticate(c, next) {
    const sessionDeps = { tokens: deps.tokens, clock: deps.clock, scope: c.var.scope };
    const token = getCookie(c, SESSION_COOKIE.name, SESSION_COOKIE.prefix);
    if (!SAFE_METHODS.has(c.req.method)) {
      c.set('principal', await authenticateContact(sessionDeps, token));
      await next();
      return;
    }
    const claims = await verifySessionToken(sessionDeps, 'contact', token);
    const alive = confirmSessionAlive(sessionDeps, 'contact', claims).then(
      () => undefined,
      (error: unknown) => error,
    );
    c.set('principal', contactPrincipalOf(claims));
    await next();
    const refusal = await alive;
    if (refusal !== undefined) throw refusal;
  };
}

/**
 * Like {@link authenticate}, for a request that changes something but reads first: its handler runs while the
 * session record is read, and gets `c.var.sessionConfirmed`, which it MUST await before its first write (a download
 * awaits it beside its authorization reads, before the audit event). Its answer too is released only for a live
 * session. The reads overlap; no write, audit event or link exists on the strength of the token alone.
 */
export function authenticateBeforeWrites(deps: Pick<AppDeps, 'tokens' | 'clock'>): MiddlewareHandler<AppEnv> {
  return async function authenticateBeforeWrites(c, next) {
    const sessionDeps = { tokens: deps.tokens, clock: deps.clock, scope: c.var.scope };
    const token = getCookie(c, SESSION_COOKIE.name, SESSION_COOKIE.prefix);
    const claims = await verifySessionToken(sessionDeps, 'contact', token);
    const confirmed = confirmSessionAlive(sessionDeps, 'contact', claims);
    // The handler's own await reports a refusal; this keeps an unawaited one from going unhandled meanwhile.
    confirmed.catch(() => {});
    c.set('principal', contactPrincipalOf(claims));
    c.set('sessionConfirmed', confirmed);
    await next();
    await confirmed;
  };
}

export interface AuthenticateAdministratorOptions {
  /**
   * The route is open to read-only administrators although it is not GET: it changes only the caller's own account
   * (logout, their own recovery codes), or nothing an administrator decides (the audit trail's check). Say why at
   * the route; leave it out everywhere else.
   */
  readonly readOnlyToo?: boolean;
}

/**
 * Requires a live administrator session; sets `c.var.adminPrincipal`.
 *
 * It is also the ONE place where roles are enforced: a request that may change something (any method but GET and
 * HEAD) is refused with 403 `read_only` before its handler runs unless the administrator has the role `admin`, so
 * every admin route, present and future, is covered without a check of its own
 * (test/http/admin-users.http.test.ts proves it for every route in the app's route table). Only routes declared
 * {@link AuthenticateAdministratorOptions.readOnlyToo} are open to read-only administrators.
 */
export function authenticateAdministrator(
  deps: Pick<AppDeps, 'tokens' | 'clock'>,
  options: AuthenticateAdministratorOptions = {},
): MiddlewareHandler<AppEnv> {
  return async function authenticateAdministrator(c, next) {
    const principal = await authenticateAdmin(
      { tokens: deps.tokens, clock: deps.clock, scope: c.var.scope },
      getCookie(c, ADMIN_SESSION_COOKIE.name, ADMIN_SESSION_COOKIE.prefix),
    );
    if (!SAFE_METHODS.has(c.req.method) && !options.readOnlyToo) await assertMayChangeThings(c.var.scope, principal);
    c.set('adminPrincipal', principal);
    await next();
  };
}
