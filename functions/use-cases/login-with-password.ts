import { InvalidCredentialsError, TooManyRequestsError } from '../domain/errors';
import type { Contact } from '../domain/identity';
import { tooManyAttemptsMessage } from '../domain/login-throttling';
import type { Clock, IdGenerator, PasswordHasher, SessionTokens, TenantScope } from '../domain/ports';
import { type LoginResult, startSession } from './start-session';
import { throttledAttempt } from './throttled-attempt';

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
 * Username + password login, throttled (./throttled-attempt.ts, functions/domain/login-throttling.ts): an address
 * with too many recent failures gets 429 before anything is checked; a delayed or locked account is refused with the
 * same 401 and message as a wrong password, after the same password hashing (unknown usernames have counters too
 * and are delayed and locked alike). Unknown user, wrong password and deactivated contact fail alike, and every
 * attempt is an audit event (`login.password`, the reason in its details).
 */
export async function loginWithPassword(
  deps: LoginWithPasswordDeps,
  input: LoginWithPasswordInput,
): Promise<LoginResult> {
  const { scope, hasher, clock, ids } = deps;
  const now = clock.now();
  const identityLookup = scope.contacts.findPasswordIdentity(input.username);
  const outcome = await throttledAttempt<Contact>({
    throttle: scope.loginThrottle,
    username: input.username,
    sourceIp: input.sourceIp,
    now,
    resetOnSuccess: true,
    async check() {
      const identity = await identityLookup;
      if (!identity) {
        await hasher.verifyDummy(input.password);
        return undefined;
      }
      const [matches, contact] = await Promise.all([
        hasher.verify(input.password, identity.passwordHash),
        scope.contacts.get(identity.contactId),
      ]);
      return matches && contact?.status === 'active' ? contact : undefined;
    },
  });
  if (outcome.ok) return startSession(deps, outcome.verified, { method: 'password', sourceIp: input.sourceIp });

  const identity = await identityLookup;
  await scope.audit.append({
    id: ids.newId(),
    at: now.toISOString(),
    action: 'login.password',
    actor: identity ? { type: 'contact', id: identity.contactId } : { type: 'anonymous' },
    sourceIp: input.sourceIp,
    outcome: 'failure',
    details: {
      reason: outcome.reason,
      ...(outcome.reason === 'invalid_credentials' ? { consecutiveFailures: outcome.consecutiveFailures } : {}),
    },
  });
  if (outcome.reason === 'throttled_ip') {
    throw new TooManyRequestsError(tooManyAttemptsMessage(outcome.retryAfterSeconds), outcome.retryAfterSeconds);
  }
  throw new InvalidCredentialsError();
}
