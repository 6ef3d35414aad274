import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dynamoDbLoginThrottle } from '../../functions/adapters/dynamodb/dynamodb-login-throttle';
import { keys, throttledNetwork } from '../../functions/adapters/dynamodb/keys';
import { ConflictError } from '../../functions/domain/errors';
import type { AccountFailures } from '../../functions/domain/login-throttling';
import { emulatorTable } from '../support/emulator-table';

const NOW = new Date('2024-05-01T10:00:00.000Z');
const FORGET_SECONDS = 90 * 24 * 60 * 60;
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);
const username = () => `kontakt-${randomUUID().slice(0, 8)}@example.se`;
const ip = () => `10.${[0, 0, 0].map(() => Math.floor(Math.random() * 250) + 1).join('.')}`;

/** The LoginThrottle port's contract, run against DynamoDB Local. */
describe('login throttle (DynamoDB Local)', () => {
  const table = emulatorTable();
  const throttleFor = dynamoDbLoginThrottle(table);

  /** Records `count` failures one after the other, each with the counter it saw, `stepMs` apart. */
  async function fail(
    throttle: ReturnType<typeof throttleFor>,
    name: string,
    count: number,
    start = NOW,
    stepMs = 1000,
  ): Promise<AccountFailures | undefined> {
    let seen = await throttle.getAccount(name, start);
    for (let index = 0; index < count; index += 1) {
      seen = await throttle.recordAccountFailure(name, new Date(start.getTime() + index * stepMs), {
        seen,
        forgetAfterSeconds: FORGET_SECONDS,
      });
    }
    return seen;
  }

  describe('per account', () => {
    it('has no counter for a username that never failed', async () => {
      await expect(throttleFor(randomUUID()).getAccount(username(), NOW)).resolves.toBeUndefined();
    });

    it('counts consecutive failures, remembering when the run began and when it last failed', async () => {
      const throttle = throttleFor(randomUUID());
      const name = username();

      await fail(throttle, name, 3);

      expect(await throttle.getAccount(name, at(5000))).toEqual({
        failures: 3,
        firstFailureAt: NOW.toISOString(),
        lastFailureAt: at(2000).toISOString(),
        status: 'counting',
      });
    });

    it('treats usernames case-insensitively, like the login', async () => {
      const throttle = throttleFor(randomUUID());
      const name = username();
      await fail(throttle, name, 2);

      expect((await throttle.getAccount(` ${name.toUpperCase()} `, NOW))?.failures).toBe(2);
    });

    it('refuses to count a failure against a counter that changed since it was read (parallel attempts)', async () => {
      const throttle = throttleFor(randomUUID());
      const name = username();
      const seen = await fail(throttle, name, 2);
      await throttle.recordAccountFailure(name, NOW, { seen, forgetAfterSeconds: FORGET_SECONDS });

      // Both settle before either is inspected: a rejection must never be left unobserved meanwhile.
      const [stale, startsAnew] = await Promise.allSettled([
        throttle.recordAccountFailure(name, NOW, { seen, forgetAfterSeconds: FORGET_SECONDS }),
        throttle.recordAccountFailure(name, NOW, { seen: undefined, forgetAfterSeconds: 60 }),
      ]);

      expect(stale).toMatchObject({ status: 'rejected', reason: expect.any(ConflictError) });
      expect(startsAnew).toMatchObject({ status: 'rejected', reason: expect.any(ConflictError) });
      expect((await throttle.getAccount(name, NOW))?.failures).toBe(3);
    });

    it('lets only one of several parallel attempts through one open gate', async () => {
      const throttle = throttleFor(randomUUID());
      const name = username();
      const seen = await fail(throttle, name, 5);

      const results = await Promise.allSettled(
        Array.from({ length: 5 }, () =>
          throttle.recordAccountFailure(name, at(10_000), { seen, forgetAfterSeconds: FORGET_SECONDS }),
        ),
      );

      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      expect((await throttle.getAccount(name, at(10_000)))?.failures).toBe(6);
    });

    it('forgets a counter its retention after the last failure, even before the TTL sweep removes it', async () => {
      const throttle = throttleFor(randomUUID());
      const name = username();
      await fail(throttle, name, 4);
      const lastFailure = at(3000);
      const expiry = lastFailure.getTime() + FORGET_SECONDS * 1000;

      expect((await throttle.getAccount(name, new Date(expiry - 1)))?.failures).toBe(4);
      expect(await throttle.getAccount(name, new Date(expiry))).toBeUndefined();
      const fresh = await throttle.recordAccountFailure(name, new Date(expiry), {
        seen: undefined,
        forgetAfterSeconds: FORGET_SECONDS,
      });
      expect(fresh).toMatchObject({ failures: 1, firstFailureAt: new Date(expiry).toISOString() });
    });

    it('resets the counter after a success', async () => {
      const throttle = throttleFor(randomUUID());
      const name = username();
      await fail(throttle, name, 7);

      await throttle.resetAccount(name);
      await throttle.resetAccount(name);

      expect(await throttle.getAccount(name, NOW)).toBeUndefined();
    });

    it('locks for good: no expiry, not undone by a success, only by an unlock', async () => {
      const tenant = randomUUID();
      const throttle = throttleFor(tenant);
      const name = username();
      await fail(throttle, name, 100, NOW, 0);

      const locked = await throttle.lockAccount(name, at(1000));
      await throttle.lockAccount(name, at(2000));
      await throttle.resetAccount(name);
      const stored = await table.get(keys.throttleAccount(tenant, name));

      expect(locked).toMatchObject({ failures: 100, status: 'locked', lockedAt: at(1000).toISOString() });
      expect(await throttle.getAccount(name, at(10 * FORGET_SECONDS * 1000))).toMatchObject({
        status: 'locked',
        lockedAt: at(1000).toISOString(),
      });
      expect(stored).not.toHaveProperty('expiresAtEpoch');
      await expect(
        throttle.recordAccountFailure(name, NOW, { seen: undefined, forgetAfterSeconds: FORGET_SECONDS }),
      ).rejects.toBeInstanceOf(ConflictError);

      await throttle.unlockAccount(name);

      expect(await throttle.getAccount(name, NOW)).toBeUndefined();
    });

    it('keeps clinics apart: the same username has one counter per clinic', async () => {
      const name = username();
      const first = throttleFor(randomUUID());
      const second = throttleFor(randomUUID());

      await fail(first, name, 5);

      expect((await first.getAccount(name, NOW))?.failures).toBe(5);
      expect(await second.getAccount(name, NOW)).toBeUndefined();
    });
  });

  describe('per address', () => {
    it('counts events in a fixed window that starts with the first one', async () => {
      const throttle = throttleFor(randomUUID());
      const address = ip();

      const first = await throttle.countIp(address, 'password_failure', NOW, 900);
      const second = await throttle.countIp(address, 'password_failure', at(60_000), 900);

      const window = { windowStart: NOW.toISOString(), windowEnd: at(900_000).toISOString() };
      expect(first).toEqual({ count: 1, ...window });
      expect(second).toEqual({ count: 2, ...window });
      expect(await throttle.getIpWindow(address, 'password_failure', at(899_999))).toEqual({ count: 2, ...window });
    });

    it('starts a new window when the old one has ended, even before the TTL sweep removes it', async () => {
      const throttle = throttleFor(randomUUID());
      const address = ip();
      await throttle.countIp(address, 'bankid_start', NOW, 60);
      await throttle.countIp(address, 'bankid_start', NOW, 60);

      expect(await throttle.getIpWindow(address, 'bankid_start', at(60_000))).toBeUndefined();
      expect(await throttle.countIp(address, 'bankid_start', at(60_000), 60)).toEqual({
        count: 1,
        windowStart: at(60_000).toISOString(),
        windowEnd: at(120_000).toISOString(),
      });
    });

    it('counts every one of many parallel events exactly once', async () => {
      const throttle = throttleFor(randomUUID());
      const address = ip();

      const windows = await Promise.all(
        Array.from({ length: 12 }, () => throttle.countIp(address, 'bankid_start', NOW, 60)),
      );

      expect(windows.map((window) => window.count).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 12 }, (_, index) => index + 1),
      );
    });

    it('keeps actions, addresses and clinics apart', async () => {
      const tenant = randomUUID();
      const throttle = throttleFor(tenant);
      const address = ip();
      await throttle.countIp(address, 'password_failure', NOW, 900);

      expect(await throttle.getIpWindow(address, 'bankid_start', NOW)).toBeUndefined();
      expect(await throttle.getIpWindow(ip(), 'password_failure', NOW)).toBeUndefined();
      expect(await throttleFor(randomUUID()).getIpWindow(address, 'password_failure', NOW)).toBeUndefined();
    });

    it('counts an IPv6 /64 network as one address, and an IPv4-mapped address as its IPv4 address', async () => {
      const throttle = throttleFor(randomUUID());
      await throttle.countIp('2001:db8:1:2::1', 'password_failure', NOW, 900);
      await throttle.countIp('2001:DB8:1:2:ffff:0:0:9', 'password_failure', NOW, 900);
      await throttle.countIp('::ffff:192.0.2.7', 'password_failure', NOW, 900);

      expect((await throttle.getIpWindow('2001:db8:1:2:aaaa::', 'password_failure', NOW))?.count).toBe(2);
      expect(await throttle.getIpWindow('2001:db8:1:3::1', 'password_failure', NOW)).toBeUndefined();
      expect((await throttle.getIpWindow('192.0.2.7', 'password_failure', NOW))?.count).toBe(1);
    });
  });

  describe('reset mails per account', () => {
    it('counts reset mails per account in fixed windows, apart from other accounts, kinds and clinics', async () => {
      const throttle = throttleFor(randomUUID());
      const contact = { kind: 'contact', id: randomUUID() } as const;

      await throttle.countResetMail(contact, NOW, 3600);
      const second = await throttle.countResetMail(contact, at(60_000), 3600);
      const afterTheWindow = await throttle.countResetMail(contact, at(3_600_000), 3600);

      expect(second).toEqual({ count: 2, windowStart: NOW.toISOString(), windowEnd: at(3_600_000).toISOString() });
      expect(afterTheWindow).toMatchObject({ count: 1, windowStart: at(3_600_000).toISOString() });
      expect((await throttle.countResetMail({ kind: 'admin', id: contact.id }, NOW, 3600)).count).toBe(1);
      expect((await throttle.countResetMail({ kind: 'contact', id: randomUUID() }, NOW, 3600)).count).toBe(1);
      expect((await throttleFor(randomUUID()).countResetMail(contact, NOW, 3600)).count).toBe(1);
    });
  });

  describe('keys', () => {
    const tenant = randomUUID();

    it('keep counters in the clinic’s own partitions, as docs/data-model.md says', () => {
      expect(keys.throttleAccount(tenant, ' Anna@Example.SE ')).toEqual({
        PK: `T#${tenant}#THROTTLE#account#anna@example.se`,
        SK: 'COUNTER',
      });
      expect(keys.throttleIp(tenant, '198.51.100.7', 'bankid_start')).toEqual({
        PK: `T#${tenant}#THROTTLE#ip#198.51.100.7`,
        SK: 'COUNTER#bankid_start',
      });
      expect(keys.throttleIp(tenant, '2001:db8::1', 'password_failure').PK).toBe(
        `T#${tenant}#THROTTLE#ip#2001:db8:0:0::/64`,
      );
    });

    it.each(['', 'localhost', '198.51.100', '198.51.100.7#x', '1.2.3.4 5', '2001:db8::1::2', 'fe80::g'])(
      'refuse %j as an address',
      (bad) => {
        expect(() => keys.throttleIp(tenant, bad, 'password_failure')).toThrow(/Invalid IP address/u);
      },
    );

    it('normalise the address forms one client may arrive with', () => {
      expect(throttledNetwork('::FFFF:C000:0207')).toBe('192.0.2.7');
      expect(throttledNetwork('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
      expect(throttledNetwork('2001:0db8:0000:0000:0000:0000:0000:0001')).toBe(throttledNetwork('2001:db8::1'));
    });

    it('refuse a username that could reach into another key', () => {
      expect(() => keys.throttleAccount(tenant, 'a#b')).toThrow(/Invalid username/u);
    });
  });
});
