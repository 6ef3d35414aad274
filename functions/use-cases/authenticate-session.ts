import { UnauthenticatedError } from '../domain/errors';
import type { Clock, SessionTokens, TenantScope } from '../domain/ports';
import { type ContactPrincipal, SESSION_POLICY } from './contact-principal';

export interface AuthenticateSessionDeps {
  readonly tokens: SessionTokens;
  readonly clock: Clock;
  /** The clinic of the host the request arrived on. */
  readonly scope: TenantScope;
}

/**
 * Turns a session token into a principal, or fails. The signature proves who issued the token; the session
 * record proves it is still alive (logout and deactivation revoke it at once), and the token must belong to the
 * clinic whose host the request came to.
 */
export async function authenticateSession(
  deps: AuthenticateSessionDeps,
  token: string | undefined,
): Promise<ContactPrincipal> {
  const { tokens, clock, scope } = deps;
  const claims = token ? await tokens.verify(token) : undefined;
  if (!claims || claims.tenantId !== scope.tenantId) throw new UnauthenticatedError();

  const session = await scope.sessions.get(claims.contactId, claims.sessionId);
  const now = clock.now().getTime();
  if (!session || session.revoked) throw new UnauthenticatedError();
  const idleFor = now - Date.parse(session.lastSeenAt);
  if (idleFor > SESSION_POLICY.idleTimeoutMs || now >= Date.parse(session.expiresAt)) {
    await scope.sessions.revoke(session.contactId, session.id);
    throw new UnauthenticatedError('Your session has ended. Please log in again.');
  }
  if (idleFor > SESSION_POLICY.touchIntervalMs) await scope.sessions.touch(session.contactId, session.id, clock.now());
  return claims;
}

export async function logout(scope: TenantScope, principal: ContactPrincipal): Promise<void> {
  await scope.sessions.revoke(principal.contactId, principal.sessionId);
}
