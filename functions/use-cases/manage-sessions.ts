import { NotFoundError, UnauthenticatedError } from '../domain/errors';
import {
  type Contact,
  type ContactPreferences,
  contactPreferences,
  isSessionLive,
  type PreferencesChange,
  type Session,
} from '../domain/identity';
import type { Clock, IdGenerator, TenantScope } from '../domain/ports';
import type { ContactPrincipal } from './contact-principal';

/*
 * The profile's account management: a contact's own sessions (list them, end one, end all others, end all) and
 * preferences. Everything goes through the contact's own partition, so another contact's session id is simply not
 * found there (404, as for anything the caller may not see).
 */

export interface ManageSessionsDeps {
  readonly scope: TenantScope;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

export interface SessionRequest {
  readonly principal: ContactPrincipal;
  readonly sourceIp: string;
}

/** A live session as its owner sees it; `current` is the one the request came through. */
export interface OwnSession extends Pick<Session, 'id' | 'createdAt' | 'lastSeenAt' | 'expiresAt'> {
  readonly current: boolean;
}

/** The contact's live sessions: the current one first, the others by last activity, most recent first. */
export async function listOwnSessions(deps: ManageSessionsDeps, principal: ContactPrincipal): Promise<OwnSession[]> {
  const live = await deps.scope.sessions.listLive(principal.contactId, deps.clock.now());
  return live
    .map(({ id, createdAt, lastSeenAt, expiresAt }) => ({
      id,
      createdAt,
      lastSeenAt,
      expiresAt,
      current: id === principal.sessionId,
    }))
    .sort((a, b) => Number(b.current) - Number(a.current) || b.lastSeenAt.localeCompare(a.lastSeenAt));
}

/**
 * Which sessions a revocation ended, for the audit trail: `one` (a session picked in the list), `others` (all but
 * the current one) or `all` (the current one too: "log out everywhere").
 */
export type RevocationScope = 'one' | 'others' | 'all';

/** Ends one of the contact's own live sessions (the current one too, if named); NotFoundError for any other id. */
export async function endOwnSession(
  deps: ManageSessionsDeps,
  input: SessionRequest & { readonly sessionId: string },
): Promise<{ readonly endedCurrent: boolean }> {
  const { scope, clock } = deps;
  const { principal } = input;
  const session = await scope.sessions.get(principal.contactId, input.sessionId);
  if (!session || !isSessionLive(session, clock.now())) throw new NotFoundError('The session');
  await scope.sessions.revoke(principal.contactId, session.id);
  const endedCurrent = session.id === principal.sessionId;
  await auditRevocation(deps, input, 'one', 1, endedCurrent ? { current: 1 } : {});
  return { endedCurrent };
}

/** "Log out everywhere else": every live session but the current one; returns how many ended. */
export async function endOtherSessions(deps: ManageSessionsDeps, input: SessionRequest): Promise<number> {
  const { principal } = input;
  const revoked = await deps.scope.sessions.revokeAllExcept(principal.contactId, principal.sessionId);
  await auditRevocation(deps, input, 'others', revoked);
  return revoked;
}

/** "Log out everywhere": every live session, the current one included; returns how many ended. */
export async function endAllSessions(deps: ManageSessionsDeps, input: SessionRequest): Promise<number> {
  const revoked = await deps.scope.sessions.revokeAll(input.principal.contactId);
  await auditRevocation(deps, input, 'all', revoked);
  return revoked;
}

/** Every revocation is an audit event `session.revoked`: which kind, and how many sessions it ended (no ids). */
function auditRevocation(
  deps: ManageSessionsDeps,
  input: SessionRequest,
  which: RevocationScope,
  revokedSessions: number,
  extra: Readonly<Record<string, number>> = {},
): Promise<void> {
  return deps.scope.audit.append({
    id: deps.ids.newId(),
    at: deps.clock.now().toISOString(),
    action: 'session.revoked',
    actor: { type: 'contact', id: input.principal.contactId },
    sourceIp: input.sourceIp,
    outcome: 'success',
    details: { scope: which, revokedSessions, ...extra },
  });
}

/**
 * Changes the contact's own preferences (only those given) and answers with all of them. Stored server-side so that
 * mails can follow them; sending the "new invoice basis" mail belongs to the notifications work, not to this.
 */
export async function updateOwnPreferences(
  scope: TenantScope,
  principal: ContactPrincipal,
  change: PreferencesChange,
): Promise<ContactPreferences> {
  let contact: Contact;
  try {
    contact = await scope.contacts.updatePreferences(principal.contactId, change);
  } catch (error) {
    // The session outlived its contact record: nobody to change preferences for.
    if (error instanceof NotFoundError) throw new UnauthenticatedError();
    throw error;
  }
  return contactPreferences(contact);
}
