import type { MiddlewareHandler } from 'hono';
import { authenticateApiKey } from '../../use-cases/ingest/authenticate-api-key';
import type { IngestAppDeps, IngestEnv } from './ingest-env';

/** `Authorization: Bearer fpk_…` → `c.var.ingestPrincipal`; 401/403 otherwise (see authenticateApiKey). */
export function apiKeyAuth(deps: Pick<IngestAppDeps, 'clock' | 'ids' | 'scopeFor'>): MiddlewareHandler<IngestEnv> {
  return async function apiKeyAuth(c, next) {
    const header = c.req.header('Authorization');
    const presented = header?.match(/^Bearer\s+(\S+)\s*$/iu)?.[1];
    try {
      c.set(
        'ingestPrincipal',
        await authenticateApiKey(
          { scope: c.var.scope, scopeFor: deps.scopeFor, clock: deps.clock, ids: deps.ids },
          presented,
          c.var.requestInfo.sourceIp,
        ),
      );
    } catch (error) {
      c.header('WWW-Authenticate', 'Bearer realm="ingest"');
      throw error;
    }
    await next();
  };
}
