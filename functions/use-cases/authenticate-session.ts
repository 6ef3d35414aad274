import { UnauthenticatedError } from '../domain/errors';
import { isSessionLive, type SessionKind } from '../domain/identity';
import type { Clock, SessionClaims, SessionTokens, TenantScope } from '../domain/ports';
import type { ContactPrincipal } from './contact-principal';
import { sessionsOf } from './start-session';

export interface AuthenticateSessionDeps {
  readonly tokens: SessionTokens;
  readonly clock: Clock;
  /** The clinic of the host the request arrived on. */
  readonly scope: TenantScope;
}

/** Writing lastSeenAt on every request would double the writes; a minute's precision is plenty for idle timeouts. */
export const SESSION_TOUCH_INTERVAL_MS = 60 * 1000;

/**
 * Turns a session token of one kind into its claims, or fails. The signature and audience prove who issued the token
 * and for which kind of session; the session record proves it is still alive (logout and deactivation revoke it at
 * once) and within its idle timeout (stored on the record when it began) and absolute timeout; and the token must
 * belong to the clinic whose host the request came to.
 */
export async function authenticateSession(
  deps: AuthenticateSessionDeps,
  kind: SessionKind,
  token: string | undefined,
): Promise<SessionClaims> {
  const claims = await verifySessionToken(deps, kind, token);
  await confirmSessionAlive(deps, kind, claims);
  return claims;
}

/**
 * The first half of {@link authenticateSession}, without I/O: the token's signature, audience, times and clinic.
 * What it returns is NOT yet proof of a live session — {@link confirmSessionAlive} must succeed before anything
 * that depends on the caller is answered or written.
 */
export async function verifySessionToken(
  deps: Pick<AuthenticateSessionDeps, 'tokens' | 'scope'>,
  kind: SessionKind,
  token: string | undefined,
): Promise<SessionClaims> {
  const claims = token ? await deps.tokens.verify(kind, token) : undefined;
  if (!claims || claims.tenantId !== deps.scope.tenantId) throw new UnauthenticatedError();
  return claims;
}

/**
 * The second half of {@link authenticateSession}: the session record exists, is not revoked and is within its idle
 * and absolute timeouts (an expired one is revoked here); its last-seen time is moved on at most once a minute.
 */
export async function confirmSessionAlive(
  deps: AuthenticateSessionDeps,
  kind: SessionKind,
  claims: SessionClaims,
): Promise<void> {
  const { clock, scope } = deps;
  const sessions = sessionsOf(scope, kind);
  const session = await sessions.get(claims.subjectId, claims.sessionId);
  const now = clock.now();
  if (!session || session.revoked) throw new UnauthenticatedError();
  if (!isSessionLive(session, now)) {
    await sessions.revoke(claims.subjectId, claims.sessionId);
    throw new UnauthenticatedError('Your session has ended. Please log in again.');
  }
  if (now.getTime() - Date.parse(session.lastSeenAt) > SESSION_TOUCH_INTERVAL_MS)
    await sessions.touch(claims.subjectId, claims.sessionId, now);
}

/** The contact a contact session's claims name (a token of the administrators' audience is no contact session). */
export function contactPrincipalOf(claims: SessionClaims): ContactPrincipal {
  return { tenantId: claims.tenantId, contactId: claims.subjectId, sessionId: claims.sessionId };
}

export async function authenticateContact(
  deps: AuthenticateSessionDeps,
  token: string | undefined,
): Promise<ContactPrincipal> {
  return contactPrincipalOf(await authenticateSession(deps, 'contact', token));
}

export async function logout(scope: TenantScope, principal: ContactPrincipal): Promise<void> {
  await scope.sessions.revoke(principal.contactId, principal.sessionId);
}
