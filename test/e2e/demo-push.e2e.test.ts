import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operatorClock, operatorData, operatorIds, tenantScope } from '../../functions/cli/operator-scope';
import { type LocalPortal, startLocalPortal } from '../../functions/local/start-local-portal';
import { createApiKey } from '../../functions/use-cases/ingest/manage-api-keys';

const run = promisify(execFile);

/**
 * The "done when": `npm run demo:push` fills a running local portal through the real ingest API over HTTP,
 * and the documents appear for the demo contact. Also what only a real HTTP server shows (the in-memory
 * `app.request()` of the other tests cannot): a body-less POST and the reference page's headers.
 */
describe('npm run demo:push against a running local portal', () => {
  let portal: LocalPortal;
  let dataDirectory: string;

  beforeAll(async () => {
    dataDirectory = await mkdtemp(join(tmpdir(), 'portal-push-'));
    portal = await startLocalPortal({ dataDirectory, quiet: true });
  });

  afterAll(async () => {
    await portal?.stop();
    await rm(dataDirectory, { recursive: true, force: true });
  });

  it('pushes a year of invoice bases that the demo contact then sees, the correction replacing its first version', async () => {
    const { stdout } = await run('npm', ['run', '--silent', 'demo:push', '--', '--year', '2025'], {
      env: { ...process.env, PORTAL_DATA_DIR: dataDirectory },
    });
    expect(stdout).toMatch(/Sent 24 invoice bases of 2025 \(\d+ lines\) and 1 correction/u);

    const contact = portal.demoLogins[0];
    if (!contact) throw new Error('No demo login.');
    const login = await fetch(`${portal.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: portal.url },
      body: JSON.stringify({ username: contact.username, password: contact.password }),
    });
    const cookie = login.headers.get('set-cookie')?.split(';')[0] ?? '';
    const { customers } = (await login.json()) as { customers: Array<{ id: string }> };
    const list = (await (
      await fetch(`${portal.url}/api/customers/${customers[0]?.id}/documents?limit=100`, { headers: { cookie } })
    ).json()) as { items: Array<{ invoiceNumber: string; description: string }> };
    const pushed = list.items.filter((item) => item.invoiceNumber.startsWith('P2025-'));
    expect(pushed).toHaveLength(12);
    const january = pushed.filter((item) => item.invoiceNumber.endsWith('-01'));
    expect(january).toEqual([expect.objectContaining({ description: 'Fakturering januari 2025 (rättad)' })]);
  }, 180_000);

  it('answers a body-less POST by what it means (here: no such document), not with 415', async () => {
    const data = operatorData({ PORTAL_DATA_DIR: dataDirectory });
    const scope = await tenantScope(data, 'localhost');
    const { secret } = await createApiKey(
      { scope, clock: operatorClock, ids: operatorIds },
      { name: 'e2e', createdBy: 'e2e' },
    );
    const response = await fetch(`${portal.url}/ingest/v1/documents/${randomUUID()}/upload-complete`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${secret}` },
    });
    expect(response.status).toBe(404);
  });

  it('serves the ingest reference page with a policy that allows only its own style', async () => {
    const response = await fetch(`${portal.url}/ingest/v1/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'sha256-/u);
    expect(await response.text()).toContain('Företagsportal ingest API');
  });
});
