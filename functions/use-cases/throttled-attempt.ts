import { ConflictError } from '../domain/errors';
import {
  type AccountFailures,
  type AccountGate,
  accountGate,
  ipRetryAfterSeconds,
  LOGIN_THROTTLING,
  locksAccount,
} from '../domain/login-throttling';
import type { LoginThrottle } from '../domain/ports';

/** Parallel attempts on one account race for its counter; a loser reads it again, this many times in all. */
const CLAIM_ATTEMPTS = 3;

/** How a throttled login attempt ended: what the caller puts into its audit event and its answer. */
export type AttemptOutcome<Verified> =
  | { readonly ok: true; readonly verified: Verified }
  | { readonly ok: false; readonly reason: 'throttled_ip'; readonly retryAfterSeconds: number }
  | { readonly ok: false; readonly reason: 'account_delayed' | 'account_locked' }
  | { readonly ok: false; readonly reason: 'invalid_credentials'; readonly consecutiveFailures: number };

export interface ThrottledAttempt<Verified> {
  /** The clinic's counters for this kind of account (contacts' or administrators'). */
  readonly throttle: LoginThrottle;
  /** The account the attempt is for (its counter exists whether or not the account does). */
  readonly username: string;
  readonly sourceIp: string;
  readonly now: Date;
  /**
   * The check itself (a password, a one-time code): what it proves, or undefined. It runs whatever the gate says, so
   * a delayed or locked account costs the same work (and time) as any other; its answer counts only through an open
   * gate. It must change nothing: whatever a success uses up is used up by the caller afterwards.
   */
  readonly check: () => Promise<Verified | undefined>;
  /**
   * Whether a success clears the account's failures. A password that is only the first of two factors does not:
   * otherwise each right password would buy another round of guesses at the second factor.
   */
  readonly resetOnSuccess: boolean;
}

/**
 * One login attempt under the throttling rules (functions/domain/login-throttling.ts), for every kind of login that
 * checks a secret (contacts' and administrators' passwords, administrators' one-time codes):
 * 1. an address with too many recent failures is refused before anything is checked;
 * 2. an account inside its delay, or locked, is refused — after the same check as any other attempt, so that
 *    neither the lock nor the account's existence shows;
 * 3. otherwise the attempt is counted as a failure *before* its check (conditional on the counter the gate was
 *    decided on, so parallel attempts cannot all slip through one open gate); a success then resets the counter
 *    (see `resetOnSuccess`), and the failure that reaches the limit locks the account.
 * Every failure is also counted against the address.
 */
export async function throttledAttempt<Verified>(
  attempt: ThrottledAttempt<Verified>,
): Promise<AttemptOutcome<Verified>> {
  const { throttle, username, sourceIp, now } = attempt;
  const ipRule = LOGIN_THROTTLING.ip.password_failure;
  const [ipWindow, seen] = await Promise.all([
    throttle.getIpWindow(sourceIp, 'password_failure', now),
    throttle.getAccount(username, now),
  ]);
  const retryAfterSeconds = ipRetryAfterSeconds(ipWindow, ipRule, now);
  if (retryAfterSeconds !== undefined) return { ok: false, reason: 'throttled_ip', retryAfterSeconds };

  const claim = await claimAttempt(throttle, username, now, seen);
  const verified = await attempt.check();
  if (claim.gate.state === 'open' && verified !== undefined) {
    if (attempt.resetOnSuccess) await throttle.resetAccount(username);
    return { ok: true, verified };
  }

  await throttle.countIp(sourceIp, 'password_failure', now, ipRule.windowSeconds);
  if (claim.gate.state !== 'open') {
    return { ok: false, reason: claim.gate.state === 'locked' ? 'account_locked' : 'account_delayed' };
  }
  const failures = claim.counted?.failures ?? 0;
  // The failure that reaches the limit locks the account; from now on only an unlock lets anyone in.
  if (locksAccount(failures)) {
    await throttle.lockAccount(username, now).catch((error: unknown) => {
      // The counter vanished meanwhile (a parallel success or an unlock): there is nothing left to lock.
      if (!(error instanceof ConflictError)) throw error;
    });
  }
  return { ok: false, reason: 'invalid_credentials', consecutiveFailures: failures };
}

/**
 * Decides whether the attempt may be checked and, if so, counts it as a failure up front. If a parallel attempt
 * moved the counter first, the counter is read again and the gate decided again.
 */
async function claimAttempt(
  throttle: LoginThrottle,
  username: string,
  now: Date,
  firstSeen: AccountFailures | undefined,
): Promise<{ readonly gate: AccountGate; readonly counted?: AccountFailures }> {
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
