import { InvalidCredentialsError } from '../domain/errors';
import type { Clock, IdGenerator, PasswordHasher, SessionTokens, TenantScope } from '../domain/ports';
import { type LoginResult, startSession } from './start-session';

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

/**
 * Username + password login. Unknown user, wrong password and deactivated contact fail alike (same error, and
 * a dummy hash for unknown users so the time taken matches), and every attempt is an audit event.
 * Throttling and lockout come with the authentication issue.
 */
export async function loginWithPassword(
  deps: LoginWithPasswordDeps,
  input: LoginWithPasswordInput,
): Promise<LoginResult> {
  const { scope, hasher, clock, ids } = deps;
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

  return startSession(deps, contact, { method: 'password', sourceIp: input.sourceIp });
}
