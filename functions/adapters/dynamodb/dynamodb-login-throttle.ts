import { ConflictError } from '../../domain/errors';
import type { SessionKind } from '../../domain/identity';
import type { AccountFailures, IpWindow } from '../../domain/login-throttling';
import type { LoginThrottle } from '../../domain/ports';
import { ConcurrentWriteError, type DynamoDbTable, type Expression, type Item } from './dynamodb-table';
import { type ItemKey, keys } from './keys';

/** A window may end or a counter be reset between two writes; then the write is tried again, a few times. */
const WRITE_ATTEMPTS = 3;

const epochSeconds = (date: Date) => Math.floor(date.getTime() / 1000);
/** The TTL of something that ends `seconds` after `now`, rounded up so that it never ends early. */
const endEpoch = (now: Date, seconds: number) => Math.ceil(now.getTime() / 1000 + seconds);

/**
 * An item is live while its `expiresAtEpoch` lies ahead, or when it has none (a lock). DynamoDB's TTL sweep can
 * take days, so an expired item still in the table counts as absent: every read and write checks the time itself.
 * `expiresAtEpoch > floor(now)` holds exactly when the expiry instant is after `now`.
 */
const LIVE = 'attribute_not_exists(expiresAtEpoch) OR expiresAtEpoch > :nowEpoch';
const ABSENT_OR_EXPIRED = 'attribute_not_exists(PK) OR expiresAtEpoch <= :nowEpoch';

function isLive(item: Item, now: Date): boolean {
  return typeof item.expiresAtEpoch !== 'number' || item.expiresAtEpoch > epochSeconds(now);
}

function accountFailures(item: Item): AccountFailures {
  return {
    failures: Number(item.failures),
    firstFailureAt: String(item.firstFailureAt),
    lastFailureAt: String(item.lastFailureAt),
    status: item.status === 'locked' ? 'locked' : 'counting',
    ...(typeof item.lockedAt === 'string' ? { lockedAt: item.lockedAt } : {}),
  };
}

function ipWindow(item: Item): IpWindow {
  return {
    count: Number(item.count),
    windowStart: String(item.windowStart),
    windowEnd: new Date(Number(item.expiresAtEpoch) * 1000).toISOString(),
  };
}

/** Runs a conditional write; a failed condition (not a concurrent transaction) becomes `undefined`. */
async function unlessConditionFails<T>(write: () => Promise<T>): Promise<T | undefined> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof ConflictError && !(error instanceof ConcurrentWriteError)) return undefined;
    throw error;
  }
}

/** Counts one event in the fixed window stored under `key`, starting a new window if none is running. */
async function countInWindow(table: DynamoDbTable, key: ItemKey, now: Date, windowSeconds: number): Promise<IpWindow> {
  const nowEpoch = { ':nowEpoch': epochSeconds(now) };
  for (let attempt = 1; attempt <= WRITE_ATTEMPTS; attempt += 1) {
    // Usually the window is running: count in it.
    const counted = await unlessConditionFails(() =>
      table.updateAndGet(
        key,
        { expression: 'ADD #count :one', values: { ':one': 1 }, names: { '#count': 'count' } },
        { expression: 'expiresAtEpoch > :nowEpoch', values: nowEpoch },
      ),
    );
    if (counted) return ipWindow(counted);
    // None is running (or it ended): start one, unless a parallel request just did.
    const started = await unlessConditionFails(() =>
      table.updateAndGet(
        key,
        {
          expression: 'SET #count = :one, windowStart = :start, expiresAtEpoch = :end',
          // Whole seconds, rounded down: the window may be a fraction of a second short, but a 429 never
          // asks anyone to wait longer than the window (60 s stays "1 minute").
          values: { ':one': 1, ':start': now.toISOString(), ':end': epochSeconds(now) + windowSeconds },
          names: { '#count': 'count' },
        },
        { expression: ABSENT_OR_EXPIRED, values: nowEpoch },
      ),
    );
    if (started) return ipWindow(started);
  }
  throw new ConflictError('Other requests keep starting throttling windows for this counter; try again.');
}

/**
 * Login throttling counters of one clinic (docs/data-model.md, pattern 21): `T#<t>#THROTTLE#account#<username>` /
 * `COUNTER` and `T#<t>#THROTTLE#ip#<network>` / `COUNTER#<action>`, each an UpdateItem with `ADD` and a TTL.
 * `accounts` picks whose login names are counted (administrators' under `admin-account`); the per-address windows
 * are the clinic's, shared by every kind of login from that address.
 */
export const dynamoDbLoginThrottle =
  (table: DynamoDbTable, accounts: SessionKind = 'contact') =>
  (tenantId: string): LoginThrottle => {
    const accountKey = (username: string) => keys.throttleAccount(tenantId, username, accounts);

    return {
      async getAccount(username, now) {
        const item = await table.get(accountKey(username), { consistent: true });
        return item && isLive(item, now) ? accountFailures(item) : undefined;
      },

      async recordAccountFailure(username, now, { seen, forgetAfterSeconds }) {
        const at = now.toISOString();
        const values = {
          ':one': 1,
          ':at': at,
          ':nowEpoch': epochSeconds(now),
          ':expires': endEpoch(now, forgetAfterSeconds),
          ':counting': 'counting',
        };
        const names = { '#status': 'status' };
        const update: Expression = seen
          ? // The run goes on: one more failure, the counter's life starts again from this failure.
            { expression: 'ADD failures :one SET lastFailureAt = :at, expiresAtEpoch = :expires', values, names }
          : // A new run: whatever expired counter is still in the table is replaced.
            {
              expression:
                'SET failures = :one, firstFailureAt = :at, lastFailureAt = :at, #status = :counting, ' +
                'expiresAtEpoch = :expires REMOVE lockedAt',
              values,
              names,
            };
        const condition: Expression = seen
          ? {
              expression: `#status = :counting AND failures = :seen AND (${LIVE})`,
              values: { ':seen': seen.failures },
            }
          : { expression: ABSENT_OR_EXPIRED };
        const item = await unlessConditionFails(() => table.updateAndGet(accountKey(username), update, condition));
        if (!item) throw new ConflictError('The login counter changed meanwhile.');
        return accountFailures(item);
      },

      async lockAccount(username, now) {
        const item = await unlessConditionFails(() =>
          table.updateAndGet(
            accountKey(username),
            {
              // No expiresAtEpoch: a lock is never forgotten, only unlocked.
              expression: 'SET #status = :locked, lockedAt = if_not_exists(lockedAt, :at) REMOVE expiresAtEpoch',
              values: { ':locked': 'locked', ':at': now.toISOString() },
              names: { '#status': 'status' },
            },
            { expression: 'attribute_exists(PK)' },
          ),
        );
        if (!item) throw new ConflictError('There is no login counter to lock.');
        return accountFailures(item);
      },

      async resetAccount(username) {
        // Failing the condition means the account is locked, which a success does not undo.
        await unlessConditionFails(() =>
          table.delete(accountKey(username), {
            expression: 'attribute_not_exists(PK) OR #status <> :locked',
            values: { ':locked': 'locked' },
            names: { '#status': 'status' },
          }),
        );
      },

      async unlockAccount(username) {
        await table.delete(accountKey(username));
      },

      async getIpWindow(ip, action, now) {
        const item = await table.get(keys.throttleIp(tenantId, ip, action), { consistent: true });
        return item && isLive(item, now) ? ipWindow(item) : undefined;
      },

      countIp(ip, action, now, windowSeconds) {
        return countInWindow(table, keys.throttleIp(tenantId, ip, action), now, windowSeconds);
      },

      countResetMail(subject, now, windowSeconds) {
        return countInWindow(table, keys.throttleResetMail(tenantId, subject), now, windowSeconds);
      },
    };
  };
