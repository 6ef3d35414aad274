import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import type { AppDeps, AppEnv } from './app-types';
import { errorBody, errorHandler } from './error-handler';
import { requireOrigin } from './middleware/origin-lock';
import { requestLog } from './middleware/request-log';
import { resolveTenant } from './middleware/resolve-tenant';
import { sameOriginWrites } from './middleware/same-origin-writes';
import { securityHeaders } from './middleware/security-headers';
import { adminApiKeyRoutes } from './routes/admin-api-key-routes';
import { adminAuditRoutes } from './routes/admin-audit-routes';
import { adminAuthRoutes } from './routes/admin-auth-routes';
import { adminContactRoutes } from './routes/admin-contact-routes';
import { adminCustomerRoutes } from './routes/admin-customer-routes';
import { adminNotificationRoutes } from './routes/admin-notification-routes';
import { adminSettingsRoutes, LOGO_UPLOAD_PATH } from './routes/admin-settings-routes';
import { adminUserRoutes } from './routes/admin-user-routes';
import { authRoutes } from './routes/auth-routes';
import { documentRoutes } from './routes/document-routes';
import { profileRoutes } from './routes/profile-routes';
import { publicTenantRoutes } from './routes/public-routes';

/**
 * Contact-facing request bodies are small; anything bigger is refused before it is read. The largest is a ZIP of a
 * selection: ARCHIVE_LIMITS.maxDocuments (500) ids of 39 JSON bytes each, about 20 KB.
 */
const MAX_API_BODY_BYTES = 32 * 1024;

/** The logo upload has a limit of its own (./routes/admin-settings-routes.ts). */
const OWN_BODY_LIMIT = new Set([`/api${LOGO_UPLOAD_PATH}`]);

/**
 * Builds the portal's HTTP app from its dependencies. The same app runs in Lambda (functions/lambda/api.ts),
 * in the dev server (functions/local/) and in tests (`app.request()`); only the deps differ.
 */
export function createApp(deps: AppDeps) {
  const smallBodies = bodyLimit({
    maxSize: MAX_API_BODY_BYTES,
    onError: (c) =>
      c.json(errorBody('payload_too_large', `The request body may be at most ${MAX_API_BODY_BYTES} bytes.`), 413),
  });
  const api = new Hono<AppEnv>()
    .get('/health', (c) => c.json({ status: 'ok' }))
    .use(async function apiBodyLimit(c, next) {
      return OWN_BODY_LIMIT.has(c.req.path) ? next() : smallBodies(c, next);
    })
    .use(resolveTenant(deps, { refuseUnavailableClinic: true }))
    .use(sameOriginWrites())
    .route('/', publicTenantRoutes())
    .route('/', authRoutes(deps))
    .route('/', profileRoutes(deps))
    .route('/', adminAuthRoutes(deps))
    .route('/', adminCustomerRoutes(deps))
    .route('/', adminNotificationRoutes(deps))
    .route('/', adminContactRoutes(deps))
    .route('/', adminAuditRoutes(deps))
    .route('/', adminApiKeyRoutes(deps))
    .route('/', adminSettingsRoutes(deps))
    .route('/', adminUserRoutes(deps))
    .route('/', documentRoutes(deps));

  // Chained, so that the app's type carries every route (PortalRoutes, which the frontend's client is typed by).
  const app = new Hono<AppEnv>()
    .use(requestId())
    .use(requestLog(deps.log))
    .use('/api/*', securityHeaders())
    .use(requireOrigin(deps.originLock))
    .route('/api', api);
  app.notFound((c) => c.json(errorBody('route_not_found', `There is no ${c.req.method} ${c.req.path}.`), 404));
  app.onError(errorHandler(deps.log));
  return app;
}

export type PortalApp = ReturnType<typeof createApp>;
