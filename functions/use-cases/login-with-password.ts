import { ConflictError, InvalidCredentialsError, TooManyRequestsError } from '../domain/errors';
import {
  type AccountFailures,
  type AccountGate,
  accountGate,
  ipRetryAfterSeconds,
  LOGIN_THROTTLING,
  locksAccount,
  tooManyAttemptsMessage,
} from '../domain/login-throttling';
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

/** Why a login failed, for the audit trail only: the caller always gets the same answer. */
type FailureReason = 'invalid_credentials' | 'account_delayed' | 'account_locked' | 'throttled_ip';

/** Parallel attempts on one account race for its counter; a loser reads it again, this many times in all. */
const CLAIM_ATTEMPTS = 3;

/**
 * Username + password login, throttled (functions/domain/login-throttling.ts):
 * 1. an address with too many recent failures gets 429 before anything is checked;
 * 2. an account inside its delay, or locked, is refused — but only after the same password hashing as any other
 *    attempt, with the same 401 and message as a wrong password, so neither the lock nor the account's existence
 *    shows (unknown usernames have counters too and are delayed and locked alike);
 * 3. otherwise the attempt is counted as a failure *before* the password is checked (conditional on the counter
 *    the gate was decided on, so parallel attempts cannot all slip through one open gate), and a success then
 *    resets the counter.
 * Unknown user, wrong password and deactivated contact fail alike, and every attempt is an audit event.
 */
export async function loginWithPassword(
  deps: LoginWithPasswordDeps,
  input: LoginWithPasswordInput,
): Promise<LoginResult> {
  const { scope, hasher, clock, ids } = deps;
  const throttle = scope.loginThrottle;
  const now = clock.now();
  const ipRule = LOGIN_THROTTLING.ip.password_failure;

  const [ipWindow, identity, seen] = await Promise.all([
    throttle.getIpWindow(input.sourceIp, 'password_failure', now),
    scope.contacts.findPasswordIdentity(input.username),
    throttle.getAccount(input.username, now),
  ]);
  const audit = async (reason: FailureReason, details: Record<string, number> = {}) => {
    await scope.audit.append({
      id: ids.newId(),
      at: now.toISOString(),
      action: 'login.password',
      actor: identity ? { type: 'contact', id: identity.contactId } : { type: 'anonymous' },
      sourceIp: input.sourceIp,
      outcome: 'failure',
      details: { reason, ...details },
    });
  };

  const retryAfterSeconds = ipRetryAfterSeconds(ipWindow, ipRule, now);
  if (retryAfterSeconds !== undefined) {
    await audit('throttled_ip');
    throw new TooManyRequestsError(tooManyAttemptsMessage(retryAfterSeconds), retryAfterSeconds);
  }

  const claim = await claimAttempt(deps, input.username, now, seen);
  const [passwordMatches, contact] = identity
    ? await Promise.all([hasher.verify(input.password, identity.passwordHash), scope.contacts.get(identity.contactId)])
    : [await hasher.verifyDummy(input.password).then(() => false), undefined];

  if (claim.gate.state !== 'open' || !passwordMatches || contact?.status !== 'active') {
    await throttle.countIp(input.sourceIp, 'password_failure', now, ipRule.windowSeconds);
    if (claim.gate.state !== 'open') {
      await audit(claim.gate.state === 'locked' ? 'account_locked' : 'account_delayed');
    } else {
      const failures = claim.counted?.failures ?? 0;
      // The failure that reaches the limit locks the account; from now on only an unlock lets anyone in.
      if (locksAccount(failures)) {
        await throttle.lockAccount(input.username, now).catch((error: unknown) => {
          // The counter vanished meanwhile (a parallel success or an unlock): there is nothing left to lock.
          if (!(error instanceof ConflictError)) throw error;
        });
      }
      await audit('invalid_credentials', { consecutiveFailures: failures });
    }
    throw new InvalidCredentialsError();
  }

  await throttle.resetAccount(input.username);
  return startSession(deps, contact, { method: 'password', sourceIp: input.sourceIp });
}

/**
 * Decides whether the attempt may be checked and, if so, counts it as a failure up front. If a parallel attempt
 * moved the counter first, the counter is read again and the gate decided again.
 */
async function claimAttempt(
  deps: LoginWithPasswordDeps,
  username: string,
  now: Date,
  firstSeen: AccountFailures | undefined,
): Promise<{ readonly gate: AccountGate; readonly counted?: AccountFailures }> {
  const throttle = deps.scope.loginThrottle;
  let seen = firstSeen;
  for (let attempt = 1; attempt <= CLAIM_ATTEMPTS; attempt += 1) {
    const gate = accountGate(seen, now);
    if (gate.state !== 'open') return { gate };
    try {
      const counted = await throttle.recordAccountFailure(username, now, {
        seen,
        forgetAfterSeconds: LOGIN_THROTTLING.account.forgetAfterSeconds,
      });
      return { gate, counted };
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
    seen = await throttle.getAccount(username, now);
  }
  // Still racing after several tries: somebody is hammering this account; treat it as inside its delay.
  return { gate: { state: 'delayed', until: now } };
}
