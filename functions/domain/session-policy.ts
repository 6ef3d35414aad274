import { ValidationError } from './errors';
import type { SessionKind } from './identity';

/**
 * How long sessions live (SECURITY.md "Sessions and tokens"): an idle timeout (no request for that long ends the
 * session) and an absolute timeout (the session ends then, however active). A clinic may set its own values within
 * {@link SESSION_TIMEOUT_BOUNDS}; without a setting the defaults apply.
 *
 * Administrators can do far more than contacts (every customer's documents, every contact's access), so their
 * sessions never live longer than {@link ADMIN_SESSION_CEILING}: 15 minutes idle (OWASP ASVS 7.3.1 asks for short
 * idle timeouts on high-value accounts) and 8 hours in all. A clinic setting can make admin sessions stricter still,
 * never looser: a clinic that lets its contacts stay logged in for 12 hours does not thereby leave admin pages open
 * for 12 hours.
 */

/** A clinic's own session timeouts as stored on the tenant; each value is optional (then the default applies). */
export interface SessionTimeoutSetting {
  readonly idleMinutes?: number;
  readonly absoluteHours?: number;
}

export const SESSION_TIMEOUT_BOUNDS = {
  idleMinutes: { min: 5, max: 60, default: 30 },
  absoluteHours: { min: 1, max: 12, default: 8 },
} as const;

/** The longest an administrator's session may live, whatever the clinic sets. */
export const ADMIN_SESSION_CEILING = { idleMinutes: 15, absoluteHours: 8 } as const;

/** The timeouts in force for one new session. */
export interface SessionTimeouts {
  readonly idleTimeoutMs: number;
  readonly absoluteTimeoutMs: number;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

type SettingName = keyof typeof SESSION_TIMEOUT_BOUNDS;

const UNITS: Readonly<Record<SettingName, string>> = { idleMinutes: 'minutes', absoluteHours: 'hours' };

/**
 * Checks a setting an administrator submits (the settings screen of the admin issue): each given value must be a
 * whole number within its bounds. Every offending value is named in the ValidationError's `details.fields`, with
 * the bounds, so the screen can say exactly what to change. Returns the setting with only the given values.
 */
export function checkSessionTimeoutSetting(input: {
  readonly idleMinutes?: unknown;
  readonly absoluteHours?: unknown;
}): SessionTimeoutSetting {
  const fields: Record<string, string> = {};
  const setting: { idleMinutes?: number; absoluteHours?: number } = {};
  for (const name of Object.keys(SESSION_TIMEOUT_BOUNDS) as SettingName[]) {
    const value = input[name];
    if (value === undefined) continue;
    const { min, max } = SESSION_TIMEOUT_BOUNDS[name];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      fields[name] = `must be a whole number of ${UNITS[name]} from ${min} to ${max}, not ${JSON.stringify(value)}`;
      continue;
    }
    setting[name] = value;
  }
  const offending = Object.keys(fields);
  if (offending.length > 0) {
    throw new ValidationError(
      `Invalid session timeouts: ${offending.map((name) => `${name} ${fields[name]}`).join('; ')}.`,
      { fields },
    );
  }
  return setting;
}

/** A stored value, forced into the current bounds: a value stored under other bounds never escapes these. */
function clamped(name: SettingName, value: number | undefined): number {
  const { min, max, default: fallback } = SESSION_TIMEOUT_BOUNDS[name];
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, value));
}

/** The timeouts of a new session of this kind in a clinic with this setting (absent: the defaults). */
export function sessionTimeoutsFor(kind: SessionKind, setting: SessionTimeoutSetting | undefined): SessionTimeouts {
  let idleMinutes = clamped('idleMinutes', setting?.idleMinutes);
  let absoluteHours = clamped('absoluteHours', setting?.absoluteHours);
  if (kind === 'admin') {
    idleMinutes = Math.min(idleMinutes, ADMIN_SESSION_CEILING.idleMinutes);
    absoluteHours = Math.min(absoluteHours, ADMIN_SESSION_CEILING.absoluteHours);
  }
  return { idleTimeoutMs: idleMinutes * MINUTE_MS, absoluteTimeoutMs: absoluteHours * HOUR_MS };
}
