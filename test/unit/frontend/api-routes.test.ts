import { afterEach, describe, expect, it, vi } from 'vitest';
import { call } from '../../../frontend/src/api';

// That the client refuses what the server does not serve is proven at compile time: ./api-route-drift.ts.

describe('the typed API client', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("fills the path template's parameters URL-encoded and adds the query", async () => {
    const fetch = vi.fn(async () => Response.json({ items: [] }));
    vi.stubGlobal('fetch', fetch);

    await call('GET', '/api/customers/:customerId/documents', {
      params: { customerId: 'a b/c' },
      query: { year: '2024', status: 'new' },
    });

    expect(fetch).toHaveBeenCalledWith(
      '/api/customers/a%20b%2Fc/documents?year=2024&status=new',
      expect.objectContaining({ method: 'GET', credentials: 'same-origin' }),
    );
  });

  it('sends a body as JSON, and turns an error body into an ApiError with its status and code', async () => {
    const fetch = vi.fn(async () =>
      Response.json(
        { error: { code: 'invalid_credentials', message: 'Fel användarnamn eller lösenord.' } },
        { status: 401 },
      ),
    );
    vi.stubGlobal('fetch', fetch);

    const answer = call('POST', '/api/auth/login', { body: { username: 'anna', password: 'hemligt' } });

    await expect(answer).rejects.toMatchObject({ status: 401, code: 'invalid_credentials' });
    expect(fetch).toHaveBeenCalledWith(
      '/api/auth/login',
      expect.objectContaining({ body: JSON.stringify({ username: 'anna', password: 'hemligt' }) }),
    );
  });
});
