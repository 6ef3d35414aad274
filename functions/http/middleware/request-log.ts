import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { LogFields, Logger } from '../../domain/logging';

/**
 * One log line per request: method, the matched route's pattern (`/api/customers/:customerId/download`, never the
 * path as sent: paths carry ids and, on a mistyped URL, whatever the caller typed), status, duration and clinic.
 * Failures are logged by the error handler with their cause; this line is the traffic, for Logs Insights.
 */
export function requestLog(log: Logger): MiddlewareHandler<{ Variables: { scope?: { tenantId: string } } }> {
  return async function requestLog(c, next) {
    const started = performance.now();
    try {
      await next();
    } finally {
      const fields: LogFields = {
        method: c.req.method,
        route: routePath(c),
        status: c.res.status,
        durationMs: Math.round(performance.now() - started),
        tenantId: c.get('scope')?.tenantId,
      };
      log.info('request', fields);
    }
  };
}
