import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LocalPortal } from '../../functions/local/start-local-portal';
import { useBrowserPortal } from '../support/browser-portal';

type DemoLogin = LocalPortal['demoLogins'][number];

const NEW_PASSWORD = 'en mening som bara jag kan om hösten';

describe('the profile page and the languages, in a browser', () => {
  const { portal, newPage } = useBrowserPortal({
    name: 'profile',
    contextOptions: { timezoneId: 'Europe/Stockholm' },
  });
  let contact: DemoLogin;
  let company: string;

  beforeAll(() => {
    const first = portal().demoLogins.find((login) => login.customers.length === 1);
    if (!first?.customers[0]) throw new Error('The local portal seeded no demo login with one customer company.');
    contact = first;
    company = first.customers[0];
  });

  async function logIn(page: Page, password: string, path = '/'): Promise<void> {
    await page.goto(new URL(path, portal().url).href);
    await page.getByLabel('Användarnamn', { exact: true }).fill(contact.username);
    await page.getByLabel('Lösenord', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Logga in' }).click();
  }

  async function openProfile(page: Page): Promise<void> {
    await page.getByRole('table', { name: `Fakturaunderlag för ${company}, nyaste först` }).waitFor();
    await page.getByRole('link', { name: 'Min profil' }).click();
    await page.getByRole('heading', { name: 'Min profil', level: 1 }).waitFor();
  }

  it('a contact whose session ends on the profile page logs in again and is back on it', async () => {
    const { context, page } = await newPage();
    await logIn(page, contact.password);
    await openProfile(page);
    expect(new URL(page.url()).pathname).toBe('/profil');
    // The heading of the new view has the focus.
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Min profil');

    await context.clearCookies();
    await page.getByLabel('Mejla mig när ett nytt fakturaunderlag har publicerats').click();

    await page.getByText('Du har loggats ut. Logga in igen.').waitFor();
    await page.getByLabel('Användarnamn', { exact: true }).fill(contact.username);
    await page.getByLabel('Lösenord', { exact: true }).fill(contact.password);
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.getByRole('heading', { name: 'Min profil', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/profil');

    // Back to the list, and the browser's back button returns to the profile.
    await page.getByRole('link', { name: 'Tillbaka till fakturaunderlagen' }).click();
    await page.getByRole('table', { name: `Fakturaunderlag för ${company}, nyaste först` }).waitFor();
    await page.goBack();
    await page.getByRole('heading', { name: 'Min profil', level: 1 }).waitFor();
    await context.close();
  });

  it('a contact sees their details, turns notifications off, changes the password, ends another session, switches to English and logs out everywhere', async () => {
    const { context, page } = await newPage();
    await logIn(page, contact.password);
    await openProfile(page);
    const details = page.getByRole('region', { name: 'Dina uppgifter' });
    await details.getByText(contact.name).waitFor();

    // Notifications are on by default and saved at once.
    const notify = page.getByLabel('Mejla mig när ett nytt fakturaunderlag har publicerats');
    await expect(notify.isChecked()).resolves.toBe(true);
    await notify.click();
    await page.getByRole('status').getByText('Sparat: du får inga mejl om nya fakturaunderlag.').waitFor();

    // A too short password: the server's reason is shown; then a good one.
    await page.getByLabel('Nuvarande lösenord', { exact: true }).fill(contact.password);
    await page.getByLabel('Nytt lösenord', { exact: true }).fill('för kort');
    await page.getByRole('button', { name: 'Byt lösenord' }).click();
    await page.getByText('Lösenordet måste ha minst 15 tecken.').waitFor();
    await page.getByLabel('Nuvarande lösenord', { exact: true }).fill(contact.password);
    await page.getByLabel('Nytt lösenord', { exact: true }).fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Byt lösenord' }).click();
    await page.getByText('Ditt lösenord är bytt. Dina andra inloggningar är avslutade.').waitFor();
    await expect(page.getByLabel('Nytt lösenord', { exact: true }).inputValue()).resolves.toBe('');

    // Logged in elsewhere (another browser), then ended from here.
    const elsewhere = await newPage();
    await logIn(elsewhere.page, NEW_PASSWORD);
    await elsewhere.page.getByRole('table', { name: `Fakturaunderlag för ${company}, nyaste först` }).waitFor();
    await page.reload();
    const sessions = page.getByRole('list', { name: 'Inloggningar, den här först' });
    await expect.poll(() => sessions.getByRole('listitem').count()).toBe(2);
    await expect(notify.isChecked()).resolves.toBe(false);
    await sessions.getByRole('listitem').first().getByText('Den här enheten').waitFor();
    await sessions.getByRole('button', { name: /^Logga ut inloggningen från / }).click();
    await page.getByText('Inloggningen är avslutad.').waitFor();
    await expect(sessions.getByRole('listitem').count()).resolves.toBe(1);
    await elsewhere.page.reload();
    await elsewhere.page.getByRole('heading', { name: 'Logga in', level: 1 }).waitFor();

    // English: texts, the page's language and British dates; kept across a reload.
    const toEnglish = page.getByRole('button', { name: 'English' });
    await expect(toEnglish.getAttribute('lang')).resolves.toBe('en');
    await toEnglish.click();
    await page.getByRole('heading', { name: 'My profile', level: 1 }).waitFor();
    await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('en');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Svenska');
    await page.reload();
    await page.getByRole('heading', { name: 'My profile', level: 1 }).waitFor();
    const session = page.getByRole('list', { name: 'Sessions, this one first' }).getByRole('listitem').first();
    await expect(session.textContent()).resolves.toMatch(/Logged in \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}/u);

    await page.getByRole('link', { name: 'Back to the invoice bases' }).click();
    const table = page.getByRole('table', { name: `Invoice bases for ${company}, newest first` });
    await table.waitFor();
    await expect(table.locator('tbody tr').first().textContent()).resolves.toMatch(/\d{1,2} [A-Z][a-z]{2} \d{4}/u);
    await page.getByRole('link', { name: 'My profile' }).click();

    // Log out everywhere: this session too.
    await page.getByRole('button', { name: 'Log out everywhere' }).click();
    await page.getByText('You have been logged out everywhere.').waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    await page.reload();
    await page.getByRole('heading', { name: 'Log in', level: 1 }).waitFor();
    await elsewhere.context.close();
    await context.close();
  });
});
