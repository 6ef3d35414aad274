import { describe, expect, it } from 'vitest';
import type { SessionTimeoutSetting } from '../../functions/domain/session-policy';
import { addAdmin, adminClientFor } from '../support/admin-fixture';
import { type ClinicFixture, clientFor, createClinic, createTestPortal } from '../support/test-portal';

const portal = createTestPortal();
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A clinic with its own session timeouts, as the admin issue's settings screen will store them. */
async function clinicWith(setting: SessionTimeoutSetting | undefined): Promise<ClinicFixture> {
  const clinic = await createClinic(portal);
  await setTimeouts(clinic, setting);
  return clinic;
}

async function setTimeouts(clinic: ClinicFixture, setting: SessionTimeoutSetting | undefined): Promise<void> {
  const tenant = await clinic.scope.tenant.get();
  if (!tenant) throw new Error('The clinic has no profile.');
  const { id: _id, sessionTimeouts: _old, ...profile } = tenant;
  await clinic.scope.tenant.put({ ...profile, ...(setting ? { sessionTimeouts: setting } : {}) });
}

/** Status of a request after the session sat idle for `idleMs` (the clock moves on; later calls start from there). */
async function afterIdle(request: () => Response | Promise<Response>, idleMs: number): Promise<number> {
  portal.clock.advance(idleMs);
  return (await request()).status;
}

describe("a clinic's own session timeouts", () => {
  it("end a contact's session after the clinic's idle timeout instead of the default 30 minutes", async () => {
    const clinic = await clinicWith({ idleMinutes: 10 });
    const client = clientFor(portal, clinic);
    await client.login(clinic.contact);
    const me = () => client.request('/api/me');

    const statuses = [
      await afterIdle(me, 9 * MINUTE),
      await afterIdle(me, 9 * MINUTE),
      await afterIdle(me, 11 * MINUTE),
    ];

    expect(statuses).toEqual([200, 200, 401]);
  });

  it("end a contact's session at the clinic's absolute timeout, however active", async () => {
    const clinic = await clinicWith({ absoluteHours: 2 });
    const client = clientFor(portal, clinic);
    await client.login(clinic.contact);
    const me = () => client.request('/api/me');
    const statuses: number[] = [];

    for (let elapsed = 20 * MINUTE; elapsed <= 2 * HOUR; elapsed += 20 * MINUTE)
      statuses.push(await afterIdle(me, 20 * MINUTE));

    expect(statuses).toEqual([200, 200, 200, 200, 200, 401]);
  });

  it('let a contact stay longer where the clinic allows it (60 minutes idle, 12 hours in all)', async () => {
    const clinic = await clinicWith({ idleMinutes: 60, absoluteHours: 12 });
    const client = clientFor(portal, clinic);
    const login = await client.login(clinic.contact);
    const me = () => client.request('/api/me');

    const idle = await afterIdle(me, 55 * MINUTE);
    const cookieExpiry = Date.parse(/Expires=([^;]+)/u.exec(login.headers.get('Set-Cookie') ?? '')?.[1] ?? '');

    expect(idle).toBe(200);
    expect(cookieExpiry - portal.clock.now().getTime()).toBeGreaterThan(11 * HOUR);
  });

  it('give administrators 15 minutes idle at most, and the clinic’s stricter value where it has one', async () => {
    const defaults = await clinicWith(undefined);
    const loose = await clinicWith({ idleMinutes: 60 });
    const strict = await clinicWith({ idleMinutes: 5 });
    const loggedIn = async (clinic: ClinicFixture) => {
      const client = adminClientFor(portal, clinic);
      await client.login(await addAdmin(portal, clinic));
      return () => client.request('/api/admin/me');
    };
    const [inDefaults, inLoose, inStrict] = [await loggedIn(defaults), await loggedIn(loose), await loggedIn(strict)];

    const atFourMinutes = [
      await afterIdle(inDefaults, 0),
      await afterIdle(inLoose, 0),
      await afterIdle(inStrict, 4 * MINUTE),
    ];
    // Each of the three has now been used; a further 6 minutes idle ends only the strict clinic's.
    const atSixMore = [
      await afterIdle(inDefaults, 6 * MINUTE),
      await afterIdle(inLoose, 0),
      await afterIdle(inStrict, 0),
    ];
    const atSixteenMore = [await afterIdle(inDefaults, 16 * MINUTE), await afterIdle(inLoose, 0)];

    expect(atFourMinutes).toEqual([200, 200, 200]);
    expect(atSixMore).toEqual([200, 200, 401]);
    expect(atSixteenMore).toEqual([401, 401]);
  });

  it('keep the idle timeout a session started with, when the clinic changes its setting later', async () => {
    const clinic = await clinicWith({ idleMinutes: 60 });
    const client = clientFor(portal, clinic);
    await client.login(clinic.contact);
    await setTimeouts(clinic, { idleMinutes: 5 });
    const later = clientFor(portal, clinic);
    await later.login(clinic.contact);

    const started = await afterIdle(() => client.request('/api/me'), 10 * MINUTE);
    const startedAfterTheChange = (await later.request('/api/me')).status;

    expect(started).toBe(200);
    expect(startedAfterTheChange).toBe(401);
  });
});
