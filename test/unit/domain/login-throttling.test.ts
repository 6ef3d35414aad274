import { describe, expect, it } from 'vitest';
import {
  type AccountFailures,
  accountDelayMs,
  accountGate,
  type IpWindow,
  ipOverLimitSeconds,
  ipRetryAfterSeconds,
  LOGIN_THROTTLING,
  locksAccount,
  tooManyAttemptsMessage,
} from '../../../functions/domain/login-throttling';

const NOW = new Date('2024-05-01T10:00:00.000Z');
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);

function counter(failures: number, lastFailureAt: Date, status: AccountFailures['status'] = 'counting') {
  return {
    failures,
    firstFailureAt: '2024-05-01T09:00:00.000Z',
    lastFailureAt: lastFailureAt.toISOString(),
    status,
  } satisfies AccountFailures;
}

describe('the delay after consecutive failures', () => {
  it.each([
    [0, 0],
    [4, 0],
    [5, 1000],
    [6, 2000],
    [7, 4000],
    [10, 32_000],
    [14, 512_000],
    [15, 900_000],
    [16, 900_000],
    [99, 900_000],
    [10_000, 900_000],
  ])('after %i failures is %i ms', (failures, delay) => {
    expect(accountDelayMs(failures)).toBe(delay);
  });

  it('makes 100 guesses at one account take about 21 hours', () => {
    let total = 0;
    for (let failures = 1; failures < LOGIN_THROTTLING.account.lockAtFailures; failures += 1) {
      total += accountDelayMs(failures);
    }

    expect(total / 3_600_000).toBeGreaterThan(21);
    expect(total / 3_600_000).toBeLessThan(22);
  });
});

describe('the account gate', () => {
  it('is open for an account without failures', () => {
    expect(accountGate(undefined, NOW)).toEqual({ state: 'open' });
  });

  it('stays open through the first five failures, however fast they come', () => {
    expect(accountGate(counter(4, NOW), NOW)).toEqual({ state: 'open' });
  });

  it('closes for the delay after the fifth failure and opens when it has passed', () => {
    expect(accountGate(counter(5, NOW), at(999))).toEqual({ state: 'delayed', until: at(1000) });
    expect(accountGate(counter(5, NOW), at(1000))).toEqual({ state: 'open' });
  });

  it('doubles the wait with each further failure', () => {
    expect(accountGate(counter(8, NOW), at(7_999))).toEqual({ state: 'delayed', until: at(8_000) });
    expect(accountGate(counter(8, NOW), at(8_000)).state).toBe('open');
  });

  it('is locked at 100 failures and stays locked whatever the time', () => {
    expect(accountGate(counter(99, NOW), at(15 * 60_000)).state).toBe('open');
    expect(accountGate(counter(100, NOW), at(365 * 24 * 3_600_000))).toEqual({ state: 'locked' });
    expect(accountGate(counter(3, NOW, 'locked'), at(365 * 24 * 3_600_000))).toEqual({ state: 'locked' });
  });

  it('locks with the 100th failure, not before', () => {
    expect(locksAccount(99)).toBe(false);
    expect(locksAccount(100)).toBe(true);
  });
});

describe('the per-address limits', () => {
  const rule = LOGIN_THROTTLING.ip.password_failure;
  const window = (count: number): IpWindow => ({
    count,
    windowStart: NOW.toISOString(),
    windowEnd: at(rule.windowSeconds * 1000).toISOString(),
  });

  it('are 20 failed password logins and 20 refused set-password links per 15 minutes, 20 BankID starts per minute and 5 reset requests per 15 minutes', () => {
    expect(LOGIN_THROTTLING.ip).toEqual({
      password_failure: { limit: 20, windowSeconds: 900 },
      bankid_start: { limit: 20, windowSeconds: 60 },
      password_reset: { limit: 5, windowSeconds: 900 },
      password_link_failure: { limit: 20, windowSeconds: 900 },
    });
  });

  it('let one account receive at most 3 reset mails an hour', () => {
    expect(LOGIN_THROTTLING.resetMail).toEqual({ limit: 3, windowSeconds: 3600 });
  });

  it('let attempts through until the window holds the limit, then say how long to wait', () => {
    expect(ipRetryAfterSeconds(undefined, rule, NOW)).toBeUndefined();
    expect(ipRetryAfterSeconds(window(19), rule, at(60_000))).toBeUndefined();
    expect(ipRetryAfterSeconds(window(20), rule, at(60_000))).toBe(840);
    expect(ipRetryAfterSeconds(window(20), rule, at(899_001))).toBe(1);
  });

  it('let attempts through again once the window has ended', () => {
    expect(ipRetryAfterSeconds(window(500), rule, at(900_000))).toBeUndefined();
  });

  it('refuse a counted event only when it went over the limit', () => {
    expect(ipOverLimitSeconds(window(20), rule, NOW)).toBeUndefined();
    expect(ipOverLimitSeconds(window(21), rule, NOW)).toBe(900);
  });

  it.each([
    [900, 'Too many attempts from your network; try again in 15 minutes.'],
    [61, 'Too many attempts from your network; try again in 2 minutes.'],
    [60, 'Too many attempts from your network; try again in 1 minute.'],
    [1, 'Too many attempts from your network; try again in 1 minute.'],
  ])('tell the user, after %i seconds, when to come back', (seconds, message) => {
    expect(tooManyAttemptsMessage(seconds)).toBe(message);
  });
});
