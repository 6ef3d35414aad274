import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dynamoDbIdempotencyStore } from '../../functions/adapters/dynamodb/dynamodb-idempotency-store';
import { ConflictError } from '../../functions/domain/errors';
import { emulatorTable } from '../support/emulator-table';

const DAY_SECONDS = 24 * 60 * 60;
const LEASE_SECONDS = 60;
const NOW = new Date('2024-05-01T10:00:00.000Z');
const REQUEST = 'b'.repeat(64);

/** The IdempotencyStore port's contract, run against DynamoDB Local. */
describe('idempotency store (DynamoDB Local)', () => {
  const storeFor = dynamoDbIdempotencyStore(emulatorTable());

  /** Client keys are free text; this one would break a key part if it were not hashed. */
  const clientKey = () => `order 17#${randomUUID()}/ä`;

  it('claims a new key, and hands the record to the next request with the same key', async () => {
    const store = storeFor(randomUUID());
    const key = clientKey();

    const first = await store.begin(key, REQUEST, NOW, DAY_SECONDS);
    const second = await store.begin(key, 'f'.repeat(64), new Date(NOW.getTime() + 1000), DAY_SECONDS);

    expect(first).toEqual({ claimed: true });
    expect(second).toEqual({
      claimed: false,
      record: { key, requestSha256: REQUEST, state: 'in_progress', createdAt: NOW.toISOString() },
    });
  });

  it('stores the response of a completed request for its retries', async () => {
    const store = storeFor(randomUUID());
    const key = clientKey();
    await store.begin(key, REQUEST, NOW, DAY_SECONDS);

    await store.complete(
      key,
      { status: 202, body: '{"documentId":"x"}', location: '/ingest/v1/documents/x' },
      NOW,
      DAY_SECONDS,
    );

    await expect(store.begin(key, REQUEST, NOW, DAY_SECONDS)).resolves.toEqual({
      claimed: false,
      record: {
        key,
        requestSha256: REQUEST,
        state: 'completed',
        createdAt: NOW.toISOString(),
        response: { status: 202, body: '{"documentId":"x"}', location: '/ingest/v1/documents/x' },
      },
    });
  });

  it('refuses to complete a key that was never claimed, creating nothing', async () => {
    const store = storeFor(randomUUID());
    const key = clientKey();

    await expect(store.complete(key, { status: 202, body: '{}' }, NOW, DAY_SECONDS)).rejects.toBeInstanceOf(
      ConflictError,
    );
    await expect(store.begin(key, REQUEST, NOW, DAY_SECONDS)).resolves.toEqual({ claimed: true });
  });

  it('lets a released key be claimed again, and releasing twice is harmless', async () => {
    const store = storeFor(randomUUID());
    const key = clientKey();
    await store.begin(key, REQUEST, NOW, DAY_SECONDS);

    await store.release(key);
    await store.release(key);

    await expect(store.begin(key, REQUEST, NOW, DAY_SECONDS)).resolves.toEqual({ claimed: true });
  });

  it('lets an expired key be claimed again before the TTL sweep has removed it', async () => {
    const store = storeFor(randomUUID());
    const key = clientKey();
    await store.begin(key, REQUEST, NOW, DAY_SECONDS);
    await store.complete(key, { status: 202, body: '{}' }, NOW, DAY_SECONDS);
    const justBeforeExpiry = new Date(NOW.getTime() + DAY_SECONDS * 1000);
    const farFuture = new Date(NOW.getTime() + 30 * DAY_SECONDS * 1000);

    const stillHeld = await store.begin(key, 'f'.repeat(64), justBeforeExpiry, DAY_SECONDS);
    const reclaimed = await store.begin(key, 'f'.repeat(64), farFuture, DAY_SECONDS);

    expect(stillHeld.claimed).toBe(false);
    expect(reclaimed).toEqual({ claimed: true });
    await expect(store.begin(key, REQUEST, farFuture, DAY_SECONDS)).resolves.toMatchObject({
      record: { requestSha256: 'f'.repeat(64), state: 'in_progress', createdAt: farFuture.toISOString() },
    });
  });

  it('frees a claim whose request never finished once its lease has passed, but not before', async () => {
    const store = storeFor(randomUUID());
    const key = clientKey();
    await store.begin(key, REQUEST, NOW, LEASE_SECONDS);

    const duringLease = await store.begin(key, REQUEST, new Date(NOW.getTime() + 30_000), LEASE_SECONDS);
    const afterLease = await store.begin(key, REQUEST, new Date(NOW.getTime() + 61_000), LEASE_SECONDS);

    expect(duringLease).toMatchObject({ claimed: false, record: { state: 'in_progress' } });
    expect(afterLease).toEqual({ claimed: true });
  });

  it('keeps a completed outcome for its whole retention, however short the claim lease was', async () => {
    const store = storeFor(randomUUID());
    const key = clientKey();
    await store.begin(key, REQUEST, NOW, LEASE_SECONDS);
    await store.complete(key, { status: 202, body: '{}' }, NOW, DAY_SECONDS);

    const anHourLater = await store.begin(key, REQUEST, new Date(NOW.getTime() + 3_600_000), LEASE_SECONDS);

    expect(anHourLater).toMatchObject({ claimed: false, record: { state: 'completed' } });
  });

  it("keeps one clinic's keys apart from another clinic's same key", async () => {
    const ours = storeFor(randomUUID());
    const theirs = storeFor(randomUUID());
    const key = clientKey();
    await ours.begin(key, REQUEST, NOW, DAY_SECONDS);

    const claimedByThem = await theirs.begin(key, 'f'.repeat(64), NOW, DAY_SECONDS);
    await theirs.release(key);

    expect(claimedByThem).toEqual({ claimed: true });
    await expect(ours.begin(key, REQUEST, NOW, DAY_SECONDS)).resolves.toMatchObject({
      claimed: false,
      record: { requestSha256: REQUEST },
    });
  });
});
