import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { MiddlewareHandler } from 'hono';
import { Hono } from 'hono';
import { FRONTEND_CONTENT_SECURITY_POLICY } from '../../frontend/security-headers';

/**
 * The headers CloudFront's response-headers policy sets on the frontend in AWS (lib/stacks/web-stack.ts), so
 * local development runs under the same Content Security Policy and a violation shows up before deployment.
 */
export const FRONTEND_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': FRONTEND_CONTENT_SECURITY_POLICY,
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

function frontendHeaders(): MiddlewareHandler {
  return async function frontendHeaders(c, next) {
    await next();
    for (const [name, value] of Object.entries(FRONTEND_SECURITY_HEADERS)) c.header(name, value);
  };
}

/**
 * Whether a path is one of the admin pages' own routes: `/admin` or an extension-less path below it (the CloudFront
 * function SPA_FALLBACK_CODE in lib/constructs/edge-functions.ts decides alike).
 */
export function isAdminPagePath(path: string): boolean {
  if (path !== '/admin' && !path.startsWith('/admin/')) return false;
  return !path.slice(path.lastIndexOf('/') + 1).includes('.');
}

/**
 * Serves the built frontend (Vite's output) like CloudFront does: files as they are, admin.html for the admin
 * pages' routes, and index.html for any other page path so the single-page apps can route (the API keeps its own
 * JSON 404s).
 */
export function staticFrontend(distDirectory: string) {
  if (!existsSync(`${distDirectory}/index.html`)) {
    throw new Error(
      `The frontend is not built (${distDirectory}/index.html is missing): run \`npm run build:frontend\`.`,
    );
  }
  // serveStatic resolves roots against the working directory.
  const root = relative(process.cwd(), distDirectory) || '.';
  return new Hono()
    .use(frontendHeaders())
    .use('*', serveStatic({ root }))
    .get(
      '*',
      serveStatic({ root, rewriteRequestPath: (path) => (isAdminPagePath(path) ? '/admin.html' : '/index.html') }),
    );
}
