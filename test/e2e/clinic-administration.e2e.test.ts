import { readFile } from 'node:fs/promises';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { totpCodeAt, totpSecretFromBase32 } from '../../functions/adapters/security/otpauth-totp';
import { randomIds } from '../../functions/adapters/system/system-clock-and-ids';
import { operatorClock, operatorData, operatorIds, tenantScope } from '../../functions/cli/operator-scope';
import { demoSeed } from '../../functions/local/seed/demo-data';
import { createApiKey } from '../../functions/use-cases/ingest/manage-api-keys';
import { checkPage } from '../support/axe';
import { useBrowserPortal } from '../support/browser-portal';
import { invoiceBasisBody } from '../support/ingest-client';
import { pngImage } from '../support/logo-images';

/**
 * Issue 6 in a browser: the demo clinic's administrator decides who sees what — hides and publishes a document and
 * turns a company's portal access off and on — while a contact of that company watches their own list change.
 */
describe('a clinic administrator deciding who sees what, in a browser', () => {
  const { portal, dataDirectory, newPage, linkMailedTo, mailsTo } = useBrowserPortal({ name: 'clinic-admin' });

  /**
   * A page of the demo administrator, logged in. The stories share one administrator session (one browser context):
   * a TOTP code is accepted once, so a fresh login per story would wait up to 30 seconds for the next code.
   */
  let adminContext: BrowserContext | undefined;
  afterAll(async () => {
    await adminContext?.close();
  });
  async function adminPage(): Promise<Page> {
    if (adminContext) {
      const page = await adminContext.newPage();
      await page.goto(`${portal().url}/admin`);
      await page.getByRole('heading', { name: 'Kundföretag', level: 1 }).waitFor();
      return page;
    }
    const admin = portal().demoAdmin;
    const { context, page } = await newPage();
    adminContext = context;
    await page.goto(`${portal().url}/admin`);
    await page.getByLabel('Användarnamn (e-postadress)').fill(admin.username);
    await page.getByLabel('Lösenord').fill(admin.password);
    await page.getByRole('button', { name: 'Fortsätt' }).click();
    await page.getByLabel('Kod (6 siffror)').fill(totpCodeAt(totpSecretFromBase32(admin.totpSecretBase32), new Date()));
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.getByRole('heading', { name: 'Kundföretag', level: 1 }).waitFor();
    return page;
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
    const page = await adminPage();
    const contactTab = await newPage();

    // The customer list: the company has access; its documents are one click away.
    const customers = page.getByRole('table', { name: 'Kundföretag och deras tillgång till portalen' });
    const companyRow = customers.getByRole('row').filter({ has: page.getByRole('rowheader', { name: company }) });
    await companyRow.getByText('Har tillgång').waitFor();
    await checkPage(page, 'admin-customers');
    // Searching the list: by a word of the name, then by nothing that exists.
    const search = page.getByLabel('Sök kundföretag (namn, kundnummer eller organisationsnummer)');
    await search.fill(company.split(' ')[0] ?? company);
    await expect(customers.locator('tbody tr:visible').count()).resolves.toBe(1);
    await search.fill('finns-inte');
    await page.getByText('Inget kundföretag matchar sökningen.').waitFor();
    await search.fill('');
    await page.getByRole('link', { name: `Fakturaunderlag för ${company}` }).click();
    await page.getByRole('heading', { name: company, level: 1 }).waitFor();
    // The publishing rule: saved, and said so.
    const rule = page.getByLabel('Publicering av nya fakturaunderlag');
    await rule.selectOption({ label: 'Först när mottagningen har godkänt det' });
    await page.getByRole('button', { name: 'Spara', exact: true }).click();
    await page.getByText('Sparat: nya fakturaunderlag väntar på ert godkännande innan kunden ser dem.').waitFor();
    await rule.selectOption({ label: 'Direkt när underlaget är klart' });
    await page.getByRole('button', { name: 'Spara', exact: true }).click();
    await page.getByText('Sparat: nya fakturaunderlag visas för kunden så snart de är klara.').waitFor();
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
    // The PDF's SHA-256 is beside the receipts, as proof of which file was handed out.
    await expect(page.locator('.content-hash code').first().textContent()).resolves.toMatch(/^[0-9a-f]{64}$/u);

    // The e-mail notices: "the contact says they never got it" — sent again at once, and the mail is in the sink.
    const noticesButton = page.getByRole('button', { name: `Aviseringar om fakturaunderlag ${invoiceNumber}` });
    const resend = page.getByRole('button', { name: `Skicka aviseringen igen om fakturaunderlag ${invoiceNumber}` });
    // The demo's own notices may still wait for their quiet minute; then there is no resend yet, so look again.
    await expect
      .poll(
        async () => {
          if ((await noticesButton.getAttribute('aria-expanded')) === 'true') await noticesButton.click();
          await noticesButton.click();
          await page.getByText(`Aviseringar per e-post om ${invoiceNumber}`).waitFor();
          return resend.isVisible();
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBe(true);
    // Counted only now: until the demo's own batch has gone out (which is what shows the resend button), its mail
    // may still arrive, and would be counted as the resend's.
    const mailsBefore = (await mailsTo(contact.username, 'new-documents')).length;
    await resend.click();
    await page.getByText(/^Mejlet skickades till \d+ kontaktpersone?r?\.$/u).waitFor({ state: 'attached' });
    await page.locator('.notice-batch-title', { hasText: 'Skickad igen' }).first().waitFor();
    await page
      .locator('.notices li', { hasText: `${contact.name}: Skickat` })
      .first()
      .waitFor();
    await expect.poll(async () => (await mailsTo(contact.username, 'new-documents')).length).toBe(mailsBefore + 1);
    await checkPage(page, 'admin-document-notices');

    // Everything that happened to the document: the audit trail, narrowed to it, has the download and the resend.
    await page.getByRole('link', { name: `Alla händelser om fakturaunderlag ${invoiceNumber}` }).click();
    await page.getByText(`Visar bara händelser om fakturaunderlag ${invoiceNumber}.`).waitFor();
    const trail = page.getByRole('table', { name: /^Händelser / });
    await trail.getByRole('rowheader', { name: 'Fakturaunderlag hämtat' }).first().waitFor();
    await trail.getByRole('rowheader', { name: 'Avisering skickad igen' }).first().waitFor();
    await expect(trail.locator('tbody tr td:nth-child(5)').allTextContents()).resolves.toEqual(
      expect.arrayContaining([invoiceNumber]),
    );
    expect(new Set(await trail.locator('tbody tr td:nth-child(5)').allTextContents())).toEqual(
      new Set([invoiceNumber]),
    );
    await page.goBack();
    await documents.getByRole('rowheader', { name: invoiceNumber, exact: true }).waitFor();

    // Only what nobody has fetched yet: the downloaded one leaves the list, and comes back with the box unticked.
    await page.getByLabel('Visa bara de som ingen har hämtat').check();
    await expect.poll(() => documents.getByRole('rowheader', { name: invoiceNumber, exact: true }).count()).toBe(0);
    await page.getByLabel('Visa bara de som ingen har hämtat').uncheck();
    await documents.getByRole('rowheader', { name: invoiceNumber, exact: true }).waitFor();

    // Withdraw another one, with a reason: gone from the contact's list for good, the reason shown to the clinic.
    const second = documents.getByRole('row').nth(2);
    const secondNumber = ((await second.getByRole('rowheader').textContent()) ?? '').trim();
    page.once('dialog', (dialog) => void dialog.accept('Skickat till fel kund'));
    await page.getByRole('button', { name: `Återkalla fakturaunderlag ${secondNumber}` }).click();
    await second.getByText('Återkallad').waitFor();
    await second.getByText('Orsak: Skickat till fel kund').waitFor();
    await contactTab.page.reload();
    await contactList.locator('tbody tr').first().waitFor();
    await expect(contactList.getByRole('rowheader', { name: secondNumber, exact: true }).count()).resolves.toBe(0);

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

    await page.close();
    await contactTab.context.close();
  });

  it('adds a contact person, invites them, they set a password and log in; deactivated, their session ends', async () => {
    const company = portal().demoLogins.find((login) => login.customers.length === 1)?.customers[0];
    if (!company) throw new Error('The demo data has no company with one contact.');
    const page = await adminPage();
    page.on('dialog', (dialog) => void dialog.accept());
    await page.getByRole('link', { name: `Fakturaunderlag för ${company}` }).click();
    await page.getByRole('heading', { name: company, level: 1 }).waitFor();
    const contacts = page.getByRole('table', { name: `Kontaktpersoner för ${company}` });
    await contacts.waitFor();

    // A wrong personal number is refused in Swedish, the field marked; then the contact is added without one.
    const email = 'sara.svensson@norrlandsbygg.example';
    await page.getByLabel('Namn', { exact: true }).fill('Sara Svensson');
    await page.getByLabel('E-postadress').fill(email);
    await page.getByLabel('Personnummer (valfritt, för BankID)').fill('19121212-1213');
    await page.getByRole('button', { name: 'Lägg till' }).click();
    await page.getByRole('alert').getByText('Personnumret stämmer inte.', { exact: false }).waitFor();
    await expect(page.getByLabel('Personnummer (valfritt, för BankID)').getAttribute('aria-invalid')).resolves.toBe(
      'true',
    );
    await checkPage(page, 'admin-contact-refused');
    await page.getByLabel('Personnummer (valfritt, för BankID)').fill('');
    await page.getByRole('button', { name: 'Lägg till' }).click();
    await contacts.getByRole('rowheader', { name: 'Sara Svensson' }).waitFor();

    // The invitation: a mail with a single-use link; Sara sets her password and sees the company's list.
    await page.getByRole('button', { name: 'Skicka inbjudan till Sara Svensson' }).click();
    await page.getByText(`En inbjudan har skickats till ${email}.`).waitFor();
    const sara = await newPage();
    await sara.page.goto(await linkMailedTo(email));
    await sara.page.getByRole('heading', { name: 'Välj lösenord', level: 1 }).waitFor();
    const password = 'lingon-i-skogen-om-hösten';
    await sara.page.getByLabel('Nytt lösenord').fill(password);
    await sara.page.getByRole('button', { name: 'Spara lösenord' }).click();
    await sara.page.getByLabel('Lösenord', { exact: true }).fill(password);
    await sara.page.getByRole('button', { name: 'Logga in' }).click();
    const saraList = sara.page.getByRole('table', { name: new RegExp(`^Fakturaunderlag för ${company}, `) });
    await saraList.locator('tbody tr').first().waitFor();

    // Deactivated: her next action finds her logged out.
    await page.getByRole('button', { name: 'Avaktivera Sara Svensson' }).click();
    await contacts.getByRole('row').filter({ hasText: 'Sara Svensson' }).getByText('Avaktiverad').waitFor();
    await sara.page.reload();
    await sara.page.getByRole('heading', { name: 'Logga in', level: 1 }).waitFor();
    await expect(saraList.count()).resolves.toBe(0);

    await page.close();
    await sara.context.close();
  });

  it("edits a contact's companies in a dialog: added to a second company she sees its list, removed it is gone; types shown", async () => {
    const maria = portal()
      .demoLogins.filter((login) => login.customers.length === 1)
      .at(-1);
    const home = maria?.customers[0];
    const second = portal()
      .demoLogins.flatMap((login) => login.customers)
      .find((company) => company !== home);
    if (!maria || !home || !second) throw new Error('The demo data has no contact of one company and another company.');
    const contactTab = await newPage();
    await contactLoggedIn(contactTab.page, maria.username, maria.password);
    await contactTab.page.getByRole('table', { name: `Fakturaunderlag för ${home}, nyaste först` }).waitFor();
    const page = await adminPage();
    await page.getByRole('link', { name: `Fakturaunderlag för ${home}` }).click();
    await page.getByRole('heading', { name: home, level: 1 }).waitFor();
    const contacts = page.getByRole('table', { name: `Kontaktpersoner för ${home}` });
    const editDialog = page.getByRole('dialog', { name: `Ändra ${maria.name}` });

    // Added to the second company: the dialog lists the clinic's companies as checkboxes, hers checked.
    await contacts.getByRole('button', { name: `Ändra ${maria.name}` }).click();
    await editDialog.waitFor();
    await expect(editDialog.getByRole('checkbox', { name: new RegExp(`^${home} `) }).isChecked()).resolves.toBe(true);
    await checkPage(page, 'admin-contact-edit');
    // Unchecking every company is refused in the form, naming why.
    await editDialog.getByRole('checkbox', { name: new RegExp(`^${home} `) }).uncheck();
    await editDialog.getByRole('button', { name: 'Spara ändringarna' }).click();
    await editDialog.getByRole('alert').getByText('Välj minst ett kundföretag.', { exact: false }).waitFor();
    await editDialog.getByRole('checkbox', { name: new RegExp(`^${home} `) }).check();
    await editDialog.getByRole('checkbox', { name: new RegExp(`^${second} `) }).check();
    await editDialog.getByRole('button', { name: 'Spara ändringarna' }).click();
    await page.getByText(`Ändringarna för ${maria.name} är sparade.`).waitFor();
    await contacts.getByRole('row').filter({ hasText: maria.name }).getByText(second, { exact: false }).waitFor();

    // Her next page load offers both companies (she had one, so none was chosen yet in this tab).
    await contactTab.page.reload();
    await contactTab.page.getByRole('heading', { name: 'Välj företag', level: 1 }).waitFor();
    await contactTab.page.getByRole('button', { name: second }).click();
    await contactTab.page.getByRole('table', { name: `Fakturaunderlag för ${second}, nyaste först` }).waitFor();

    // Removed again: her next request finds only her own company.
    await contacts.getByRole('button', { name: `Ändra ${maria.name}` }).click();
    await editDialog.getByRole('checkbox', { name: new RegExp(`^${second} `) }).uncheck();
    await editDialog.getByRole('button', { name: 'Spara ändringarna' }).click();
    await editDialog.waitFor({ state: 'detached' });
    await expect
      .poll(() => contacts.getByRole('row').filter({ hasText: maria.name }).textContent())
      .not.toContain(second);

    await contactTab.page.reload();
    await contactTab.page.getByRole('table', { name: `Fakturaunderlag för ${home}, nyaste först` }).waitFor();
    await expect(contactTab.page.getByLabel('Företag', { exact: true }).count()).resolves.toBe(0);
    await expect(
      contactTab.page.getByRole('table', { name: `Fakturaunderlag för ${second}, nyaste först` }).count(),
    ).resolves.toBe(0);

    // The document types the company is shown: showing none is refused in the form, saying what to do instead.
    const types = page.getByRole('group', { name: 'Dokumenttyper som visas för kunden' });
    await types.getByRole('checkbox', { name: 'Fakturaunderlag' }).uncheck();
    await types.getByRole('checkbox', { name: 'Kreditunderlag' }).uncheck();
    await page.getByRole('button', { name: 'Spara dokumenttyper' }).click();
    await page.getByRole('alert').getByText('Välj minst en dokumenttyp.', { exact: false }).waitFor();
    await page.getByLabel('Visa dokumenttyp').selectOption({ label: 'Kreditunderlag' });
    await page.getByText('Inga underlag av den typen.').waitFor();
    await checkPage(page, 'admin-customer-document-types');

    await page.close();
    await contactTab.context.close();
  });

  it('reads the audit trail: the chain is intact, a filter narrows it, and the CSV export downloads', async () => {
    const page = await adminPage();

    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Händelselogg' }).click();
    await page.getByRole('heading', { name: 'Händelselogg', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/admin/handelselogg');
    await page
      .getByText(/^Loggen är obruten: alla [\d\s\u00a0]+ händelser stämmer med sin kontrollsumma\.$/u)
      .waitFor();
    const table = page.getByRole('table', { name: /^Händelser \d{4}-\d{2}-\d{2} – \d{4}-\d{2}-\d{2}, nyaste först$/u });
    await table.getByRole('rowheader', { name: 'Administratör: inloggning med kod' }).first().waitFor();
    await checkPage(page, 'admin-audit-trail');

    await page.getByLabel('Händelse', { exact: true }).selectOption({ label: 'Administratör: lösenordssteget' });
    await page.getByRole('button', { name: 'Visa', exact: true }).click();
    await expect
      .poll(async () => [...new Set(await table.getByRole('rowheader').allTextContents())])
      .toEqual(['Administratör: lösenordssteget']);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Exportera som CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^Handelselogg_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$/u);
    const csv = await readFile(await download.path(), 'utf8');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toContain('time_utc,action,outcome,actor_type');
    expect(lines.slice(1).every((line) => line.includes(',admin.login.password,'))).toBe(true);

    // One person's events: a click on the name narrows the list to them, "Visa alla" widens it again.
    await page.getByLabel('Händelse', { exact: true }).selectOption({ label: 'Alla händelser' });
    await page.getByRole('button', { name: 'Visa', exact: true }).click();
    await table.getByRole('rowheader', { name: 'Administratör: inloggning med kod' }).first().waitFor();
    const adminName = portal().demoAdmin.name;
    await table
      .getByRole('button', {
        name: new RegExp(`^${adminName} \\(administratör\\): visa bara händelser av personen$`, 'u'),
      })
      .first()
      .click();
    await page.getByText(`Visar bara händelser av ${adminName} (administratör).`).waitFor();
    expect(new URL(page.url()).searchParams.get('aktor')).toMatch(/^[0-9a-f-]{36}$/u);
    await expect
      .poll(async () => [...new Set(await table.locator('tbody tr td:nth-child(3)').allTextContents())])
      .toEqual([`${adminName} (administratör)`]);
    await checkPage(page, 'admin-audit-trail-narrowed');
    await page.getByRole('button', { name: 'Visa alla' }).click();
    await expect.poll(() => new URL(page.url()).search).toBe('');
    await page.close();
  });

  it('creates an API key shown once, which the ingest API accepts, and revokes it', async () => {
    const page = await adminPage();
    page.on('dialog', (dialog) => void dialog.accept());
    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'API-nycklar' }).click();
    await page.getByRole('heading', { name: 'API-nycklar', level: 1 }).waitFor();

    await page.getByLabel('Namn (till exempel "CGM J4 produktion")').fill('CGM J4 test');
    await page.getByRole('button', { name: 'Skapa nyckel' }).click();
    const secretField = page.getByLabel('Ny API-nyckel: CGM J4 test');
    await secretField.waitFor();
    const secret = await secretField.inputValue();
    expect(secret).toMatch(/^fpk_/u);
    await checkPage(page, 'admin-api-keys');
    const ingest = () =>
      fetch(`${portal().url}/ingest/v1/documents/00000000-0000-4000-8000-000000000000`, {
        headers: { Authorization: `Bearer ${secret}` },
      }).then((response) => response.status);
    // An unknown document: 404 means the key was accepted.
    await expect(ingest()).resolves.toBe(404);

    // The list shows the key without it; a reload shows it nowhere.
    await page.reload();
    await page.getByRole('rowheader', { name: 'CGM J4 test' }).waitFor();
    await expect(page.content()).resolves.not.toContain(secret);
    await page.getByRole('button', { name: 'Återkalla nyckeln CGM J4 test' }).click();
    await page.getByText('CGM J4 test är återkallad.').waitFor();
    await expect(ingest()).resolves.toBe(403);
    await page.close();
  });

  it("changes the clinic's settings: a bad colour is marked, a good one and the support text reach the portal", async () => {
    const page = await adminPage();
    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Inställningar' }).click();
    await page.getByRole('heading', { name: 'Inställningar', level: 1 }).waitFor();
    const primary = page.getByLabel('Huvudfärg (knappar och länkar), #rrggbb');
    await expect.poll(() => primary.inputValue()).toBe('#0e6e5c');

    await primary.fill('grön');
    await page.getByRole('button', { name: 'Spara inställningarna' }).click();
    await page.getByRole('alert').getByText('Kontrollera de markerade fälten.').waitFor();
    await expect(primary.getAttribute('aria-invalid')).resolves.toBe('true');
    await checkPage(page, 'admin-settings');

    await primary.fill('#7a1f5c');
    await page.getByLabel('Text till kunderna (visas längst ned på varje sida)').fill('Frågor? Ring 08-123 456 78.');
    await page.getByRole('button', { name: 'Spara inställningarna' }).click();
    await page.getByText('Inställningarna är sparade.').waitFor();

    const visitor = await newPage();
    await visitor.page.goto(portal().url);
    await visitor.page.getByRole('contentinfo').getByText('Frågor? Ring 08-123 456 78.').waitFor();
    const colour = await visitor.page
      .getByRole('button', { name: 'Logga in' })
      .evaluate((button) => getComputedStyle(button).backgroundColor);
    expect(colour).toBe('rgb(122, 31, 92)');
    await visitor.context.close();
    await page.close();
  });
  it('holds what the practice system sends for approval, then publishes it: the contact sees it only after that', async () => {
    const contact = portal().demoLogins.find((login) => login.customers.length === 1);
    const company = contact?.customers[0];
    if (!contact || !company) throw new Error('The demo data has no contact of one company.');
    const scope = await tenantScope(operatorData({ PORTAL_DATA_DIR: dataDirectory() }), 'localhost');
    const customer = (await scope.customers.list()).find((each) => each.name === company);
    if (!customer) throw new Error(`The demo clinic has no customer ${company}.`);
    const page = await adminPage();
    const contactTab = await newPage();

    // The company's rule: new invoice bases wait for the clinic's approval.
    await page.getByRole('link', { name: `Fakturaunderlag för ${company}` }).click();
    await page
      .getByLabel('Publicering av nya fakturaunderlag')
      .selectOption({ label: 'Först när mottagningen har godkänt det' });
    await page.getByRole('button', { name: 'Spara', exact: true }).click();
    await page.getByText('Sparat: nya fakturaunderlag väntar på ert godkännande innan kunden ser dem.').waitFor();

    // The practice system pushes one over the real ingest API; it renders and arrives held.
    const { secret } = await createApiKey(
      { scope, clock: operatorClock, ids: operatorIds },
      { name: 'e2e held', createdBy: 'e2e' },
    );
    const body = invoiceBasisBody(customer.customerNumber, { invoiceDate: '2026-11-30' });
    const pushed = await fetch(`${portal().url}/ingest/v1/invoice-bases`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${secret}`,
        'Content-Type': 'application/json',
        'Idempotency-Key': randomIds.newId(),
      },
      body: JSON.stringify(body),
    });
    expect(pushed.status).toBe(202);
    await portal().renderingIdle();
    const invoiceNumber = String(body.invoiceNumber);
    await page.reload();
    const row = page
      .getByRole('table', { name: `Fakturaunderlag för ${company}, nyaste först` })
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: invoiceNumber, exact: true }) });
    await row.getByText('Väntar på godkännande').waitFor();

    // Held: not in the contact's list.
    await contactLoggedIn(contactTab.page, contact.username, contact.password);
    const contactList = contactTab.page.getByRole('table', { name: new RegExp(`^Fakturaunderlag för ${company}, `) });
    await contactList.locator('tbody tr').first().waitFor();
    await expect(contactList.getByRole('rowheader', { name: invoiceNumber, exact: true }).count()).resolves.toBe(0);

    // Approved with "Publicera alla som väntar": the contact sees it, and its notice is on its way.
    await page.getByRole('button', { name: 'Publicera alla som väntar' }).click();
    await page.getByText('1 underlag visas nu för kunden.').waitFor({ state: 'attached' });
    await row.getByText('Publicerad').waitFor();
    await contactTab.page.reload();
    await contactList.getByRole('rowheader', { name: invoiceNumber, exact: true }).waitFor();
    await row.getByRole('button', { name: `Aviseringar om fakturaunderlag ${invoiceNumber}` }).click();
    await row.getByText(/^Aviseringen väntar/u).waitFor();

    // The rule back as it was, for the other stories.
    await page
      .getByLabel('Publicering av nya fakturaunderlag')
      .selectOption({ label: 'Direkt när underlaget är klart' });
    await page.getByRole('button', { name: 'Spara', exact: true }).click();
    await page.getByText('Sparat: nya fakturaunderlag visas för kunden så snart de är klara.').waitFor();
    await page.close();
    await contactTab.context.close();
  });

  it('invites a read-only administrator, who sees the admin pages without a control to change anything, until made an admin', async () => {
    const page = await adminPage();
    page.on('dialog', (dialog) => void dialog.accept());
    await page
      .getByRole('navigation', { name: 'Administration' })
      .getByRole('link', { name: 'Administratörer' })
      .click();
    await page.getByRole('heading', { name: 'Administratörer', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/admin/administratorer');
    const admins = page.getByRole('table', { name: 'Mottagningens administratörer' });
    await admins.getByRole('rowheader', { name: new RegExp(`^${portal().demoAdmin.name}`, 'u') }).waitFor();

    // An address that is not one is refused in Swedish, the field marked; then the invitation goes out.
    const email = 'rut.rapport@demo-halsa.example';
    await page.getByLabel('Namn', { exact: true }).fill('Rut Rapport');
    await page.getByLabel('E-postadress').fill('rut-utan-snabel-a');
    await page.getByLabel('Behörighet', { exact: true }).selectOption({ label: 'Läsbehörighet' });
    await page.getByRole('button', { name: 'Skicka inbjudan' }).click();
    await page.getByRole('alert').getByText('Skriv en giltig e-postadress.').waitFor();
    await expect(page.getByLabel('E-postadress').getAttribute('aria-invalid')).resolves.toBe('true');
    await page.getByLabel('E-postadress').fill(email);
    await page.getByRole('button', { name: 'Skicka inbjudan' }).click();
    await page.getByText(`Rut Rapport är tillagd och en inbjudan har skickats till ${email}.`).waitFor();
    const rutRow = admins.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Rut Rapport' }) });
    await rutRow.getByRole('cell', { name: 'Läsbehörighet', exact: true }).waitFor();
    await rutRow.getByText('Läggs till vid nästa inloggning').waitFor();
    await checkPage(page, 'admin-users');

    // Rut sets a password, adds an authenticator and is signed in: read-only.
    const rut = await newPage();
    await rut.page.goto(await linkMailedTo(email));
    await rut.page.getByRole('heading', { name: 'Välj lösenord', level: 1 }).waitFor();
    await rut.page.getByLabel('Nytt lösenord').fill('rapporter-om-våren');
    await rut.page.getByRole('button', { name: 'Spara lösenordet' }).click();
    await rut.page.getByText('Ditt lösenord är sparat. Logga in med det.').waitFor();
    await rut.page.getByLabel('Lösenord', { exact: true }).fill('rapporter-om-våren');
    await rut.page.getByRole('button', { name: 'Fortsätt' }).click();
    const key = ((await rut.page.locator('#admin-enrolment-key').textContent()) ?? '').replaceAll(' ', '');
    await rut.page.getByLabel('Kod (6 siffror)').fill(totpCodeAt(totpSecretFromBase32(key), new Date()));
    await rut.page.getByRole('button', { name: 'Lägg till och logga in' }).click();
    await rut.page.getByLabel('Jag har sparat koderna').check();
    await rut.page.getByRole('button', { name: 'Fortsätt' }).click();
    await rut.page.getByRole('heading', { name: 'Kundföretag', level: 1 }).waitFor();

    // She sees every page, each saying why nothing can be changed, and not one control that would change something.
    const readOnlyNotice = rut.page.getByText('Du har läsbehörighet: du kan se allt men inte ändra något.', {
      exact: false,
    });
    const customers = rut.page.getByRole('table', { name: 'Kundföretag och deras tillgång till portalen' });
    await customers.locator('tbody tr').first().waitFor();
    await readOnlyNotice.waitFor();
    await expect(customers.getByRole('button').count()).resolves.toBe(0);
    await checkPage(rut.page, 'admin-customers-read-only');
    const nav = rut.page.getByRole('navigation', { name: 'Administration' });
    await nav.getByRole('link', { name: 'Administratörer' }).click();
    const rutsView = rut.page.getByRole('table', { name: 'Mottagningens administratörer' });
    await rutsView.getByRole('rowheader', { name: /^Rut Rapport/u }).waitFor();
    await expect(rutsView.getByRole('button').count()).resolves.toBe(0);
    await expect(rut.page.getByRole('button', { name: 'Skicka inbjudan' }).count()).resolves.toBe(0);
    await checkPage(rut.page, 'admin-users-read-only');
    await nav.getByRole('link', { name: 'API-nycklar' }).click();
    await rut.page.getByRole('heading', { name: 'API-nycklar', level: 1 }).waitFor();
    await expect(rut.page.getByRole('button', { name: 'Skapa nyckel' }).count()).resolves.toBe(0);
    await nav.getByRole('link', { name: 'Inställningar' }).click();
    await rut.page.getByRole('heading', { name: 'Inställningar', level: 1 }).waitFor();
    await expect(rut.page.getByRole('button', { name: 'Spara inställningarna' }).count()).resolves.toBe(0);

    // The administrator gives Rut the role admin: after a reload her pages have their controls.
    await page.getByLabel('Behörighet för Rut Rapport', { exact: true }).selectOption({ label: 'Administratör' });
    await page.getByRole('button', { name: 'Ändra behörighet för Rut Rapport' }).click();
    await page.getByText('Rut Rapport har nu behörigheten Administratör.').waitFor();
    await rutRow.getByRole('cell', { name: 'Administratör', exact: true }).waitFor();
    // Her own row has no actions: an administrator does not change their own role.
    await expect(
      admins.getByRole('row').filter({ hasText: portal().demoAdmin.name }).getByRole('button').count(),
    ).resolves.toBe(0);
    await rut.page.reload();
    await rut.page.getByRole('button', { name: 'Spara inställningarna' }).waitFor();
    await expect(readOnlyNotice.count()).resolves.toBe(0);

    await page.close();
    await rut.context.close();
  });

  it('uploads a logo after a preview (a file that is no image is refused) and the portal header shows it', async () => {
    const page = await adminPage();
    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Inställningar' }).click();
    await page.getByRole('heading', { name: 'Inställningar', level: 1 }).waitFor();
    const file = page.getByLabel('Ny logotyp');
    const save = page.getByRole('button', { name: 'Spara logotypen' });
    await page.getByRole('img', { name: 'Mottagningens logotyp' }).waitFor();

    // Not an image, whatever its name and type say: refused, and the page says why.
    await file.setInputFiles({ name: 'logga.png', mimeType: 'image/png', buffer: Buffer.from('<svg onload="x()"/>') });
    await save.click();
    await page.getByRole('alert').getByText('Filen är ingen PNG- eller JPEG-bild.', { exact: false }).waitFor();
    await expect(file.getAttribute('aria-invalid')).resolves.toBe('true');

    // A real PNG: shown as a preview before anything is sent, then saved.
    await file.setInputFiles({ name: 'logga.png', mimeType: 'image/png', buffer: pngImage(160, 48) });
    const preview = page.getByRole('img', { name: 'Förhandsvisning av den nya logotypen' });
    await expect.poll(() => preview.evaluate((image: HTMLImageElement) => image.naturalWidth)).toBe(160);
    await page.getByText('Förhandsvisning, inte sparad än: 160 × 48 bildpunkter', { exact: false }).waitFor();
    await checkPage(page, 'admin-settings-logo-preview');
    await save.click();
    await page.getByText('Logotypen är sparad.').waitFor();
    const current = page.getByRole('img', { name: 'Mottagningens logotyp' });
    await expect.poll(() => current.evaluate((image: HTMLImageElement) => image.naturalWidth)).toBe(160);

    const visitor = await newPage();
    await visitor.page.goto(portal().url);
    const header = visitor.page.getByRole('banner').getByRole('img', { name: demoSeed().clinic.name });
    await expect.poll(() => header.evaluate((image: HTMLImageElement) => image.naturalWidth)).toBe(160);
    expect(await header.getAttribute('src')).toBe(await current.getAttribute('src'));
    await visitor.context.close();
    await page.close();
  });

  it('turns password login off: the login page offers only BankID, and the server refuses a password', async () => {
    const page = await adminPage();
    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Inställningar' }).click();
    await page.getByRole('heading', { name: 'Inställningar', level: 1 }).waitFor();
    const password = page.getByLabel('Användarnamn och lösenord');
    await expect.poll(() => password.isChecked()).toBe(true);
    const saveSettings = async () => {
      await page.getByRole('button', { name: 'Spara inställningarna' }).click();
      await page.getByText('Inställningarna är sparade.').waitFor();
    };

    // Both off is not allowed: the page marks the choice, nothing is saved.
    await page.getByLabel('BankID', { exact: true }).uncheck();
    await password.uncheck();
    await page.getByRole('button', { name: 'Spara inställningarna' }).click();
    await page.getByRole('alert').getByText('Kontrollera de markerade fälten.').waitFor();
    await page.getByLabel('BankID', { exact: true }).check();
    await saveSettings();

    const visitor = await newPage();
    await visitor.page.goto(portal().url);
    await visitor.page.getByRole('heading', { name: 'Logga in med BankID' }).waitFor();
    await visitor.page.getByRole('button', { name: 'Mobilt BankID' }).waitFor();
    await expect(visitor.page.getByLabel('Lösenord', { exact: true }).count()).resolves.toBe(0);
    await expect(visitor.page.getByRole('link', { name: 'Glömt lösenordet?' }).count()).resolves.toBe(0);
    await checkPage(visitor.page, 'login-bankid-only');
    const contact = portal().demoLogins[0];
    const refused = await visitor.page.evaluate(
      async (credentials) =>
        (
          await fetch('/api/auth/login', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(credentials),
          })
        ).status,
      { username: contact?.username, password: contact?.password },
    );
    expect(refused).toBe(403);

    // On again, for the other stories of this portal.
    await password.check();
    await saveSettings();
    await visitor.page.reload();
    await visitor.page.getByLabel('Lösenord', { exact: true }).waitFor();
    await visitor.context.close();
    await page.close();
  });
});
