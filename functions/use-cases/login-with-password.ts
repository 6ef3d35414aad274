import { InvalidCredentialsError } from '../domain/errors';
import type { Contact, Membership } from '../domain/identity';
import type { Clock, IdGenerator, PasswordHasher, SessionTokens, TenantScope } from '../domain/ports';
import { SESSION_POLICY } from './contact-principal';
import { listPortalCustomers } from './get-contact-profile';

export interface LoginWithPasswordDeps {
  readonly scope: TenantScope;
  readonly hasher: PasswordHasher;
  readonly tokens: SessionTokens;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

export interface LoginWithPasswordInput {
  readonly username: string;
  readonly password: string;
  readonly sourceIp: string;
}

export interface LoginResult {
  readonly token: string;
  readonly expiresAt: Date;
  readonly contact: Contact;
  readonly customers: readonly Membership[];
}

/**
 * Username + password login. Unknown user, wrong password and deactivated contact fail alike (same error, and
 * a dummy hash for unknown users so the time taken matches), and every attempt is an audit event.
 * Throttling and lockout come with the authentication issue.
 */
export async function loginWithPassword(
  deps: LoginWithPasswordDeps,
  input: LoginWithPasswordInput,
): Promise<LoginResult> {
  const { scope, hasher, tokens, clock, ids } = deps;
  const identity = await scope.contacts.findPasswordIdentity(input.username);
  const failure = async (contactId?: string) => {
    await scope.audit.append({
      id: ids.newId(),
      at: clock.now().toISOString(),
      action: 'login.password',
      actor: contactId ? { type: 'contact', id: contactId } : { type: 'anonymous' },
      sourceIp: input.sourceIp,
      outcome: 'failure',
    });
    return new InvalidCredentialsError();
  };
  if (!identity) {
    await hasher.verifyDummy(input.password);
    throw await failure();
  }
  const [passwordMatches, contact] = await Promise.all([
    hasher.verify(input.password, identity.passwordHash),
    scope.contacts.get(identity.contactId),
  ]);
  if (!passwordMatches || !contact || contact.status !== 'active') throw await failure(identity.contactId);

  const now = clock.now();
  const expiresAt = new Date(now.getTime() + SESSION_POLICY.absoluteTimeoutMs);
  const sessionId = ids.newId();
  await scope.sessions.create({
    id: sessionId,
    contactId: contact.id,
    createdAt: now.toISOString(),
    lastSeenAt: now.toISOString(),
    expiresAt: expiresAt.toISOString(),
    revoked: false,
  });
  const [token, customers] = await Promise.all([
    tokens.issue({ tenantId: scope.tenantId, contactId: contact.id, sessionId }, expiresAt),
    listPortalCustomers(scope, contact.id),
    scope.audit.append({
      id: ids.newId(),
      at: now.toISOString(),
      action: 'login.password',
      actor: { type: 'contact', id: contact.id },
      sourceIp: input.sourceIp,
      outcome: 'success',
    }),
  ]);
  return { token, expiresAt, contact, customers };
}
