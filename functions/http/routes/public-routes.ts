import { Hono } from 'hono';
import { NotFoundError } from '../../domain/errors';
import type { TenantResponse } from '../api-contract';
import type { AppEnv } from '../app-types';

/** Routes that need a clinic but no login: what the login page shows. */
export function publicTenantRoutes() {
  return new Hono<AppEnv>().get('/tenant', async (c) => {
    const tenant = await c.var.scope.tenant.get();
    if (!tenant) throw new NotFoundError('The portal');
    const body: TenantResponse = {
      name: tenant.name,
      ...(tenant.supportText ? { supportText: tenant.supportText } : {}),
    };
    return c.json(body);
  });
}
