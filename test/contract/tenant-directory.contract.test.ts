import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../functions/domain/errors';
import type { TenantDirectory } from '../../functions/domain/ports';
import { cachedTenantDirectory, TENANT_DIRECTORY_CACHE_MS } from '../../functions/runtime/cached-tenant-directory';
import { createTestPortal } from '../support/test-portal';

const portal = createTestPortal();
const host = () => `clinic-${randomUUID().slice(0, 8)}.portal.test`;

describe('tenant directory (DynamoDB Local, behind the per-container cache)', () => {
  it('resolves a registered host, case-insensitively, and nothing for an unknown one', async () => {
    const name = host();
    const tenantId = randomUUID();
    await portal.deps.directory.registerHost(name, tenantId);

    await expect(portal.deps.directory.resolveHost(name)).resolves.toBe(tenantId);
    await expect(portal.deps.directory.resolveHost(name.toUpperCase())).resolves.toBe(tenantId);
    await expect(portal.deps.directory.resolveHost(host())).resolves.toBeUndefined();
  });

  it('lists every clinic that has a host, once however many hosts it has, and none whose host was refused', async () => {
    const [first, second, refused] = [randomUUID(), randomUUID(), randomUUID()];
    const taken = host();
    await portal.deps.directory.registerHost(taken, first);
    await portal.deps.directory.registerHost(host(), first);
    await portal.deps.directory.registerHost(host(), second);

    await expect(portal.deps.directory.registerHost(taken, refused)).rejects.toBeInstanceOf(ConflictError);

    const listed = await portal.deps.directory.listTenants();
    expect(listed.filter((id) => id === first)).toHaveLength(1);
    expect(listed).toContain(second);
    expect(listed).not.toContain(refused);
  });

  it('never moves a host from one clinic to another', async () => {
    const name = host();
    const first = randomUUID();
    await portal.deps.directory.registerHost(name, first);

    await expect(portal.deps.directory.registerHost(name, randomUUID())).rejects.toBeInstanceOf(ConflictError);
    await expect(portal.deps.directory.resolveHost(name)).resolves.toBe(first);
  });

  it('asks the table once a minute per host, and at once again for a host it did not find', async () => {
    const name = host();
    const tenantId = randomUUID();
    const lookups: string[] = [];
    const counting: TenantDirectory = {
      resolveHost: (asked) => {
        lookups.push(asked);
        return portal.deps.directory.resolveHost(asked);
      },
      registerHost: (asked, id) => portal.deps.directory.registerHost(asked, id),
      listTenants: () => portal.deps.directory.listTenants(),
    };
    const cached = cachedTenantDirectory(counting, portal.clock);

    const beforeRegistration = await cached.resolveHost(name);
    await portal.deps.directory.registerHost(name, tenantId);
    const afterRegistration = await cached.resolveHost(name);
    const fromCache = await cached.resolveHost(name);
    portal.clock.advance(TENANT_DIRECTORY_CACHE_MS + 1);
    const refreshed = await cached.resolveHost(name);
    portal.clock.set(new Date());

    expect([beforeRegistration, afterRegistration, fromCache, refreshed]).toEqual([
      undefined,
      tenantId,
      tenantId,
      tenantId,
    ]);
    expect(lookups).toHaveLength(3);
  });
});
