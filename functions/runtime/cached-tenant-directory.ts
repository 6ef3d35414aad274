import type { Clock, TenantDirectory } from '../domain/ports';

/** A clinic's host names practically never change; a minute's staleness costs nothing and saves a read per request. */
export const TENANT_DIRECTORY_CACHE_MS = 60_000;

/**
 * Remembers host → clinic answers for a minute per container, so the lookup that every API request starts with
 * is usually free. Only found hosts are remembered: a clinic provisioned a moment ago is seen on the next request.
 */
export function cachedTenantDirectory(directory: TenantDirectory, clock: Clock): TenantDirectory {
  const cache = new Map<string, { tenantId: string; until: number }>();
  return {
    async resolveHost(host) {
      const now = clock.now().getTime();
      const cached = cache.get(host);
      if (cached && cached.until > now) return cached.tenantId;
      const tenantId = await directory.resolveHost(host);
      if (tenantId) cache.set(host, { tenantId, until: now + TENANT_DIRECTORY_CACHE_MS });
      else cache.delete(host);
      return tenantId;
    },
    async registerHost(host, tenantId) {
      await directory.registerHost(host, tenantId);
      cache.delete(host);
    },
    listTenants: () => directory.listTenants(),
  };
}
