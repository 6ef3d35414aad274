import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dynamoDbApiKeyRepository } from '../../functions/adapters/dynamodb/dynamodb-api-key-repository';
import { ConflictError } from '../../functions/domain/errors';
import type { ApiKey } from '../../functions/domain/identity';
import { emulatorTable } from '../support/emulator-table';

/** The ApiKeyRepository port's contract, run against DynamoDB Local. */
describe('API key repository (DynamoDB Local)', () => {
  const repositoryFor = dynamoDbApiKeyRepository(emulatorTable());

  const apiKey = (overrides: Partial<ApiKey> = {}): ApiKey => ({
    id: randomUUID(),
    name: 'CGM J4 produktion',
    displayPrefix: 'fpk_3f9a',
    secretSha256: 'e'.repeat(64),
    createdAt: '2024-01-01T08:00:00.000Z',
    createdBy: 'Operatör Olsson',
    ...overrides,
  });

  it('stores a key and returns it by id, and nothing for an unknown id', async () => {
    const keys = repositoryFor(randomUUID());
    const key = apiKey();

    await keys.create(key);

    await expect(keys.get(key.id)).resolves.toEqual(key);
    await expect(keys.get(randomUUID())).resolves.toBeUndefined();
  });

  it('refuses a second key with the same id and keeps the first', async () => {
    const keys = repositoryFor(randomUUID());
    const key = apiKey();
    await keys.create(key);

    await expect(keys.create({ ...key, name: 'Ersättare' })).rejects.toBeInstanceOf(ConflictError);
    await expect(keys.get(key.id)).resolves.toEqual(key);
  });

  it('lists every key of the clinic, revoked ones too, newest first', async () => {
    const keys = repositoryFor(randomUUID());
    const oldest = apiKey({ createdAt: '2024-01-01T08:00:00.000Z', revokedAt: '2024-02-01T08:00:00.000Z' });
    const newest = apiKey({ createdAt: '2024-03-01T08:00:00.000Z' });
    const middle = apiKey({ createdAt: '2024-02-01T08:00:00.000Z' });
    for (const key of [oldest, newest, middle]) await keys.create(key);

    await expect(keys.list()).resolves.toEqual([newest, middle, oldest]);
  });

  it('revokes and rotates a key, changing only what was asked', async () => {
    const keys = repositoryFor(randomUUID());
    const key = apiKey();
    const successor = randomUUID();
    await keys.create(key);

    const rotated = await keys.update(key.id, { expiresAt: '2024-04-01T00:00:00.000Z', replacedBy: successor });
    const revoked = await keys.update(key.id, { revokedAt: '2024-03-15T00:00:00.000Z' });

    expect(rotated).toEqual({ ...key, expiresAt: '2024-04-01T00:00:00.000Z', replacedBy: successor });
    expect(revoked).toEqual({ ...rotated, revokedAt: '2024-03-15T00:00:00.000Z' });
    await expect(keys.get(key.id)).resolves.toEqual(revoked);
  });

  it('refuses to update a key that does not exist, creating nothing', async () => {
    const keys = repositoryFor(randomUUID());
    const missing = randomUUID();

    await expect(keys.update(missing, { revokedAt: '2024-03-15T00:00:00.000Z' })).rejects.toBeInstanceOf(ConflictError);
    await expect(keys.update(missing, {})).rejects.toBeInstanceOf(ConflictError);
    await expect(keys.get(missing)).resolves.toBeUndefined();
  });

  it('records use at most once a minute', async () => {
    const keys = repositoryFor(randomUUID());
    const key = apiKey();
    await keys.create(key);

    await keys.touch(key.id, new Date('2024-05-01T10:00:00.000Z'));
    await keys.touch(key.id, new Date('2024-05-01T10:00:59.000Z'));
    const withinTheMinute = (await keys.get(key.id))?.lastUsedAt;
    await keys.touch(key.id, new Date('2024-05-01T10:01:01.000Z'));

    expect(withinTheMinute).toBe('2024-05-01T10:00:00.000Z');
    await expect(keys.get(key.id)).resolves.toMatchObject({ lastUsedAt: '2024-05-01T10:01:01.000Z' });
  });

  it('ignores use of a key that does not exist, creating nothing', async () => {
    const keys = repositoryFor(randomUUID());
    const missing = randomUUID();

    await keys.touch(missing, new Date('2024-05-01T10:00:00.000Z'));

    await expect(keys.get(missing)).resolves.toBeUndefined();
    await expect(keys.list()).resolves.toEqual([]);
  });

  it("shows no clinic another clinic's keys", async () => {
    const ours = repositoryFor(randomUUID());
    const theirs = repositoryFor(randomUUID());
    const key = apiKey();
    await ours.create(key);

    await expect(theirs.get(key.id)).resolves.toBeUndefined();
    await expect(theirs.list()).resolves.toEqual([]);
    await expect(theirs.update(key.id, { revokedAt: '2024-03-15T00:00:00.000Z' })).rejects.toBeInstanceOf(
      ConflictError,
    );
    await expect(ours.get(key.id)).resolves.toEqual(key);
  });
});
