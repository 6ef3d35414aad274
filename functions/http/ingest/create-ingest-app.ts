import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { errorBody, errorHandler } from '../error-handler';
import { requireOrigin } from '../middleware/origin-lock';
import { requestLog } from '../middleware/request-log';
import { resolveTenant } from '../middleware/resolve-tenant';
import { securityHeaders } from '../middleware/security-headers';
import { apiKeyAuth } from './api-key-auth';
import { idempotency } from './idempotency';
import type { IngestAppDeps, IngestEnv } from './ingest-env';
import { INGEST_BASE_PATH, ingestRoutes } from './ingest-routes';
import { jsonBody } from './json-body';
import { ingestOpenApiDocument } from './openapi-document';
import { ingestReferencePage } from './reference-page';

/**
 * Lambda takes at most 6 MB per request event, and API Gateway base64-encodes bodies it considers binary (a gzip
 * body is), which adds a third: 4 MB as sent stays inside the limit either way. Gzip makes room for 20,000 lines.
 */
export const MAX_INGEST_BODY_BYTES = 4 * 1024 * 1024;
export const MAX_INGEST_DECODED_BYTES = 50 * 1024 * 1024;

/**
 * The ingest API for the clinics' practice systems, `/ingest/v1`. Its own app and its own Lambda function (the
 * portal API never loads it): separate scaling, memory and permissions, and a bigger body limit than the portal's.
 * Order matters: the clinic comes from the host, the key is checked before the body is read, and the body is read
 * (and gunzipped) once, before idempotency and validation use it.
 */
export function createIngestApp(deps: IngestAppDeps) {
  // Built on the first request that asks, not at cold start (~25 ms): most invocations are writes.
  let openApi: ReturnType<typeof ingestOpenApiDocument> | undefined;
  const openApiDocument = () => {
    openApi ??= ingestOpenApiDocument();
    return openApi;
  };
  const v1 = new Hono<IngestEnv>()
    .get('/openapi.json', (c) => c.json(openApiDocument()))
    .use(resolveTenant<IngestEnv>(deps, { refuseUnavailableClinic: false }))
    .use(apiKeyAuth(deps))
    .use(jsonBody({ maxBytes: MAX_INGEST_BODY_BYTES, maxDecodedBytes: MAX_INGEST_DECODED_BYTES }))
    .use(idempotency(deps.clock, deps.log))
    .route('/', ingestRoutes(deps));

  const app = new Hono<IngestEnv>();
  app.use(requestId());
  app.use(requestLog(deps.log));
  app.use(requireOrigin(deps.originLock)); // first: nothing, not even the public reference page, bypasses CloudFront
  app.get(`${INGEST_BASE_PATH}/docs`, ingestReferencePage(openApiDocument)); // public; before securityHeaders: its own CSP
  app.use(`${INGEST_BASE_PATH}/*`, securityHeaders());
  app.route(INGEST_BASE_PATH, v1);
  app.notFound((c) => c.json(errorBody('route_not_found', `There is no ${c.req.method} ${c.req.path}.`), 404));
  app.onError(errorHandler(deps.log));
  return app;
}

export type IngestApp = ReturnType<typeof createIngestApp>;
