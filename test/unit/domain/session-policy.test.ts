import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../functions/domain/errors';
import {
  ADMIN_SESSION_CEILING,
  checkSessionTimeoutSetting,
  SESSION_TIMEOUT_BOUNDS,
  sessionTimeoutsFor,
} from '../../../functions/domain/session-policy';

const minutes = (n: number) => n * 60_000;
const hours = (n: number) => n * 3_600_000;

describe('session timeouts per clinic', () => {
  it('defaults to 30 minutes idle and 8 hours in all for contacts, 15 minutes idle for administrators', () => {
    expect(sessionTimeoutsFor('contact', undefined)).toEqual({
      idleTimeoutMs: minutes(30),
      absoluteTimeoutMs: hours(8),
    });
    expect(sessionTimeoutsFor('admin', undefined)).toEqual({ idleTimeoutMs: minutes(15), absoluteTimeoutMs: hours(8) });
    expect(sessionTimeoutsFor('contact', {})).toEqual(sessionTimeoutsFor('contact', undefined));
  });

  it("uses the clinic's values for contacts, and for administrators only where they are stricter", () => {
    const loose = { idleMinutes: 60, absoluteHours: 12 };
    const strict = { idleMinutes: 5, absoluteHours: 1 };

    expect(sessionTimeoutsFor('contact', loose)).toEqual({ idleTimeoutMs: minutes(60), absoluteTimeoutMs: hours(12) });
    expect(sessionTimeoutsFor('admin', loose)).toEqual({
      idleTimeoutMs: minutes(ADMIN_SESSION_CEILING.idleMinutes),
      absoluteTimeoutMs: hours(ADMIN_SESSION_CEILING.absoluteHours),
    });
    expect(sessionTimeoutsFor('admin', strict)).toEqual({ idleTimeoutMs: minutes(5), absoluteTimeoutMs: hours(1) });
  });

  it('forces stored values outside the bounds into them (a value stored under other bounds never escapes)', () => {
    expect(sessionTimeoutsFor('contact', { idleMinutes: 1, absoluteHours: 48 })).toEqual({
      idleTimeoutMs: minutes(SESSION_TIMEOUT_BOUNDS.idleMinutes.min),
      absoluteTimeoutMs: hours(SESSION_TIMEOUT_BOUNDS.absoluteHours.max),
    });
    expect(sessionTimeoutsFor('contact', { idleMinutes: Number.NaN })).toEqual(sessionTimeoutsFor('contact', {}));
  });

  it('accepts whole values within the bounds, and only the values given', () => {
    expect(checkSessionTimeoutSetting({ idleMinutes: 5, absoluteHours: 12 })).toEqual({
      idleMinutes: 5,
      absoluteHours: 12,
    });
    expect(checkSessionTimeoutSetting({ absoluteHours: 1 })).toEqual({ absoluteHours: 1 });
    expect(checkSessionTimeoutSetting({})).toEqual({});
  });

  it('names every bad value, with its bounds, in one validation error', () => {
    const error = (() => {
      try {
        checkSessionTimeoutSetting({ idleMinutes: 90, absoluteHours: 2.5 });
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })();

    expect(error).toBeInstanceOf(ValidationError);
    const { message, details } = error as ValidationError;
    expect(message).toBe(
      'Invalid session timeouts: idleMinutes must be a whole number of minutes from 5 to 60, not 90; ' +
        'absoluteHours must be a whole number of hours from 1 to 12, not 2.5.',
    );
    expect(Object.keys((details as { fields: Record<string, string> }).fields)).toEqual([
      'idleMinutes',
      'absoluteHours',
    ]);
    expect(() => checkSessionTimeoutSetting({ idleMinutes: '30' })).toThrow(/idleMinutes .* not "30"/u);
    expect(() => checkSessionTimeoutSetting({ idleMinutes: 4 })).toThrow(ValidationError);
  });
});
