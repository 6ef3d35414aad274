import type { MiddlewareHandler } from 'hono';

/**
 * Headers for every API response (SECURITY.md "Sessions and tokens"): API responses carry personal data, so
 * nothing is cached — unless a route set its own Cache-Control for something public and versioned (the clinic's
 * logo); a JSON API needs no content policy beyond "nothing", and presigned links in responses must never leak
 * through a Referer.
 */
export function securityHeaders(): MiddlewareHandler {
  return async function securityHeaders(c, next) {
    await next();
    if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store');
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    // `sandbox`: a response opened on its own (the clinic's logo, say) is a document that may run nothing at all.
    c.header('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; sandbox");
    c.header('X-Frame-Options', 'DENY');
  };
}
