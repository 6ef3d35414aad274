import type { Contact, Membership, SessionKind } from '../domain/identity';
import type { Clock, IdGenerator, SessionRepository, SessionTokens, TenantScope } from '../domain/ports';
import { sessionTimeoutsFor } from '../domain/session-policy';
import { listPortalCustomers } from './get-contact-profile';

export interface StartSessionDeps {
  readonly scope: TenantScope;
  readonly tokens: SessionTokens;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/** A new session: the signed token for the cookie and when it ends at the latest. */
export interface OpenedSession {
  readonly token: string;
  readonly expiresAt: Date;
  readonly sessionId: string;
}

export interface LoginResult extends OpenedSession {
  readonly contact: Contact;
  readonly customers: readonly Membership[];
}

/** Where sessions of this kind are kept. */
export function sessionsOf(scope: TenantScope, kind: SessionKind): SessionRepository {
  return kind === 'admin' ? scope.adminSessions : scope.sessions;
}

/**
 * What every successful login of either kind ends in: a server-side session record and a token signed for that
 * kind's audience. The clinic's session timeouts are read once, here, and the idle timeout stored on the record, so
 * checking a session on each request needs no second read (functions/domain/session-policy.ts).
 */
export async function openSession(
  deps: StartSessionDeps,
  kind: SessionKind,
  subjectId: string,
): Promise<OpenedSession> {
  const { scope, tokens, clock, ids } = deps;
  const tenant = await scope.tenant.get();
  const timeouts = sessionTimeoutsFor(kind, tenant?.sessionTimeouts);
  const now = clock.now();
  const expiresAt = new Date(now.getTime() + timeouts.absoluteTimeoutMs);
  const sessionId = ids.newId();
  await sessionsOf(scope, kind).create({
    id: sessionId,
    subjectId,
    createdAt: now.toISOString(),
    lastSeenAt: now.toISOString(),
    expiresAt: expiresAt.toISOString(),
    idleTimeoutMs: timeouts.idleTimeoutMs,
    revoked: false,
  });
  const token = await tokens.issue(kind, { tenantId: scope.tenantId, subjectId, sessionId }, expiresAt);
  return { token, expiresAt, sessionId };
}

/**
 * What every successful contact login ends in, whatever proved who the person is (password, BankID): the session,
 * the customer companies to choose from, and the audit event (`login.<method>`, success).
 */
export async function startSession(
  deps: StartSessionDeps,
  contact: Contact,
  login: { readonly method: 'password' | 'bankid'; readonly sourceIp: string },
): Promise<LoginResult> {
  const { scope, clock, ids } = deps;
  const [session, customers] = await Promise.all([
    openSession(deps, 'contact', contact.id),
    listPortalCustomers(scope, contact.id),
    scope.audit.append({
      id: ids.newId(),
      at: clock.now().toISOString(),
      action: `login.${login.method}`,
      actor: { type: 'contact', id: contact.id },
      sourceIp: login.sourceIp,
      outcome: 'success',
    }),
  ]);
  return { ...session, contact, customers };
}
