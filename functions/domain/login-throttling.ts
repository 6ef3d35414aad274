/**
 * The rules of login throttling (SECURITY.md "Authentication", NIST SP 800-63B §5.2.2). Pure: the caller passes
 * `now` and the stored counters; storing them is the {@link LoginThrottle} port's business.
 *
 * Per account (the normalised username, whether or not an account has it):
 * - the first {@link LOGIN_THROTTLING.account.freeFailures} consecutive failures cost nothing;
 * - from then on the next attempt is not even checked until a delay after the last failure has passed: 1 s after
 *   the 5th failure, doubling with each further one (2 s, 4 s … 512 s after the 14th), capped at 15 minutes from the
 *   15th failure on. An attacker therefore needs about 21 hours to make 100 guesses at one account;
 * - the 100th consecutive failure locks the account: no password is checked any more until an administrator
 *   unlocks it or the contact completes a password reset (both clear the counter through the port's
 *   `unlockAccount`);
 * - a successful login resets the counter (a locked account cannot log in, so it stays locked);
 * - a counter that has not moved for 90 days is forgotten (its TTL), so the table does not keep every mistyped or
 *   invented username for ever; a lock is never forgotten.
 * Refused attempts (delayed or locked) are answered exactly like a wrong password and do not count as failures: a
 * contact retrying too early is not punished further, and nobody can push an account to its lock faster than the
 * delays allow.
 *
 * Per IP address (per clinic, from the address the runtime vouches for; IPv6 per /64 network):
 * - at most 20 failed password logins per fixed 15-minute window; the next attempt gets 429 with `Retry-After`
 *   until the window ends;
 * - at most 20 BankID starts per fixed 1-minute window. Starting a BankID order with "secure start" notifies
 *   nobody, so the limit only has to stop floods, not to be tight: an office behind one NAT address may well start
 *   a dozen logins a minute;
 * - at most 5 password-reset requests per fixed 15-minute window (every request counts: each may send a mail);
 * - at most 20 refused set-password links (unknown, used, ended or malformed) per fixed 15-minute window. A link's
 *   secret has 256 bits, so guessing is hopeless anyway; the limit bounds the work anyone can cause.
 * A 429 reveals nothing about accounts: it depends only on what came from that address.
 *
 * Per account, reset mails: at most 3 per fixed one-hour window, so that nobody can flood a
 * contact's mailbox. A request beyond it is answered exactly like any other (202) and sends nothing, so the limit
 * reveals nothing either; the newest link sent still works.
 */

export const LOGIN_THROTTLING = {
  account: {
    /** Consecutive failures that cost no delay. */
    freeFailures: 5,
    /** The delay after the first failure beyond the free ones; it doubles with each further failure. */
    firstDelayMs: 1000,
    maxDelayMs: 15 * 60 * 1000,
    /** NIST SP 800-63B: no more than 100 consecutive failed attempts on one account. */
    lockAtFailures: 100,
    /** A counter (not a lock) is forgotten this long after its last failure. */
    forgetAfterSeconds: 90 * 24 * 60 * 60,
  },
  ip: {
    password_failure: { limit: 20, windowSeconds: 15 * 60 },
    bankid_start: { limit: 20, windowSeconds: 60 },
    password_reset: { limit: 5, windowSeconds: 15 * 60 },
    password_link_failure: { limit: 20, windowSeconds: 15 * 60 },
  },
  /** Reset mails to one account: beyond this many per window, requests are answered alike but send nothing. */
  resetMail: { limit: 3, windowSeconds: 60 * 60 },
} as const;

/** What is counted per IP address, each in its own window. */
export type IpThrottledAction = keyof typeof LOGIN_THROTTLING.ip;

export interface IpRule {
  readonly limit: number;
  readonly windowSeconds: number;
}

/** The consecutive failed logins of one username in one clinic. */
export interface AccountFailures {
  readonly failures: number;
  /** When this run of failures began (ISO instant). */
  readonly firstFailureAt: string;
  readonly lastFailureAt: string;
  /** `locked` after {@link LOGIN_THROTTLING.account.lockAtFailures} failures, until it is unlocked. */
  readonly status: 'counting' | 'locked';
  readonly lockedAt?: string;
}

/** One IP address's events of one kind in the current fixed window. */
export interface IpWindow {
  readonly count: number;
  readonly windowStart: string;
  /** The window ends (and the count starts again) at this instant. */
  readonly windowEnd: string;
}

/** Whether a login attempt on an account may be checked now. */
export type AccountGate =
  | { readonly state: 'open' }
  | { readonly state: 'delayed'; readonly until: Date }
  | { readonly state: 'locked' };

/** The time that must pass after the last of `failures` consecutive failures before the next attempt counts. */
export function accountDelayMs(failures: number): number {
  const { freeFailures, firstDelayMs, maxDelayMs } = LOGIN_THROTTLING.account;
  if (failures < freeFailures) return 0;
  // 2^(failures - freeFailures) grows past the cap long before it could overflow; the min keeps it bounded.
  return Math.min(firstDelayMs * 2 ** Math.min(failures - freeFailures, 30), maxDelayMs);
}

/** True when this many consecutive failures lock the account. */
export function locksAccount(failures: number): boolean {
  return failures >= LOGIN_THROTTLING.account.lockAtFailures;
}

export function accountGate(counter: AccountFailures | undefined, now: Date): AccountGate {
  if (!counter) return { state: 'open' };
  if (counter.status === 'locked' || locksAccount(counter.failures)) return { state: 'locked' };
  const until = Date.parse(counter.lastFailureAt) + accountDelayMs(counter.failures);
  return now.getTime() < until ? { state: 'delayed', until: new Date(until) } : { state: 'open' };
}

function secondsUntil(windowEnd: string, now: Date): number | undefined {
  const ms = Date.parse(windowEnd) - now.getTime();
  return ms > 0 ? Math.ceil(ms / 1000) : undefined;
}

/**
 * Before an attempt that is counted only if it fails: the seconds until the address may try again, or undefined
 * if the window still has room (or has ended).
 */
export function ipRetryAfterSeconds(window: IpWindow | undefined, rule: IpRule, now: Date): number | undefined {
  if (!window || window.count < rule.limit) return undefined;
  return secondsUntil(window.windowEnd, now);
}

/** After counting an attempt (the window includes it): the seconds to wait if it went over the limit. */
export function ipOverLimitSeconds(window: IpWindow, rule: IpRule, now: Date): number | undefined {
  if (window.count <= rule.limit) return undefined;
  return secondsUntil(window.windowEnd, now);
}

/** The message of a 429: says when to come back, in whole minutes (never "0 minutes"). */
export function tooManyAttemptsMessage(retryAfterSeconds: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return `Too many attempts from your network; try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`;
}
