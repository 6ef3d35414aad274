import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';

/*
 * The session cookies (SECURITY.md: __Host-, Secure, HttpOnly). The `__Host-` prefix (added by Hono from
 * `prefix: 'host'`) makes browsers bind a cookie to exactly this host, over HTTPS, for the whole site (no Domain
 * attribute).
 */

export interface SessionCookie {
  readonly name: string;
  readonly prefix: 'host';
  readonly sameSite: 'Lax' | 'Strict';
}

/** A contact's session: `__Host-session`, SameSite=Lax. */
export const SESSION_COOKIE = { name: 'session', prefix: 'host', sameSite: 'Lax' } as const satisfies SessionCookie;

/**
 * Administrators' sessions have a cookie of their own, `__Host-admin-session` (so a browser can hold a contact's and
 * an administrator's session side by side, and neither overwrites the other), with SameSite=Strict: the admin pages
 * need no session on navigations arriving from other sites.
 */
export const ADMIN_SESSION_COOKIE = {
  name: 'admin-session',
  prefix: 'host',
  sameSite: 'Strict',
} as const satisfies SessionCookie;

/** Sets the cookie a successful login hands out; it lasts as long as the session may. */
export function setSessionCookie(
  c: Context,
  cookie: SessionCookie,
  session: { readonly token: string; readonly expiresAt: Date },
): void {
  setCookie(c, cookie.name, session.token, {
    prefix: cookie.prefix,
    httpOnly: true,
    secure: true,
    sameSite: cookie.sameSite,
    path: '/',
    expires: session.expiresAt,
  });
}

/** Removes the cookie at logout (the session itself is revoked server-side first). */
export function deleteSessionCookie(c: Context, cookie: SessionCookie): void {
  deleteCookie(c, cookie.name, { path: '/', secure: true, prefix: cookie.prefix });
}
