import { Hono } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import { capturingLogger } from '../../functions/adapters/system/json-logger';
import { errorHandler } from '../../functions/http/error-handler';
import { ingestClient, invoiceBasisBody } from '../support/ingest-client';
import { type ClinicFixture, clientFor, createClinic, createTestPortal } from '../support/test-portal';

/**
 * What the portal and the ingest API log about the requests they serve: one JSON line each, naming the route's
 * pattern, never what identifies a person or opens a door (addresses, passwords, cookies, tokens, presigned links).
 */
const captured = capturingLogger();
const portal = createTestPortal({ log: captured.log });
let clinic: ClinicFixture;

beforeAll(async () => {
  clinic = await createClinic(portal);
});

type Entry = Record<string, unknown>;
const requestLines = (): Entry[] => captured.entries().filter((entry) => entry.message === 'request');

describe('the request log', () => {
  it('has one line per request with method, route pattern, status, duration and clinic, and nothing personal', async () => {
    // Arrange
    const { document } = await clinic.addDocument(clinic.customer);
    const client = clientFor(portal, clinic);
    captured.lines.length = 0;

    // Act: a failed login, a login, the list, a download and a password-reset request
    const refused = await client.request('/api/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: clinic.contact.username, password: 'not-the-password' }),
    });
    await client.login(clinic.contact);
    const list = await client.request(`/api/customers/${clinic.customer.id}/documents`);
    const download = await client.request(`/api/customers/${clinic.customer.id}/documents/${document.id}/download`, {
      method: 'POST',
    });
    const { url } = (await download.json()) as { url: string };
    await client.request('/api/auth/password-reset', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: clinic.contact.contact.email }),
    });

    // Assert
    expect([refused.status, list.status, download.status]).toEqual([401, 200, 200]);
    expect(requestLines()).toEqual([
      expect.objectContaining({ method: 'POST', route: '/api/auth/login', status: 401 }),
      expect.objectContaining({ method: 'POST', route: '/api/auth/login', status: 200 }),
      expect.objectContaining({ method: 'GET', route: '/api/customers/:customerId/documents', status: 200 }),
      expect.objectContaining({
        method: 'POST',
        route: '/api/customers/:customerId/documents/:documentId/download',
        status: 200,
      }),
      expect.objectContaining({ method: 'POST', route: '/api/auth/password-reset', status: 202 }),
    ]);
    for (const line of requestLines()) {
      expect(line).toMatchObject({ level: 'INFO', tenantId: clinic.tenantId, durationMs: expect.any(Number) });
    }
    const everything = captured.lines.join('\n');
    const signature = new URL(url).searchParams.get('X-Amz-Signature');
    expect(signature).toBeTruthy();
    for (const secret of [
      clinic.contact.contact.email,
      clinic.contact.password,
      clinic.contact.contact.name,
      client.cookie?.split('=')[1],
      signature,
      document.id,
      clinic.customer.name,
    ]) {
      expect(secret).toBeTruthy();
      expect(everything).not.toContain(secret);
    }
  });

  it('logs the ingest API the same way, without the API key', async () => {
    // Arrange
    const ingest = await ingestClient(portal, clinic);
    captured.lines.length = 0;

    // Act
    const response = await ingest.request('/invoice-bases', { body: invoiceBasisBody(clinic.customer.customerNumber) });

    // Assert
    expect(response.status).toBe(202);
    expect(requestLines()).toEqual([
      expect.objectContaining({
        method: 'POST',
        route: '/ingest/v1/invoice-bases',
        status: 202,
        tenantId: clinic.tenantId,
      }),
    ]);
    expect(captured.lines.join('\n')).not.toContain(ingest.secret);
    await portal.renderQueue.idle();
  });

  it('logs a request no route matched by its method and status, not by the path typed', async () => {
    captured.lines.length = 0;

    const response = await clientFor(portal, clinic).request('/api/customers/198112189876/anna@example.se');

    expect(response.status).toBe(404);
    expect(requestLines()).toHaveLength(1);
    expect(requestLines()[0]).toMatchObject({ method: 'GET', status: 404 });
    expect(captured.lines.join('\n')).not.toMatch(/198112189876|anna@example\.se/u);
  });
});

describe('the error handler', () => {
  it('answers an unexpected error with a generic 500 and logs its name, redacted message and stack', async () => {
    // Arrange
    const { log, entries, lines } = capturingLogger();
    const app = new Hono().onError(errorHandler(log)).get('/boom', () => {
      throw new TypeError('Cannot read a row for anna@example.se (198112189876)');
    });

    // Act
    const response = await app.request('/boom');

    // Assert
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({
      error: { code: 'internal_error', message: 'Something went wrong on our side. Please try again.' },
    });
    expect(entries()).toEqual([
      expect.objectContaining({
        level: 'ERROR',
        message: 'Unhandled error',
        errorName: 'TypeError',
        errorMessage: 'Cannot read a row for [email] ([personal-number])',
        errorStack: expect.stringContaining('request-log.http.test.ts'),
      }),
    ]);
    expect(lines.join('\n')).not.toMatch(/anna@example\.se|198112189876/u);
  });
});
