import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../functions/http/create-app';
import { createIngestApp } from '../../functions/http/ingest/create-ingest-app';
import { ORIGIN_VERIFY_HEADER, secretOriginLock } from '../../functions/http/middleware/origin-lock';
import { ingestClient, invoiceBasisBody } from '../support/ingest-client';
import { type ClinicFixture, createClinic, createTestPortal } from '../support/test-portal';

/*
 * The HTTP API's execute-api endpoint is public; CloudFront adds the origin secret to every request it forwards.
 * These are the apps as the AWS wiring builds them (with a lock), on the real emulators.
 */

const CLINIC_NAME = 'Origin-lock kliniken AB';
const ORIGIN_SECRET = 'origin-secret-as-cloudfront-sends-it';
const portal = createTestPortal();
let clinic: ClinicFixture;
let ingestKey: string;

/** Like the Secrets Manager loader: the current value and, after a rotation, the previous one. */
function lockOn(values: () => readonly string[]) {
  let loads = 0;
  const lock = secretOriginLock(
    async () => {
      loads += 1;
      return values();
    },
    { clock: portal.clock, reloadAfterMs: 60_000 },
  );
  return { lock, loads: () => loads };
}

const { lock } = lockOn(() => [ORIGIN_SECRET]);
const app = createApp({ ...portal.deps, originLock: lock });
const ingestApp = createIngestApp({ ...portal.ingestDeps, originLock: lock });

beforeAll(async () => {
  clinic = await createClinic(portal, CLINIC_NAME);
  ingestKey = (await ingestClient(portal, clinic)).secret;
});

const portalRequest = (headers: Record<string, string> = {}) =>
  app.request(`https://${clinic.host}/api/tenant`, { headers });

describe('the origin lock of the portal API', () => {
  it('serves a request that carries the origin secret, as CloudFront sends it', async () => {
    // Act
    const response = await portalRequest({ [ORIGIN_VERIFY_HEADER]: ORIGIN_SECRET });

    // Assert
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ name: CLINIC_NAME });
  });

  it.each([
    ['without the header', {}],
    ['with a wrong value', { [ORIGIN_VERIFY_HEADER]: 'guessed' }],
    ['with a prefix of the secret', { [ORIGIN_VERIFY_HEADER]: ORIGIN_SECRET.slice(0, 10) }],
    ['with an empty value', { [ORIGIN_VERIFY_HEADER]: '' }],
  ])('refuses a request %s with 403, a JSON error and nothing of the clinic', async (_, headers) => {
    // Act
    const response = await portalRequest(headers);

    // Assert
    expect(response.status).toBe(403);
    const body = await response.text();
    expect(JSON.parse(body)).toEqual({ error: { code: 'forbidden', message: expect.any(String) } });
    expect(body).not.toContain(CLINIC_NAME);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
  });

  it('refuses even the health check and a write, before any other check runs', async () => {
    // Act
    const health = await app.request(`https://${clinic.host}/api/health`);
    const login = await app.request(`https://${clinic.host}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: clinic.origin },
      body: JSON.stringify(clinic.contact),
    });

    // Assert
    expect(health.status).toBe(403);
    expect(login.status).toBe(403);
    expect(login.headers.get('Set-Cookie')).toBeNull();
  });

  it('leaves the app without a lock (dev server, tests) open: the wiring decides, not the app', async () => {
    // Act
    const response = await portal.app.request(`https://${clinic.host}/api/tenant`);

    // Assert
    expect(response.status).toBe(200);
  });
});

describe('the origin lock of the ingest API', () => {
  const ingestRequest = (path: string, headers: Record<string, string>, body?: unknown) =>
    ingestApp.request(`https://${clinic.host}/ingest/v1${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { Authorization: `Bearer ${ingestKey}`, 'Content-Type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it('refuses a push with a valid API key but without the origin secret, storing nothing', async () => {
    // Arrange
    const body = invoiceBasisBody(clinic.customer.customerNumber);

    // Act
    const response = await ingestRequest('/invoice-bases', {}, body);

    // Assert
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: { code: 'forbidden', message: expect.any(String) } });
    const page = await clinic.scope.documents.listVisible(clinic.customer, { limit: 100 });
    expect(page.items.map((item) => item.invoiceNumber)).not.toContain(body.invoiceNumber);
  });

  it('refuses the public reference page and the OpenAPI document without it, and serves them with it', async () => {
    // Act
    const refused = await Promise.all([ingestRequest('/docs', {}), ingestRequest('/openapi.json', {})]);
    const served = await Promise.all([
      ingestRequest('/docs', { [ORIGIN_VERIFY_HEADER]: ORIGIN_SECRET }),
      ingestRequest('/openapi.json', { [ORIGIN_VERIFY_HEADER]: ORIGIN_SECRET }),
    ]);

    // Assert
    expect(refused.map((response) => response.status)).toEqual([403, 403]);
    expect(served.map((response) => response.status)).toEqual([200, 200]);
  });
});

describe('the secret-backed lock', () => {
  it('loads the secret once for many requests, and not again for forged values within a minute', async () => {
    // Arrange
    const counted = lockOn(() => [ORIGIN_SECRET]);

    // Act
    const results = await Promise.all([
      counted.lock.accepts(ORIGIN_SECRET),
      counted.lock.accepts(ORIGIN_SECRET),
      counted.lock.accepts('forged-1'),
      counted.lock.accepts('forged-2'),
    ]);

    // Assert
    expect(results).toEqual([true, true, false, false]);
    expect(counted.loads()).toBe(1);
  });

  it('accepts the previous value during a rotation and picks up a new value a minute later without a cold start', async () => {
    // Arrange: a container that cached the old value
    let values: readonly string[] = ['old-value'];
    const rotating = lockOn(() => values);
    expect(await rotating.lock.accepts('old-value')).toBe(true);

    // Act: the operator puts a new value (the old one becomes AWSPREVIOUS), then CloudFront sends the new one
    values = ['new-value', 'old-value'];
    const beforeReload = await rotating.lock.accepts('new-value');
    portal.clock.advance(60_000);
    const afterReload = await rotating.lock.accepts('new-value');
    const previousStillAccepted = await rotating.lock.accepts('old-value');

    // Assert
    expect(beforeReload).toBe(false);
    expect(afterReload).toBe(true);
    expect(previousStillAccepted).toBe(true);
    expect(rotating.loads()).toBe(2);
  });
});
