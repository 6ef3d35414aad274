import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountFailures } from '../../functions/domain/login-throttling';
import {
  type BankIdSimulator,
  startBankIdSimulator,
} from '../../functions/local/bankid-simulator/start-bankid-simulator';
import { readAuditEvents } from '../support/audit-events';
import {
  type ClinicContact,
  type ClinicFixture,
  createClinic,
  createTestPortal,
  type TestPortal,
} from '../support/test-portal';

/**
 * Login throttling through the portal API (SECURITY.md "Authentication", NIST SP 800-63B §5.2.2): per account an
 * exponential delay after 5 failures and a lock at 100, answered exactly like a wrong password; per address 429
 * with Retry-After. Every test uses its own addresses and contacts, so the counters of one never touch another.
 */
const portal = createTestPortal();
let clinic: ClinicFixture;

beforeAll(async () => {
  clinic = await createClinic(portal);
});

const MINUTE = 60_000;
/** A random address in 10.0.0.0/8: the runtime vouches for it (the local wiring reads the socket's address). */
const randomIp = () => `10.${[0, 0, 0].map(() => Math.floor(Math.random() * 250) + 1).join('.')}`;
const unknownUsername = () => `ingen-${randomUUID().slice(0, 8)}@example.se`;
const WRONG = 'fel-lösenord-helt-enkelt';

interface Answer {
  readonly status: number;
  readonly body: unknown;
  /** Every header but the request id, which is unique per request by design. */
  readonly headers: Record<string, string>;
}

/** A browser on the clinic's address, connecting from `ip`. */
function from(ip: string, fixture: Pick<ClinicFixture, 'host' | 'origin'> = clinic) {
  const post = async (path: string, body: unknown): Promise<Answer> => {
    const response = await portal.app.request(
      `https://${fixture.host}${path}`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: fixture.origin },
        body: JSON.stringify(body),
      },
      { incoming: { socket: { remoteAddress: ip } } },
    );
    return {
      status: response.status,
      body: await response.json(),
      headers: Object.fromEntries([...response.headers].filter(([name]) => name !== 'x-request-id')),
    };
  };
  return {
    login: (username: string, password: string) => post('/api/auth/login', { username, password }),
  };
}

const INVALID = { error: { code: 'invalid_credentials', message: 'The username or password is wrong.' } };

async function failureReasons(fixture: ClinicFixture, actorId?: string): Promise<unknown[]> {
  const events = await readAuditEvents(fixture.tenantId, portal.clock.now().toISOString().slice(0, 7));
  return events
    .filter((event) => event.action === 'login.password' && event.outcome === 'failure')
    .filter((event) => actorId === undefined || ('id' in event.actor && event.actor.id === actorId))
    .map((event) => event.details?.reason);
}

/** Drives a username's counter to `failures` through the adapter: the same writes as failed logins, minus scrypt. */
async function failedBefore(fixture: ClinicFixture, username: string, failures: number): Promise<void> {
  const throttle = fixture.scope.loginThrottle;
  let seen: AccountFailures | undefined = await throttle.getAccount(username, portal.clock.now());
  while ((seen?.failures ?? 0) < failures) {
    seen = await throttle.recordAccountFailure(username, portal.clock.now(), { seen, forgetAfterSeconds: 3600 });
  }
}

describe('per account', () => {
  let anna: ClinicContact;
  beforeAll(async () => {
    anna = await clinic.addContact([clinic.customer]);
  });

  it('refuses even the right password inside the delay after five failures, exactly like a wrong one', async () => {
    const browser = from(randomIp());
    const failures: Answer[] = [];
    for (let attempt = 1; attempt <= 5; attempt += 1) failures.push(await browser.login(anna.username, WRONG));

    const insideDelay = await browser.login(anna.username, anna.password);
    portal.clock.advance(1000);
    const afterDelay = await browser.login(anna.username, anna.password);

    for (const failure of failures) expect(failure).toEqual(failures[0]);
    expect(failures[0]?.status).toBe(401);
    expect(failures[0]?.body).toEqual(INVALID);
    expect(insideDelay).toEqual(failures[4]);
    expect(insideDelay.headers).not.toHaveProperty('set-cookie');
    expect(insideDelay.headers).not.toHaveProperty('retry-after');
    expect(afterDelay.status).toBe(200);
    expect(afterDelay.headers['set-cookie']).toMatch(/^__Host-session=/u);
    expect(await failureReasons(clinic, anna.contact.id)).toEqual([
      ...Array(5).fill('invalid_credentials'),
      'account_delayed',
    ]);
  });

  it('doubles the delay with each further failure', async () => {
    const who = await clinic.addContact([clinic.customer]);
    const browser = from(randomIp());
    for (let attempt = 1; attempt <= 5; attempt += 1) await browser.login(who.username, WRONG);
    portal.clock.advance(1000);
    await browser.login(who.username, WRONG);

    portal.clock.advance(1500);
    const after1500ms = await browser.login(who.username, who.password);
    portal.clock.advance(600);
    const after2100ms = await browser.login(who.username, who.password);

    expect(after1500ms.status).toBe(401);
    expect(after2100ms.status).toBe(200);
  });

  it('starts counting afresh after a successful login', async () => {
    const who = await clinic.addContact([clinic.customer]);
    const browser = from(randomIp());
    for (let attempt = 1; attempt <= 5; attempt += 1) await browser.login(who.username, WRONG);
    portal.clock.advance(1000);
    expect((await browser.login(who.username, who.password)).status).toBe(200);

    // Without the reset these would be failures 6 to 9, and the login right after them would be delayed by 16 s.
    for (let attempt = 1; attempt <= 4; attempt += 1) await browser.login(who.username, WRONG);
    const rightAway = await browser.login(who.username, who.password);

    expect(rightAway.status).toBe(200);
    expect(await clinic.scope.loginThrottle.getAccount(who.username, portal.clock.now())).toBeUndefined();
  });

  it('locks the account at the 100th consecutive failure, until an administrator unlocks it', async () => {
    const who = await clinic.addContact([clinic.customer]);
    const browser = from(randomIp());
    await failedBefore(clinic, who.username, 99);
    portal.clock.advance(15 * MINUTE);

    const hundredth = await browser.login(who.username, WRONG);
    const rightPassword = await browser.login(who.username, who.password);
    portal.clock.advance(24 * 60 * MINUTE);
    const aDayLater = await browser.login(who.username, who.password);
    const counter = await clinic.scope.loginThrottle.getAccount(who.username, portal.clock.now());
    await clinic.scope.loginThrottle.unlockAccount(who.username);
    const unlocked = await browser.login(who.username, who.password);

    expect(hundredth.status).toBe(401);
    expect(rightPassword).toEqual(hundredth);
    expect(aDayLater).toEqual(hundredth);
    expect(counter).toMatchObject({ failures: 100, status: 'locked' });
    expect(unlocked.status).toBe(200);
    expect(await failureReasons(clinic, who.contact.id)).toEqual([
      'invalid_credentials',
      'account_locked',
      'account_locked',
    ]);
  });

  it('throttles an unknown username exactly like an existing one, in every phase', async () => {
    const who = await clinic.addContact([clinic.customer]);
    const nobody = unknownUsername();
    const existing = from(randomIp());
    const unknown = from(randomIp());
    const both = async (existingPassword: string) =>
      [await existing.login(who.username, existingPassword), await unknown.login(nobody, existingPassword)] as const;
    const phases: Array<readonly [Answer, Answer]> = [];

    for (let attempt = 1; attempt <= 5; attempt += 1) phases.push(await both(WRONG));
    phases.push(await both(who.password)); // inside the delay: the right password is not even checked
    portal.clock.advance(1000);
    phases.push(await both(WRONG)); // the sixth failure
    const counters = [
      await clinic.scope.loginThrottle.getAccount(who.username, portal.clock.now()),
      await clinic.scope.loginThrottle.getAccount(nobody, portal.clock.now()),
    ];
    await failedBefore(clinic, who.username, 99);
    await failedBefore(clinic, nobody, 99);
    portal.clock.advance(15 * MINUTE);
    phases.push(await both(WRONG)); // the hundredth failure locks
    phases.push(await both(who.password)); // locked

    for (const [forExisting, forUnknown] of phases) {
      expect(forExisting.status).toBe(401);
      expect(forUnknown).toEqual(forExisting);
    }
    expect(counters.map((counter) => counter?.failures)).toEqual([6, 6]);
    expect(
      (await clinic.scope.loginThrottle.getAccount(nobody, portal.clock.now()))?.status,
      'the unknown username is locked too',
    ).toBe('locked');
  });

  it('keeps the counters of different clinics apart, even for the same username', async () => {
    const otherClinic = await createClinic(portal);
    const namesake = await otherClinic.addContact([otherClinic.customer]);
    const sameName = { ...namesake, username: `namne-${randomUUID().slice(0, 8)}@example.se` };
    const here = await clinic.addContact([clinic.customer]);
    await otherClinic.scope.contacts.putPasswordIdentity({
      username: sameName.username,
      contactId: namesake.contact.id,
      passwordHash: await portal.deps.hasher.hash(namesake.password),
    });
    await clinic.scope.contacts.putPasswordIdentity({
      username: sameName.username,
      contactId: here.contact.id,
      passwordHash: await portal.deps.hasher.hash(here.password),
    });
    const ip = randomIp();

    for (let attempt = 1; attempt <= 5; attempt += 1) await from(ip).login(sameName.username, WRONG);
    const delayedHere = await from(ip).login(sameName.username, here.password);
    const elsewhere = await from(ip, otherClinic).login(sameName.username, namesake.password);

    expect(delayedHere.status).toBe(401);
    expect(elsewhere.status).toBe(200);
  });
});

describe('per address', () => {
  const manyFailures = async (ip: string, fixture: ClinicFixture = clinic, count = 20) => {
    const statuses: number[] = [];
    for (let attempt = 1; attempt <= count; attempt += 1) {
      statuses.push((await from(ip, fixture).login(unknownUsername(), WRONG)).status);
    }
    return statuses;
  };

  it('answers 429 with Retry-After after 20 failed logins from one address in 15 minutes, then lets it try again', async () => {
    const who = await clinic.addContact([clinic.customer]);
    const ip = randomIp();

    const statuses = await manyFailures(ip);
    const limited = await from(ip).login(who.username, who.password);
    portal.clock.advance(14 * MINUTE);
    const stillLimited = await from(ip).login(who.username, who.password);
    portal.clock.advance(MINUTE);
    const afterWindow = await from(ip).login(who.username, who.password);

    expect(statuses).toEqual(Array(20).fill(401));
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(890);
    expect(retryAfter).toBeLessThanOrEqual(900);
    expect(limited.body).toEqual({
      error: {
        code: 'too_many_requests',
        message: 'Too many attempts from your network; try again in 15 minutes.',
        details: { retryAfterSeconds: retryAfter },
      },
    });
    expect(limited.headers).not.toHaveProperty('set-cookie');
    expect(stillLimited.status).toBe(429);
    expect(Number(stillLimited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect((stillLimited.body as { error: { message: string } }).error.message).toBe(
      'Too many attempts from your network; try again in 1 minute.',
    );
    expect(afterWindow.status).toBe(200);
    expect((await failureReasons(clinic, who.contact.id)).filter((reason) => reason === 'throttled_ip')).toHaveLength(
      2,
    );
  });

  it('does not count successful logins against the address', async () => {
    const who = await clinic.addContact([clinic.customer]);
    const ip = randomIp();
    await manyFailures(ip, clinic, 19);

    for (let attempt = 1; attempt <= 3; attempt += 1) {
      expect((await from(ip).login(who.username, who.password)).status).toBe(200);
    }
  });

  it('limits each address in each clinic on its own', async () => {
    const otherClinic = await createClinic(portal);
    const ip = randomIp();
    await manyFailures(ip);

    const sameAddress = await from(ip).login(clinic.contact.username, clinic.contact.password);
    const otherAddress = await from(randomIp()).login(clinic.contact.username, clinic.contact.password);
    const otherClinicSameAddress = await from(ip, otherClinic).login(
      otherClinic.contact.username,
      otherClinic.contact.password,
    );

    expect(sameAddress.status).toBe(429);
    expect(otherAddress.status).toBe(200);
    expect(otherClinicSameAddress.status).toBe(200);
  });
});

describe('BankID starts per address', () => {
  let simulator: BankIdSimulator;
  let withBankId: TestPortal;
  let fixture: ClinicFixture;

  beforeAll(async () => {
    simulator = await startBankIdSimulator({ clock: { now: () => withBankId.clock.now() } });
    withBankId = createTestPortal({ bankIdSimulator: simulator });
    fixture = await createClinic(withBankId);
  });

  afterAll(async () => {
    await simulator?.stop();
  });

  const start = async (ip: string, where: ClinicFixture = fixture) => {
    const response = await withBankId.app.request(
      `https://${where.host}/api/auth/bankid`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: where.origin },
        body: JSON.stringify({ method: 'qr' }),
      },
      { incoming: { socket: { remoteAddress: ip } } },
    );
    return { status: response.status, retryAfter: response.headers.get('Retry-After'), body: await response.json() };
  };

  it('allows 20 starts a minute from one address, then answers 429 until the minute is over', async () => {
    const ip = randomIp();
    const statuses: number[] = [];
    for (let attempt = 1; attempt <= 20; attempt += 1) statuses.push((await start(ip)).status);

    const limited = await start(ip);
    const otherAddress = await start(randomIp());
    const otherClinic = await start(ip, await createClinic(withBankId));
    withBankId.clock.advance(MINUTE);
    const nextMinute = await start(ip);

    expect(statuses).toEqual(Array(20).fill(201));
    expect(limited.status).toBe(429);
    expect(Number(limited.retryAfter)).toBeGreaterThan(0);
    expect(Number(limited.retryAfter)).toBeLessThanOrEqual(60);
    expect(limited.body).toMatchObject({
      error: {
        code: 'too_many_requests',
        message: 'Too many attempts from your network; try again in 1 minute.',
      },
    });
    expect(otherAddress.status).toBe(201);
    expect(otherClinic.status).toBe(201);
    expect(nextMinute.status).toBe(201);
    const events = await readAuditEvents(fixture.tenantId, withBankId.clock.now().toISOString().slice(0, 7));
    expect(
      events.filter((event) => event.action === 'login.bankid' && event.details?.reason === 'throttled_ip'),
    ).toHaveLength(1);
  });
});
