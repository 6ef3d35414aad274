import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-types';
import { errorBody } from '../error-handler';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF defence for cookie-authenticated routes (SECURITY.md): besides SameSite cookies, every state-changing
 * request must carry an Origin header naming exactly the portal's own origin (scheme, host and port: another
 * port on the same host is another site's code). Browsers always send Origin on such requests; a cross-site form
 * or script cannot forge it.
 */
export function sameOriginWrites(): MiddlewareHandler<AppEnv> {
  return async function sameOriginWrites(c, next) {
    if (SAFE_METHODS.has(c.req.method)) return next();
    const origin = c.req.header('Origin');
    let requestOrigin: string | undefined;
    try {
      requestOrigin = origin ? new URL(origin).origin : undefined;
    } catch {
      requestOrigin = undefined;
    }
    if (requestOrigin === undefined || requestOrigin !== c.var.requestInfo.origin) {
      return c.json(errorBody('cross_origin_request', 'The request must come from the portal itself.'), 403);
    }
    return next();
  };
}
