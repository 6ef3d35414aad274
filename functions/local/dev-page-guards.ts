import type { MiddlewareHandler } from 'hono';

/*
 * What every developer page of `npm start` (/dev/bankid, /dev/mail, /dev/totp) does to stay local: refuse to be built
 * inside Lambda, answer only requests addressed to a loopback name, and send headers that keep its responses out of
 * caches and out of other sites' frames. ./dev-page-html.ts is what they look like.
 */

/** Throws inside AWS Lambda: a developer page must never be mounted there, whatever the wiring says. */
export function refuseToRunInLambda(page: string): void {
  if (process.env.AWS_LAMBDA_FUNCTION_NAME !== undefined) {
    throw new Error(`${page} is for local development only and must never run in AWS Lambda.`);
  }
}

/**
 * The page's Content Security Policy and no-cache, no-sniff, no-referrer, no-framing headers on every response. A
 * route that must be framed by its own page (the mail page's HTML view) sets its own CSP and X-Frame-Options, which
 * are then left as they are.
 */
export function devPageHeaders(contentSecurityPolicy: string): MiddlewareHandler {
  return async function devPageHeaders(c, next) {
    await next();
    if (!c.res.headers.has('Content-Security-Policy')) c.header('Content-Security-Policy', contentSecurityPolicy);
    if (!c.res.headers.has('X-Frame-Options')) c.header('X-Frame-Options', 'DENY');
    c.header('Cache-Control', 'no-store');
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
  };
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Only requests addressed to a loopback name: a rebound DNS name (evil.example → 127.0.0.1) gets nothing. */
export function loopbackHostOnly(page: string): MiddlewareHandler {
  return async function loopbackHostOnly(c, next) {
    if (!LOOPBACK_HOSTS.has(new URL(c.req.url).hostname)) {
      return c.text(`${page} answers only on localhost / 127.0.0.1.`, 421);
    }
    return next();
  };
}
