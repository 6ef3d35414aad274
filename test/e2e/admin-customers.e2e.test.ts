import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { totpCodeAt, totpSecretFromBase32 } from '../../functions/adapters/security/otpauth-totp';
import { checkPage } from '../support/axe';
import { useBrowserPortal } from '../support/browser-portal';

/**
 * Issue 6 in a browser: the demo clinic's administrator decides who sees what — hides and publishes a document and
 * turns a company's portal access off and on — while a contact of that company watches their own list change.
 */
describe('a clinic administrator deciding who sees what, in a browser', () => {
  const { portal, newPage } = useBrowserPortal({ name: 'admin-customers' });

  async function adminLoggedIn(page: Page): Promise<void> {
    const admin = portal().demoAdmin;
    await page.goto(`${portal().url}/admin`);
    await page.getByLabel('Användarnamn (e-postadress)').fill(admin.username);
    await page.getByLabel('Lösenord').fill(admin.password);
    await page.getByRole('button', { name: 'Fortsätt' }).click();
    await page.getByLabel('Kod (6 siffror)').fill(totpCodeAt(totpSecretFromBase32(admin.totpSecretBase32), new Date()));
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.getByRole('heading', { name: 'Kundföretag', level: 1 }).waitFor();
  }

  async function contactLoggedIn(page: Page, username: string, password: string): Promise<void> {
    await page.goto(portal().url);
    await page.getByLabel('Användarnamn', { exact: true }).fill(username);
    await page.getByLabel('Lösenord', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Logga in' }).click();
  }

  it('hides a document and publishes it again, and turns portal access off and on; the contact sees each change', async () => {
    const contact = portal().demoLogins.find((login) => login.customers.length === 1);
    const company = contact?.customers[0];
    if (!contact || !company) throw new Error('The demo data has no contact of one company.');
    const adminTab = await newPage();
    const contactTab = await newPage();
    const { page } = adminTab;
    await adminLoggedIn(page);

    // The customer list: the company has access; its documents are one click away.
    const customers = page.getByRole('table', { name: 'Kundföretag och deras tillgång till portalen' });
    const companyRow = customers.getByRole('row').filter({ has: page.getByRole('rowheader', { name: company }) });
    await companyRow.getByText('Har tillgång').waitFor();
    await checkPage(page, 'admin-customers');
    await page.getByRole('link', { name: `Fakturaunderlag för ${company}` }).click();
    await page.getByRole('heading', { name: company, level: 1 }).waitFor();
    const documents = page.getByRole('table', { name: `Fakturaunderlag för ${company}, nyaste först` });
    const newest = documents.getByRole('row').nth(1);
    const invoiceNumber = ((await newest.getByRole('rowheader').textContent()) ?? '').trim();
    await checkPage(page, 'admin-customer-documents');

    // The contact sees the newest invoice basis.
    await contactLoggedIn(contactTab.page, contact.username, contact.password);
    const contactList = contactTab.page.getByRole('table', { name: new RegExp(`^Fakturaunderlag för ${company}, `) });
    await contactList.getByRole('rowheader', { name: invoiceNumber, exact: true }).waitFor();

    // Hide it: the admin's row says so, and after a reload the contact's list no longer has it.
    await page.getByRole('button', { name: `Dölj fakturaunderlag ${invoiceNumber}` }).click();
    await newest.getByText('Dold').waitFor();
    await page
      .getByRole('status')
      .or(page.locator('[aria-live="polite"]'))
      .getByText(`${invoiceNumber} visas inte längre för kunden.`)
      .waitFor({ state: 'attached' });
    await contactTab.page.reload();
    await contactList.locator('tbody tr').first().waitFor();
    await expect(contactList.getByRole('rowheader', { name: invoiceNumber, exact: true }).count()).resolves.toBe(0);

    // Publish it again: back in the contact's list.
    await page.getByRole('button', { name: `Publicera fakturaunderlag ${invoiceNumber}` }).click();
    await newest.getByText('Publicerad').waitFor();
    await contactTab.page.reload();
    await contactList.getByRole('rowheader', { name: invoiceNumber, exact: true }).waitFor();

    // Who downloaded it: nobody yet; then the contact does, and the admin sees by whom.
    await contactList.getByRole('button', { name: `Ladda ner fakturaunderlag ${invoiceNumber}` }).click();
    await contactList.getByRole('row').filter({ hasText: invoiceNumber }).getByText('Hämtad').waitFor();
    await page.reload();
    await page.getByRole('button', { name: `Vem har hämtat fakturaunderlag ${invoiceNumber}?` }).click();
    await page.getByText(`Hämtningar av ${invoiceNumber}`).waitFor();
    await expect(page.locator('.downloads li').first().textContent()).resolves.toContain(contact.name);

    // Portal access off: the contact's next action finds nothing; on again, the list is back.
    await page.getByRole('link', { name: 'Tillbaka till kundföretagen' }).click();
    await page.getByRole('button', { name: `Stäng av portalen för ${company}` }).click();
    await companyRow.getByText('Ingen tillgång').waitFor();
    await contactTab.page.reload();
    // The company is gone from their account: the page says to contact the clinic.
    await contactTab.page
      .getByText('Ditt konto är inte kopplat till något företag ännu. Kontakta mottagningen.')
      .waitFor();
    await expect(contactList.count()).resolves.toBe(0);
    await page.getByRole('button', { name: `Ge ${company} tillgång till portalen` }).click();
    await companyRow.getByText('Har tillgång').waitFor();
    await contactTab.page.reload();
    await contactList.locator('tbody tr').first().waitFor();

    await adminTab.context.close();
    await contactTab.context.close();
  });
});
