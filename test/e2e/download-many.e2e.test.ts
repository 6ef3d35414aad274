import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import type { Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBrowserPortal } from '../support/browser-portal';

interface Manifest {
  files: Array<{ name: string; sizeBytes: number; sha256: string }>;
}

describe('downloading many invoice bases, and opening one, in a browser', () => {
  const { portal, newPage } = useBrowserPortal({
    name: 'download-many',
    contextOptions: { acceptDownloads: true, timezoneId: 'Europe/Stockholm' },
  });
  let downloadDirectory: string;

  beforeAll(async () => {
    downloadDirectory = await mkdtemp(join(tmpdir(), 'portal-e2e-zip-'));
  });

  afterAll(async () => {
    if (downloadDirectory) await rm(downloadDirectory, { recursive: true, force: true });
  });

  async function logIn(page: Page): Promise<void> {
    const login = portal().demoLogins[0];
    if (!login) throw new Error('The local portal seeded no demo login.');
    await page.goto(portal().url);
    await page.getByLabel('Användarnamn', { exact: true }).fill(login.username);
    await page.getByLabel('Lösenord', { exact: true }).fill(login.password);
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.getByRole('table').waitFor();
  }

  /** Saves a downloaded ZIP, unpacks it and checks every file against the manifest's size and SHA-256. */
  async function unpackVerified(download: Download) {
    const file = join(downloadDirectory, download.suggestedFilename());
    await download.saveAs(file);
    const entries = unzipSync(new Uint8Array(await readFile(file)));
    const manifest = JSON.parse(new TextDecoder().decode(entries['manifest.json'])) as Manifest;
    for (const entry of manifest.files) {
      const bytes = entries[entry.name] ?? new Uint8Array();
      expect(bytes.byteLength, entry.name).toBe(entry.sizeBytes);
      expect(createHash('sha256').update(bytes).digest('hex'), entry.name).toBe(entry.sha256);
      expect(Buffer.from(bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    }
    expect(Object.keys(entries).sort()).toEqual([...manifest.files.map((entry) => entry.name), 'manifest.json'].sort());
    return manifest;
  }

  it('a contact downloads the shown year as one ZIP file with every PDF and a manifest', async () => {
    const { context, page } = await newPage();
    await logIn(page);
    const rows = await page.getByRole('table').locator('tbody tr').count();

    const button = page.getByRole('button', { name: /^Ladda ner alla för \d{4}$/u });
    const year = ((await button.textContent()) ?? '').slice(-4);
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);

    expect(download.suggestedFilename()).toMatch(new RegExp(`^Fakturaunderlag_.+_${year}\\.zip$`, 'u'));
    const manifest = await unpackVerified(download);
    expect(manifest.files.length).toBeGreaterThanOrEqual(rows);
    await page.getByRole('status').filter({ hasText: 'har startat' }).waitFor();
    // Everything in the ZIP now counts as downloaded: no "Ny" badge is left in the list.
    await page.reload();
    await page.getByRole('table').waitFor();
    await expect(page.locator('tbody .badge-new').count()).resolves.toBe(0);
    await context.close();
  });

  it('a contact ticks two rows and downloads just those as a ZIP file', async () => {
    const { context, page } = await newPage();
    await logIn(page);
    const boxes = page.getByRole('table').locator('tbody input[type="checkbox"]');
    await boxes.nth(0).check();
    await boxes.nth(1).check();

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Ladda ner markerade (2)' }).click(),
    ]);

    const manifest = await unpackVerified(download);
    expect(manifest.files).toHaveLength(2);
    await context.close();
  });

  it('"Öppna" opens the PDF in a new tab with an inline disposition and the server-chosen name', async () => {
    const { context, page } = await newPage();
    await logIn(page);
    const open = page.getByRole('button', { name: /^Öppna fakturaunderlag .+ i webbläsaren$/u }).first();

    const [response] = await Promise.all([
      context.waitForEvent('response', (candidate) => candidate.url().includes('X-Amz-Signature')),
      open.click(),
    ]);

    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('application/pdf');
    expect(response.headers()['content-disposition']).toMatch(/^inline; filename="Fakturaunderlag_.+\.pdf"/u);
    await context.close();
  });
});
