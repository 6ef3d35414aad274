import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalPortal } from '../../functions/local/start-local-portal';
import { useBrowserPortal } from '../support/browser-portal';
import { pdfText } from '../support/pdf-text';

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
const screenshotPath = join(repositoryRoot, 'docs/screenshots/document-list.png');
/** The README's screenshot is rewritten only on request, so that running the tests never dirties the tree. */
const updateScreenshots = process.env.UPDATE_SCREENSHOTS === '1';

type DemoLogin = LocalPortal['demoLogins'][number];

describe('the portal in a browser', () => {
  // The one browser suite that builds into frontend/dist, as `npm start` does; the others build copies of their own.
  const { portal, newPage } = useBrowserPortal({
    name: 'portal',
    buildInto: 'frontend/dist',
    contextOptions: { acceptDownloads: true, timezoneId: 'Europe/Stockholm' },
  });
  let downloadDirectory: string;
  let contact: DemoLogin;
  let company: string;

  beforeAll(async () => {
    downloadDirectory = await mkdtemp(join(tmpdir(), 'portal-e2e-downloads-'));
    const firstLogin = portal().demoLogins[0];
    const firstCompany = firstLogin?.customers[0];
    if (!firstLogin || !firstCompany) {
      throw new Error('The local portal seeded no demo login with a customer company.');
    }
    contact = firstLogin;
    company = firstCompany;
  });

  afterAll(async () => {
    if (downloadDirectory) {
      await rm(downloadDirectory, { recursive: true, force: true });
    }
  });

  async function openPortal(page: Page): Promise<void> {
    await page.goto(portal().url);
    await page.getByRole('heading', { name: 'Logga in', level: 1 }).waitFor();
  }

  async function logIn(page: Page, password = contact.password, as: DemoLogin = contact): Promise<void> {
    await openPortal(page);
    await page.getByLabel('Användarnamn', { exact: true }).fill(as.username);
    await page.getByLabel('Lösenord', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Logga in' }).click();
  }

  /** Waits for the list of the demo contact's company (the first company is shown after login). */
  async function documentTable(page: Page): Promise<Locator> {
    const table = page.getByRole('table', { name: `Fakturaunderlag för ${company}, nyaste först` });
    await table.waitFor();
    return table;
  }

  /** The cells of one column, found by its header text as a user would. */
  async function column(table: Locator, header: string): Promise<Locator> {
    const headers = (await table.locator('thead th').allTextContents()).map((text) => text.trim());
    const index = headers.indexOf(header);
    expect(index, `column "${header}" among ${headers.join(', ')}`).toBeGreaterThanOrEqual(0);
    return table.locator(`tbody tr > :nth-child(${index + 1})`);
  }

  it('a contact who types the wrong password is told so and sees no documents', async () => {
    const { context, page } = await newPage();

    await logIn(page, `${contact.password}-fel`);

    await page.getByText('Fel användarnamn eller lösenord.').waitFor();
    await expect(page.getByRole('button', { name: 'Logga in' }).isEnabled()).resolves.toBe(true);
    await expect(page.getByRole('table').count()).resolves.toBe(0);
    await context.close();
  });

  it('a contact logs in, sees the 23 invoice bases newest first and downloads the newest as a PDF', async () => {
    const { context, page } = await newPage();

    await logIn(page);
    const table = await documentTable(page);

    const invoiceDates = (await (await column(table, 'Fakturadatum')).allTextContents()).map((text) => text.trim());
    expect(invoiceDates).toHaveLength(23);
    expect(invoiceDates[0]).toBe('2024-11-30');
    expect(invoiceDates.at(-1)).toBe('2024-01-01');
    expect(invoiceDates).toEqual([...invoiceDates].sort().reverse());

    const invoiceNumber = ((await (await column(table, 'Fakturanummer')).first().textContent()) ?? '').trim();
    const firstStatus = (await column(table, 'Status')).first();
    await expect(firstStatus.textContent()).resolves.toContain('Ny');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: `Ladda ner fakturaunderlag ${invoiceNumber}` }).click(),
    ]);

    expect(download.suggestedFilename()).toMatch(/^Fakturaunderlag_.+\.pdf$/);
    const savedFile = join(downloadDirectory, download.suggestedFilename());
    await download.saveAs(savedFile);
    const pdf = await readFile(savedFile);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await expect(pdfText(pdf)).resolves.toContain(invoiceNumber);
    await firstStatus.getByText('Hämtad').waitFor();
    expect(page.url()).toBe(new URL('/', portal().url).href);

    await page.reload();
    const reloaded = await documentTable(page);
    await expect((await column(reloaded, 'Status')).first().textContent()).resolves.toContain('Hämtad');

    if (updateScreenshots) {
      await mkdir(dirname(screenshotPath), { recursive: true });
      await page.screenshot({ path: screenshotPath });
    }
    await context.close();
  });

  it('a contact narrows the list by year, month and status, searches an invoice number and sorts, with the keyboard and the address bar', async () => {
    const { context, page } = await newPage();
    await logIn(page);
    let table = await documentTable(page);
    const dates = async () =>
      (await (await column(table, 'Fakturadatum')).allTextContents()).map((text) => text.trim());
    const statuses = async () => (await (await column(table, 'Status')).allTextContents()).map((text) => text.trim());

    // The latest year with documents is chosen by default and stays out of the address.
    await expect(page.getByLabel('År', { exact: true }).inputValue()).resolves.toBe('2024');
    await expect(page.getByLabel('År', { exact: true }).locator('option').allTextContents()).resolves.toEqual([
      'Alla år',
      '2024',
    ]);
    await page
      .locator('[aria-live="polite"]')
      .getByText(/23 fakturaunderlag visas/)
      .waitFor({ state: 'attached' });
    expect(new URL(page.url()).search).toBe('');

    // One invoice month; the address keeps it, and back returns to the whole year.
    await page.getByLabel('Fakturamånad').selectOption('2024-03');
    await expect.poll(async () => (await dates()).length).toBe(2);
    expect((await dates()).every((date) => date.startsWith('2024-03'))).toBe(true);
    expect(new URL(page.url()).searchParams.get('period')).toBe('2024-03');
    await page.goBack();
    await expect.poll(async () => (await dates()).length).toBe(23);
    await expect(page.getByLabel('Fakturamånad').inputValue()).resolves.toBe('');

    // Status: download one, then only the downloaded ones, then only the new ones.
    const downloadedNumber = ((await (await column(table, 'Fakturanummer')).first().textContent()) ?? '').trim();
    await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: `Ladda ner fakturaunderlag ${downloadedNumber}` }).click(),
    ]);
    await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Hämtade' });
    await expect.poll(async () => (await statuses()).every((status) => status.startsWith('Hämtad'))).toBe(true);
    expect((await (await column(table, 'Fakturanummer')).allTextContents()).map((text) => text.trim())).toContain(
      downloadedNumber,
    );
    await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Nya' });
    await expect.poll(async () => (await statuses()).every((status) => status === 'Ny')).toBe(true);
    await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Alla' });
    await expect.poll(async () => (await dates()).length).toBe(23);

    // Sorting with the keyboard: the header button, its aria-sort, and focus stays on it.
    const sortButton = page.getByRole('button', { name: 'Sortera på fakturadatum, äldsta först' });
    await sortButton.focus();
    await page.keyboard.press('Enter');
    table = page.getByRole('table', { name: `Fakturaunderlag för ${company}, äldsta först` });
    await table.waitFor();
    await expect(table.locator('th[aria-sort]').getAttribute('aria-sort')).resolves.toBe('ascending');
    expect((await dates())[0]).toBe('2024-01-01');
    await expect(page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '')).resolves.toBe(
      'Sortera på fakturadatum, nyaste först',
    );
    await page.reload();
    await table.waitFor();
    expect((await dates())[0]).toBe('2024-01-01');

    // Search by invoice number (submitted with Enter), then clear it.
    const searched = ((await (await column(table, 'Fakturanummer')).nth(4).textContent()) ?? '').trim();
    await page.getByLabel('Sök fakturanummer').fill(searched);
    await page.getByLabel('Sök fakturanummer').press('Enter');
    await page.getByText(`Sökresultat för fakturanummer ${searched}.`).waitFor();
    await expect.poll(async () => (await dates()).length).toBe(1);
    await expect((await column(table, 'Fakturanummer')).first().textContent()).resolves.toBe(searched);
    await page.getByRole('button', { name: 'Rensa sökningen' }).click();
    await expect.poll(async () => (await dates()).length).toBe(23);

    // Selecting every row shown, and one again.
    await page.getByRole('checkbox', { name: 'Välj alla fakturaunderlag som visas' }).check();
    await expect(table.getByRole('checkbox', { checked: true }).count()).resolves.toBe(24);
    await page.getByRole('checkbox', { name: `Välj fakturaunderlag ${searched}` }).uncheck();
    await expect(
      page
        .getByRole('checkbox', { name: 'Välj alla fakturaunderlag som visas' })
        .evaluate((box) => (box as HTMLInputElement).indeterminate),
    ).resolves.toBe(true);
    await context.close();
  });

  it('when the session has ended, the next action leads back to the login page with an explanation', async () => {
    const { context, page } = await newPage();
    await logIn(page);
    const table = await documentTable(page);

    await context.clearCookies();
    await table
      .getByRole('button', { name: /^Ladda ner fakturaunderlag / })
      .first()
      .click();

    await page.getByText('Du har loggats ut. Logga in igen.').waitFor();
    await expect(page.getByLabel('Användarnamn', { exact: true }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('table').count()).resolves.toBe(0);
    await context.close();
  });

  it('a contact who logs out is back at the login page, also after reloading', async () => {
    const { context, page } = await newPage();
    await logIn(page);
    await documentTable(page);

    await page.getByRole('button', { name: 'Logga ut' }).click();

    await page.getByText('Du är nu utloggad.').waitFor();
    await page.reload();
    await page.getByLabel('Användarnamn', { exact: true }).waitFor();
    await expect(page.getByRole('table').count()).resolves.toBe(0);
    await context.close();
  });

  it('a contact logs in with Mobilt BankID: the QR code animates, the phone approves, the list appears', async () => {
    expect(contact.name).toBe('Anna Lindqvist');
    const { context, page } = await newPage();
    await openPortal(page);

    await page.getByRole('button', { name: 'Mobilt BankID' }).click();

    const qrCode = page.getByRole('img', { name: 'QR-kod för BankID. Skanna med BankID-appen i din mobil.' });
    await qrCode.waitFor();
    await expect(qrCode.evaluate((element) => element.localName)).resolves.toBe('svg');
    await page.getByRole('status').getByText('Starta BankID-appen.').waitFor();
    // The server hands out the next frame with every poll (about every 2 s); the page redraws it.
    const firstFrame = await qrCode.evaluate((element) => element.outerHTML);
    await page.waitForTimeout(2_500);
    await expect.poll(() => qrCode.evaluate((element) => element.outerHTML), { timeout: 5_000 }).not.toBe(firstFrame);

    // The "phone": the local BankID simulator's page, in a browser of its own.
    const phone = await newPage();
    await phone.page.goto(portal().bankIdDevPageUrl);
    const order = phone.page.getByRole('row').filter({ has: phone.page.getByRole('button', { name: /^Godkänn/ }) });
    await expect(order.count()).resolves.toBe(1);
    const testPerson = order.getByLabel('Testperson');
    const anna = await testPerson.locator('option', { hasText: contact.name }).getAttribute('value');
    await testPerson.selectOption(anna ?? '');
    await Promise.all([
      phone.page.waitForURL(/[?&]done=approved/),
      order.getByRole('button', { name: 'Godkänn som vald person' }).click(),
    ]);

    await documentTable(page);
    await page.getByRole('button', { name: 'Logga ut' }).waitFor();
    await expect(page.locator('#account').textContent()).resolves.toContain(contact.name);
    await phone.context.close();
    await context.close();
  });

  it('a contact logs in with BankID on this device: the app returns to the portal, and both tabs are logged in', async () => {
    const { context, page } = await newPage();
    await openPortal(page);

    await page.getByRole('button', { name: 'BankID på den här enheten' }).click();
    await page.getByRole('status').getByText('Starta BankID-appen.').waitFor();

    // The "app" on this device: the simulator's page in a tab of the same browser. Approving opens the order's
    // return URL there, as the BankID app does; that tab completes the login with the return's nonce.
    const app = await context.newPage();
    await app.goto(portal().bankIdDevPageUrl);
    const order = app.getByRole('row').filter({ has: app.getByRole('button', { name: /^Godkänn/ }) });
    const testPerson = order.getByLabel('Testperson');
    const anna = await testPerson.locator('option', { hasText: contact.name }).getAttribute('value');
    await testPerson.selectOption(anna ?? '');
    await order.getByRole('button', { name: 'Godkänn som vald person' }).click();

    await documentTable(app);
    // The nonce is taken out of the address bar at once.
    expect(new URL(app.url()).pathname).toBe('/');
    expect(app.url()).not.toContain('nonce');
    // The tab that started the login learns that this browser is now logged in.
    await documentTable(page);
    await expect(page.locator('#account').textContent()).resolves.toContain(contact.name);
    await context.close();
  });

  it('a contact of two companies picks one after login, and switches between their lists', async () => {
    const accountant = portal().demoLogins.find((login) => login.customers.length > 1);
    const [firstCompany, secondCompany] = accountant?.customers ?? [];
    if (!accountant || !firstCompany || !secondCompany) {
      throw new Error('The demo data has no contact with two customer companies.');
    }
    const { context, page } = await newPage();
    await logIn(page, accountant.password, accountant);
    await page.getByRole('heading', { name: 'Välj företag', level: 1 }).waitFor();
    const offered = await page.getByRole('list').getByRole('button').allTextContents();
    expect([...offered].sort()).toEqual([...accountant.customers].sort());

    await page.getByRole('button', { name: firstCompany }).click();
    await page.getByRole('table', { name: `Fakturaunderlag för ${firstCompany}, nyaste först` }).waitFor();
    // The choice holds for this tab: a reload goes straight to the list.
    await page.reload();
    await page.getByRole('table', { name: `Fakturaunderlag för ${firstCompany}, nyaste först` }).waitFor();

    await page.getByLabel('Företag', { exact: true }).selectOption({ label: secondCompany });

    const table = page.getByRole('table', { name: `Fakturaunderlag för ${secondCompany}, nyaste först` });
    await table.waitFor();
    const invoiceDates = (await (await column(table, 'Fakturadatum')).allTextContents()).map((text) => text.trim());
    expect(invoiceDates).toEqual(['2024-11-30', '2024-10-31', '2024-09-30', '2024-08-31', '2024-07-31', '2024-06-30']);
    await context.close();
  });
});
