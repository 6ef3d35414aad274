import { Hono } from 'hono';
import * as z from 'zod/mini';
import type { ApiKey } from '../../domain/identity';
import {
  createApiKey,
  DEFAULT_ROTATION_GRACE_HOURS,
  listApiKeys,
  revokeApiKey,
  rotateApiKey,
  unusableReason,
} from '../../use-cases/ingest/manage-api-keys';
import type { AdminApiKeyIssuedResponse, AdminApiKeyListResponse, AdminApiKeySummary } from '../admin-api-contract';
import type { AppDeps, AppEnv } from '../app-types';
import { authenticateAdministrator } from '../middleware/authenticate';
import { parseJsonBody, parseOptionalJsonBody, uuidParam } from '../validation';

const createBody = z.object({
  name: z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(100)),
});
const rotateBody = z.object({
  graceHours: z._default(z.number().check(z.int(), z.minimum(0), z.maximum(24 * 14)), DEFAULT_ROTATION_GRACE_HOURS),
});

function keySummary(key: ApiKey, now: Date): AdminApiKeySummary {
  const reason = unusableReason(key, now);
  const state = reason ?? (key.expiresAt ? 'expiring' : 'active');
  return {
    id: key.id,
    name: key.name,
    displayPrefix: key.displayPrefix,
    createdAt: key.createdAt,
    createdBy: key.createdBy,
    state,
    ...(key.lastUsedAt ? { lastUsedAt: key.lastUsedAt } : {}),
    ...(key.expiresAt ? { expiresAt: key.expiresAt } : {}),
    ...(key.revokedAt ? { revokedAt: key.revokedAt } : {}),
  };
}

/**
 * The clinic's API keys for its practice system (functions/use-cases/ingest/manage-api-keys.ts), for its
 * administrators: list (never the key), create and rotate (the new key shown once), revoke. Audited under the
 * administrator.
 */
export function adminApiKeyRoutes(deps: AppDeps) {
  const requireAdmin = authenticateAdministrator(deps);
  const keyDeps = (scope: AppEnv['Variables']['scope']) => ({ scope, clock: deps.clock, ids: deps.ids });
  /** Who the key list names as its creator: the administrator, by name (their id is in the audit trail). */
  const adminName = async (c: { var: AppEnv['Variables'] }) =>
    (await c.var.scope.admins.get(c.var.adminPrincipal.adminId))?.name ?? 'administrator';
  return new Hono<AppEnv>()
    .get('/admin/api-keys', requireAdmin, async (c) => {
      const now = deps.clock.now();
      const body: AdminApiKeyListResponse = {
        keys: (await listApiKeys({ scope: c.var.scope })).map((key) => keySummary(key, now)),
      };
      return c.json(body);
    })
    .post('/admin/api-keys', requireAdmin, async (c) => {
      const { name } = await parseJsonBody(c, createBody);
      const issued = await createApiKey(keyDeps(c.var.scope), {
        name,
        createdBy: await adminName(c),
        actor: { type: 'admin', id: c.var.adminPrincipal.adminId },
      });
      const body: AdminApiKeyIssuedResponse = { key: keySummary(issued.key, deps.clock.now()), secret: issued.secret };
      return c.json(body, 201);
    })
    .post('/admin/api-keys/:keyId/rotate', requireAdmin, async (c) => {
      const { graceHours } = await parseOptionalJsonBody(c, rotateBody);
      const rotated = await rotateApiKey(keyDeps(c.var.scope), {
        keyId: uuidParam(c.req.param('keyId'), 'The API key'),
        graceHours,
        by: await adminName(c),
        actor: { type: 'admin', id: c.var.adminPrincipal.adminId },
      });
      const body: AdminApiKeyIssuedResponse = {
        key: keySummary(rotated.key, deps.clock.now()),
        secret: rotated.secret,
      };
      return c.json(body, 201);
    })
    .post('/admin/api-keys/:keyId/revoke', requireAdmin, async (c) => {
      const revoked = await revokeApiKey(keyDeps(c.var.scope), {
        keyId: uuidParam(c.req.param('keyId'), 'The API key'),
        by: await adminName(c),
        actor: { type: 'admin', id: c.var.adminPrincipal.adminId },
      });
      return c.json(keySummary(revoked, deps.clock.now()));
    });
}
