import { OpenAPIHono } from '@hono/zod-openapi';
import { INGEST_BASE_PATH, INGEST_ROUTE_DEFINITIONS } from './ingest-routes';

const INGEST_API_VERSION = '1.0.0';

const DESCRIPTION = `The practice system (e.g. CGM J4) sends the clinic's customer companies and invoice bases
(fakturaunderlag) to Företagsportal. Customers are upserted by customer number; invoice bases arrive as structured
lines, which the portal renders to PDF, or as ready-made PDFs. A document becomes visible to the customer's contacts
only once its PDF is stored and checked.

**Authentication**: every call carries the clinic's API key as \`Authorization: Bearer fpk_…\`. Keys are created by the
clinic (\`npm run apikey -- create\`), shown once, and can be rotated and revoked.

**Retries are safe**: send an \`Idempotency-Key\` header with every write; a retry with the same key returns the
original response. Independently of the header, the same invoice number and version with the same content is always
recognised as a retry, never stored twice.

**Errors** always have the shape \`{"error": {"code", "message", "details"}}\`: 400 names each invalid field path,
422 names the broken business rule (e.g. the difference when totals do not add up).

**Limits**: JSON bodies up to 4 MB as sent (\`Content-Encoding: gzip\` welcome; 50 MB decoded), 50,000 lines
per invoice basis, 1,000 customers per call, ready-made PDFs up to 20 MB.

This document is served at \`/ingest/v1/openapi.json\` and as a readable page at \`/ingest/v1/docs\`.`;

/**
 * The OpenAPI 3.1 document of the ingest API, generated from the same zod schemas that validate the requests
 * (served at /ingest/v1/openapi.json and written to docs/ingest-api.md by `npm run docs:ingest-api`).
 */
export function ingestOpenApiDocument() {
  const documentation = new OpenAPIHono();
  documentation.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'fpk_<clinic>_<key>_<secret>',
    description: "The clinic's ingest API key.",
  });
  for (const route of INGEST_ROUTE_DEFINITIONS) {
    documentation.openAPIRegistry.registerPath({
      ...route,
      path: `${INGEST_BASE_PATH}${route.path}`,
      security: [{ apiKey: [] }],
    });
  }
  return documentation.getOpenAPI31Document({
    openapi: '3.1.0',
    info: { title: 'Företagsportal ingest API', version: INGEST_API_VERSION, description: DESCRIPTION },
    servers: [{ url: '/', description: "The clinic's portal address, e.g. https://portal.foretagshalsan.se" }],
    tags: [
      { name: 'Kunder', description: 'Customer companies (kunder) of the clinic.' },
      { name: 'Fakturaunderlag', description: 'Invoice bases: structured, ready-made PDFs, status, withdrawal.' },
    ],
  });
}
