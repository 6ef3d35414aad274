import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-types';
import { errorBody } from '../error-handler';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF defence for cookie-authenticated routes (SECURITY.md): besides SameSite cookies, every state-changing
 * request must carry an Origin header naming the host it was sent to. Browsers always send Origin on such
 * requests; a cross-site form or script cannot forge it.
 */
export function sameOriginWrites(): MiddlewareHandler<AppEnv> {
  return async function sameOriginWrites(c, next) {
    if (SAFE_METHODS.has(c.req.method)) return next();
    const origin = c.req.header('Origin');
    let originHost: string | undefined;
    try {
      originHost = origin ? new URL(origin).hostname.toLowerCase() : undefined;
    } catch {
      originHost = undefined;
    }
    if (originHost === undefined || originHost !== c.var.requestInfo.host) {
      return c.json(errorBody('cross_origin_request', 'The request must come from the portal itself.'), 403);
    }
    return next();
  };
}
