import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAdminPagePath, staticFrontend } from '../../../functions/local/static-frontend';

describe('the dev server’s static frontend', () => {
  const dist = mkdtempSync(join(tmpdir(), 'portal-static-frontend-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<title>portal</title>');
  writeFileSync(join(dist, 'admin.html'), '<title>admin</title>');
  writeFileSync(join(dist, 'assets', 'admin-1234.js'), 'export {};');
  const app = staticFrontend(dist);
  const pageAt = async (path: string) => (await app.request(`http://localhost${path}`)).text();

  afterAll(() => rmSync(dist, { recursive: true, force: true }));

  it('serves the admin pages for /admin and every extension-less path below it', async () => {
    expect(await Promise.all(['/admin', '/admin/', '/admin/satt-losenord', '/admin.html'].map(pageAt))).toEqual(
      Array(4).fill('<title>admin</title>'),
    );
  });

  it('serves the portal for every other page path, and files as they are', async () => {
    expect(await Promise.all(['/', '/satt-losenord', '/administration', '/kunder/42'].map(pageAt))).toEqual(
      Array(4).fill('<title>portal</title>'),
    );
    expect(await pageAt('/assets/admin-1234.js')).toBe('export {};');
    expect((await app.request('http://localhost/admin')).headers.get('Content-Security-Policy')).toContain(
      "default-src 'self'",
    );
  });

  it('decides like the CloudFront function: /admin and extension-less paths below it, nothing else', () => {
    expect(['/admin', '/admin/', '/admin/satt-losenord'].every(isAdminPagePath)).toBe(true);
    expect(['/administration', '/admin.html', '/admin/logo.svg', '/', '/x/admin'].some(isAdminPagePath)).toBe(false);
  });
});
