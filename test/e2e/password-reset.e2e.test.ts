import { describe, expect, it } from 'vitest';
import { useBrowserPortal } from '../support/browser-portal';

const NEW_PASSWORD = 'sju blå hästar dansar på isen';

describe('a contact who forgot the password, in a browser', () => {
  const { portal, newPage, linkMailedTo } = useBrowserPortal({ name: 'reset' });

  it('asks for a link, sets a new password with it, logs in — and the link does not work twice', async () => {
    const contact = portal().demoLogins.at(-1);
    if (!contact) throw new Error('The local portal seeded no demo login.');
    const { context, page } = await newPage();
    await page.goto(portal().url);
    await page.getByRole('heading', { name: 'Logga in', level: 1 }).waitFor();

    await page.getByRole('link', { name: 'Glömt lösenordet?' }).click();
    await page.getByRole('heading', { name: 'Glömt lösenordet?', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/glomt-losenord');
    await page.getByLabel('E-postadress').fill(contact.username);
    await page.getByRole('button', { name: 'Skicka länk' }).click();
    await page
      .getByText('Om adressen finns hos oss har vi skickat ett mejl med en länk. Länken fungerar i 60 minuter.')
      .waitFor();

    const link = await linkMailedTo(contact.username);
    expect(link.startsWith(`${portal().url}/satt-losenord#`)).toBe(true);
    await page.goto(link);
    await page.getByRole('heading', { name: 'Välj lösenord', level: 1 }).waitFor();
    // The token is out of the address bar (and so out of history) as soon as the page has read it.
    expect(page.url()).toBe(`${portal().url}/satt-losenord`);

    const field = page.getByLabel('Nytt lösenord');
    await expect(field.getAttribute('autocomplete')).resolves.toBe('new-password');
    await field.fill('kort');
    await page.getByRole('button', { name: 'Spara lösenord' }).click();
    await page.getByRole('alert').getByText('Lösenordet måste ha minst 15 tecken.').waitFor();
    await expect(field.getAttribute('aria-invalid')).resolves.toBe('true');

    await field.fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Visa lösenord' }).click();
    await expect(field.getAttribute('type')).resolves.toBe('text');
    await page.getByRole('button', { name: 'Spara lösenord' }).click();

    await page.getByText('Ditt lösenord är sparat. Logga in med ditt nya lösenord.').waitFor();
    await expect(page.getByLabel('Användarnamn', { exact: true }).inputValue()).resolves.toBe(contact.username);
    expect(new URL(page.url()).pathname).toBe('/');
    await page.getByLabel('Lösenord', { exact: true }).fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.getByRole('button', { name: 'Logga ut' }).waitFor();
    await context.close();

    const again = await newPage();
    await again.page.goto(link);
    await again.page.getByLabel('Nytt lösenord').fill('ett helt annat lösenord i kväll');
    await again.page.getByRole('button', { name: 'Spara lösenord' }).click();
    await again.page.getByText('Länken har redan använts eller gått ut. Begär en ny.').waitFor();
    await again.page.getByRole('button', { name: 'Begär en ny länk' }).click();
    await again.page.getByRole('heading', { name: 'Glömt lösenordet?', level: 1 }).waitFor();
    await again.context.close();
  });
});
