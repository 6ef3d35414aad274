import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { totpCodeAt, totpSecretFromBase32 } from '../../functions/adapters/security/otpauth-totp';
import { runAdminCli } from '../../functions/cli/admin-cli';
import { operatorData } from '../../functions/cli/operator-scope';
import type { LocalPortal } from '../../functions/local/start-local-portal';
import { checkPage } from '../support/axe';
import { useBrowserPortal } from '../support/browser-portal';

type DemoLogin = LocalPortal['demoLogins'][number];

/**
 * WCAG 2.1 AA (issue 5): axe-core on every page and state of the contact portal and the administrators' pages, each
 * also saved as a screenshot in test-results/screenshots/; and the journeys a checker cannot judge: keyboard only,
 * a phone-sized screen, reduced motion, a session that ends mid-use.
 */
describe('accessibility of the portal, in a browser', () => {
  const { portal, dataDirectory, newPage, linkMailedTo } = useBrowserPortal({
    name: 'a11y',
    contextOptions: { acceptDownloads: true, timezoneId: 'Europe/Stockholm' },
  });
  let contact: DemoLogin;
  let company: string;

  beforeAll(() => {
    const first = portal().demoLogins.find((login) => login.customers.length === 1);
    if (!first?.customers[0]) throw new Error('The local portal seeded no demo login with one customer company.');
    contact = first;
    company = first.customers[0];
  });

  const listTable = (page: Page, of = company) =>
    page.getByRole('table', { name: new RegExp(`^Fakturaunderlag för ${of}, `) });

  async function openLogin(page: Page, path = '/'): Promise<void> {
    await page.goto(new URL(path, portal().url).href);
    await page.getByRole('heading', { name: 'Logga in', level: 1 }).waitFor();
  }

  async function logIn(page: Page, as: DemoLogin = contact): Promise<void> {
    await page.getByLabel('Användarnamn', { exact: true }).fill(as.username);
    await page.getByLabel('Lösenord', { exact: true }).fill(as.password);
    await page.getByRole('button', { name: 'Logga in' }).click();
  }

  it('the pages for people who are not logged in pass axe: login, BankID, forgot password, set password, English', async () => {
    const { context, page } = await newPage();
    await openLogin(page);
    await page.getByRole('button', { name: 'Mobilt BankID' }).waitFor();
    await checkPage(page, 'login');

    await logIn(page, { ...contact, password: `${contact.password}-fel` });
    await page.getByText('Fel användarnamn eller lösenord.').waitFor();
    await checkPage(page, 'login-wrong-password');

    await page.getByRole('button', { name: 'Mobilt BankID' }).click();
    await page.getByRole('img', { name: /^QR-kod för BankID/ }).waitFor();
    await page.getByRole('status').getByText('Starta BankID-appen.').waitFor();
    await checkPage(page, 'login-bankid-qr');

    await openLogin(page);
    await page.getByRole('link', { name: 'Glömt lösenordet?' }).click();
    await page.getByRole('heading', { name: 'Glömt lösenordet?', level: 1 }).waitFor();
    await checkPage(page, 'forgot-password');
    await page.getByLabel('E-postadress').fill(contact.username);
    await page.getByRole('button', { name: 'Skicka länk' }).click();
    await page.getByText(/Om adressen finns hos oss har vi skickat ett mejl/).waitFor();
    await checkPage(page, 'forgot-password-sent');

    await page.goto(await linkMailedTo(contact.username, '/satt-losenord'));
    await page.getByRole('heading', { name: 'Välj lösenord', level: 1 }).waitFor();
    await checkPage(page, 'set-password');
    await page.getByLabel('Nytt lösenord').fill('kort');
    await page.getByRole('button', { name: 'Spara lösenord' }).click();
    await page.getByRole('alert').getByText('Lösenordet måste ha minst 15 tecken.').waitFor();
    await checkPage(page, 'set-password-too-short');

    await openLogin(page);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Log in', level: 1 }).waitFor();
    await checkPage(page, 'login-english');
    await context.close();
  });

  it('the pages of a logged-in contact pass axe: company choice, the list and its states, the profile, English', async () => {
    const accountant = portal().demoLogins.find((login) => login.customers.length > 1);
    const firstCompany = accountant?.customers[0];
    if (!accountant || !firstCompany) throw new Error('The demo data has no contact with two customer companies.');
    const { context, page } = await newPage();
    await openLogin(page);
    await logIn(page, accountant);
    await page.getByRole('heading', { name: 'Välj företag', level: 1 }).waitFor();
    await checkPage(page, 'company-choice');

    await page.getByRole('button', { name: firstCompany }).click();
    const table = listTable(page, firstCompany);
    await table.waitFor();
    await checkPage(page, 'document-list');

    // Nothing of this company has been downloaded yet: the empty state of a filter.
    await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Hämtade' });
    await page.locator('.empty-state').getByText('Inga fakturaunderlag matchar valet.').waitFor();
    await checkPage(page, 'document-list-no-matches');
    await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Alla' });
    await table.locator('tbody tr').nth(2).waitFor();
    await page.getByLabel('Sök fakturanummer').fill('finns-inte-999');
    await page.getByLabel('Sök fakturanummer').press('Enter');
    await page.locator('.empty-state').getByText('Inget fakturaunderlag har fakturanummer finns-inte-999.').waitFor();
    await checkPage(page, 'document-list-not-found');
    await page.getByRole('button', { name: 'Rensa sökningen' }).click();
    await table.locator('tbody tr').nth(2).waitFor();

    await page.getByRole('checkbox', { name: 'Välj alla fakturaunderlag som visas' }).check();
    await checkPage(page, 'document-list-selection');

    await page.getByRole('link', { name: 'Min profil' }).click();
    await page.getByRole('heading', { name: 'Min profil', level: 1 }).waitFor();
    await checkPage(page, 'profile');

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'My profile', level: 1 }).waitFor();
    await checkPage(page, 'profile-english');
    await page.getByRole('link', { name: /^Back to/ }).click();
    await page.getByRole('table').waitFor();
    await checkPage(page, 'document-list-english');
    // The choice is kept on the server too: back to Swedish, as the other stories expect.
    await page.getByRole('button', { name: 'Svenska' }).click();
    await page.getByRole('heading', { name: 'Fakturaunderlag', level: 1 }).waitFor();
    await context.close();
  });

  it('the administrators’ pages pass axe: password, code, enrolment, recovery codes, home', async () => {
    const admin = portal().demoAdmin;
    const { context, page } = await newPage();
    await page.goto(`${portal().url}/admin`);
    await page.getByRole('heading', { name: 'Logga in som administratör', level: 1 }).waitFor();
    await checkPage(page, 'admin-login');
    await page.getByLabel('Användarnamn (e-postadress)').fill(admin.username);
    await page.getByLabel('Lösenord').fill(admin.password);
    await page.getByRole('button', { name: 'Fortsätt' }).click();
    await page.getByRole('heading', { name: 'Ange kod från appen', level: 1 }).waitFor();
    await checkPage(page, 'admin-code');
    await page.getByLabel('Kod (6 siffror)').fill('000000');
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Koden stämmer inte' }).waitFor();
    await checkPage(page, 'admin-code-wrong');
    await page.getByLabel('Kod (6 siffror)').fill(totpCodeAt(totpSecretFromBase32(admin.totpSecretBase32), new Date()));
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.getByText(`Inloggad som ${admin.name}, `).waitFor();
    await checkPage(page, 'admin-home');
    await context.close();

    const email = 'a11y.admin@demo-foretagshalsa.example';
    const code = await runAdminCli(['create', '--host', 'localhost', '--email', email, '--name', 'Tove Tillgänglig'], {
      data: operatorData({ PORTAL_DATA_DIR: dataDirectory() }),
      print: () => undefined,
    });
    expect(code).toBe(0);
    const invited = await newPage();
    await invited.page.goto(await linkMailedTo(email, '/admin/satt-losenord'));
    await invited.page.getByRole('heading', { name: 'Välj lösenord', level: 1 }).waitFor();
    await checkPage(invited.page, 'admin-set-password');
    await invited.page.getByLabel('Nytt lösenord').fill('fjällsippa i maj');
    await invited.page.getByRole('button', { name: 'Spara lösenordet' }).click();
    await invited.page.getByText('Ditt lösenord är sparat. Logga in med det.').waitFor();
    await invited.page.getByLabel('Lösenord').fill('fjällsippa i maj');
    await invited.page.getByRole('button', { name: 'Fortsätt' }).click();
    await invited.page.getByRole('heading', { name: 'Lägg till en autentiseringsapp', level: 1 }).waitFor();
    await checkPage(invited.page, 'admin-enrolment');
    const key = ((await invited.page.locator('#admin-enrolment-key').textContent()) ?? '').replaceAll(' ', '');
    await invited.page.getByLabel('Kod (6 siffror)').fill(totpCodeAt(totpSecretFromBase32(key), new Date()));
    await invited.page.getByRole('button', { name: 'Lägg till och logga in' }).click();
    await invited.page.getByRole('heading', { name: 'Spara dina reservkoder', level: 1 }).waitFor();
    await checkPage(invited.page, 'admin-recovery-codes');
    await invited.context.close();
  });

  /** What has the keyboard focus now: its accessible-ish name, and whether the focus is visibly drawn. */
  async function focused(page: Page): Promise<{ name: string; tag: string; visibleRing: boolean }> {
    return page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      if (!element || element === document.body) return { name: '', tag: 'body', visibleRing: false };
      const style = getComputedStyle(element);
      const outline = style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) >= 2;
      const shadow = style.boxShadow !== 'none' && style.boxShadow !== '';
      const labelled =
        element.getAttribute('aria-label') ??
        (element.id ? document.querySelector(`label[for="${element.id}"]`)?.textContent : undefined) ??
        element.textContent ??
        '';
      return {
        name: labelled.replace(/\s+/gu, ' ').trim(),
        tag: element.localName,
        visibleRing: element.matches(':focus-visible') && (outline || shadow),
      };
    });
  }

  /**
   * Presses Tab (or Shift+Tab) until the focused control's name matches, checking on the way that every control the
   * keyboard lands on shows a visible focus ring. Fails after `max` presses.
   */
  async function tabTo(page: Page, name: string | RegExp, { back = false, max = 40 } = {}): Promise<void> {
    const matches = (text: string) => (typeof name === 'string' ? text === name : name.test(text));
    const passed: string[] = [];
    for (let presses = 0; presses < max; presses += 1) {
      await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
      const now = await focused(page);
      if (now.tag !== 'body') {
        expect(now.visibleRing, `visible focus on <${now.tag}> "${now.name}"`).toBe(true);
      }
      if (matches(now.name)) return;
      passed.push(`<${now.tag}> ${now.name}`);
    }
    throw new Error(`Tabbed ${max} times without reaching "${String(name)}"; passed: ${passed.join(' | ')}`);
  }

  it('keyboard only: skip link, login, company choice, a filter, a download, the profile and logout', async () => {
    const accountant = portal().demoLogins.find((login) => login.customers.length > 1);
    const firstCompany = accountant?.customers[0];
    if (!accountant || !firstCompany) throw new Error('The demo data has no contact with two customer companies.');
    const { context, page } = await newPage();
    await openLogin(page);

    // The skip link is the first stop, shown when focused, and takes the keyboard into <main>.
    await page.keyboard.press('Tab');
    await expect(focused(page)).resolves.toMatchObject({ name: 'Hoppa till innehållet', visibleRing: true });
    const skipLinkBox = await page.locator('#skip-link').boundingBox();
    expect(skipLinkBox?.y ?? -1).toBeGreaterThanOrEqual(0);
    await page.keyboard.press('Enter');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('main');

    await tabTo(page, 'Användarnamn');
    await page.keyboard.type(accountant.username);
    await tabTo(page, 'Lösenord');
    await page.keyboard.type(accountant.password);
    await page.keyboard.press('Enter');

    await page.getByRole('heading', { name: 'Välj företag', level: 1 }).waitFor();
    await tabTo(page, firstCompany);
    await page.keyboard.press('Enter');
    const table = listTable(page, firstCompany);
    await table.waitFor();

    // A filter: Status → "Nya" (a closed <select> changes with the arrow keys).
    await tabTo(page, 'Status');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => new URL(page.url()).searchParams.get('status')).not.toBeNull();
    await expect(page.getByLabel('Status', { exact: true }).locator('option:checked').textContent()).resolves.toBe(
      'Nya',
    );
    await table.locator('tbody tr').first().waitFor();

    // Download the first invoice base with Enter.
    await tabTo(page, /^Ladda ner fakturaunderlag /);
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    expect(download.suggestedFilename()).toMatch(/^Fakturaunderlag_.+\.pdf$/);

    // The profile link is in the header, behind us: Shift+Tab.
    await tabTo(page, 'Min profil', { back: true, max: 80 });
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Min profil', level: 1 }).waitFor();

    // Logout with Space.
    await tabTo(page, 'Logga ut', { back: true, max: 80 });
    await page.keyboard.press('Space');
    await page.getByText('Du är nu utloggad.').waitFor();
    await context.close();
  });

  /**
   * WCAG 2.1 doesn't name layout shifts, but content that jumps as it loads makes people click the wrong row, and
   * Lighthouse counts it (cumulative layout shift; "good" is below 0.1). Half of that is the bar here.
   */
  it.each([
    ['a desktop', { width: 1280, height: 900 }],
    ['a phone', { width: 412, height: 823 }],
  ])(
    'loading the list on %s screen moves nothing already shown (cumulative layout shift below 0.05)',
    async (_, size) => {
      const { context, page } = await newPage();
      await page.setViewportSize(size);
      await page.addInitScript(() => {
        const shifts: string[] = [];
        let total = 0;
        Object.assign(window, { layoutShifts: () => ({ total, shifts }) });
        new PerformanceObserver((entries) => {
          for (const entry of entries.getEntries() as (PerformanceEntry & {
            value: number;
            hadRecentInput: boolean;
            sources: { node?: Node }[];
          })[]) {
            if (entry.hadRecentInput) continue;
            total += entry.value;
            const moved = entry.sources.map((source) => (source.node as Element | undefined)?.className ?? '?');
            shifts.push(`${entry.value.toFixed(3)} (${moved.join(', ')})`);
          }
        }).observe({ type: 'layout-shift', buffered: true });
      });
      await openLogin(page);
      await logIn(page);
      await listTable(page).locator('tbody tr').first().waitFor();

      // A fresh load of the list, as a bookmark or a reload gives: tenant, session, years and rows all arrive.
      await page.reload();
      await listTable(page).locator('tbody tr').first().waitFor();
      // The observer reports a shift in the frame after it: give the page two frames to report the last one.
      await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
      const { total, shifts } = await page.evaluate(() =>
        (window as unknown as { layoutShifts(): { total: number; shifts: string[] } }).layoutShifts(),
      );
      expect(total, `layout shifts: ${shifts.join('; ')}`).toBeLessThan(0.05);
      await context.close();
    },
  );

  it('on a phone-sized screen the login page and the list fit the width: no sideways scrolling', async () => {
    const { context, page } = await newPage();
    await page.setViewportSize({ width: 375, height: 812 });
    const overflow = () =>
      page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
      }));
    await openLogin(page);
    await page.getByRole('button', { name: 'Mobilt BankID' }).waitFor();
    const login = await overflow();
    expect(login.scrollWidth).toBeLessThanOrEqual(login.innerWidth);
    await checkPage(page, 'phone-login');

    await logIn(page);
    const table = listTable(page);
    await table.locator('tbody tr').nth(5).waitFor();
    const list = await overflow();
    expect(list.scrollWidth).toBeLessThanOrEqual(list.innerWidth);
    // The table itself adapts (no inner scrolling box hides columns off-screen).
    const tableBox = await table.boundingBox();
    expect((tableBox?.x ?? 0) + (tableBox?.width ?? Number.POSITIVE_INFINITY)).toBeLessThanOrEqual(375);
    await expect(
      table
        .getByRole('button', { name: /^Ladda ner fakturaunderlag / })
        .first()
        .isVisible(),
    ).resolves.toBe(true);
    await checkPage(page, 'phone-document-list');

    await page.getByRole('link', { name: 'Min profil' }).click();
    await page.getByRole('heading', { name: 'Min profil', level: 1 }).waitFor();
    const profile = await overflow();
    expect(profile.scrollWidth).toBeLessThanOrEqual(profile.innerWidth);
    await checkPage(page, 'phone-profile');
    await context.close();
  });

  it('with reduced motion asked for, nothing animates or slides: spinner, busy buttons, every element', async () => {
    const { context, page } = await newPage();
    /** Every element's (and the probes') animations and transitions that take time. */
    const moving = () =>
      page.evaluate(() => {
        const probes = document.createElement('div');
        probes.className = 'reduced-motion-probes';
        const spinner = document.createElement('span');
        spinner.className = 'spinner';
        const busy = document.createElement('button');
        busy.className = 'button is-busy';
        const icon = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
        icon.setAttribute('class', 'icon');
        busy.append(icon);
        probes.append(spinner, busy);
        document.body.append(probes);
        const seconds = (value: string) =>
          Math.max(
            0,
            ...value.split(',').map((part) => Number.parseFloat(part) * (part.trim().endsWith('ms') ? 0.001 : 1)),
          );
        const found: string[] = [];
        for (const element of document.querySelectorAll<Element>('*')) {
          const style = getComputedStyle(element);
          const name = `${element.localName}.${element.getAttribute('class') ?? ''}`;
          if (style.animationName !== 'none' && seconds(style.animationDuration) > 0.01) {
            found.push(`${name}: animation ${style.animationName} ${style.animationDuration}`);
          }
          if (seconds(style.transitionDuration) > 0.01) {
            found.push(`${name}: transition ${style.transitionProperty} ${style.transitionDuration}`);
          }
        }
        probes.remove();
        return found;
      });

    await openLogin(page);
    // Without the preference the spinner does spin: the check below can see motion.
    await expect(moving()).resolves.toEqual(
      expect.arrayContaining([expect.stringMatching(/^span\.spinner: animation/)]),
    );

    await page.emulateMedia({ reducedMotion: 'reduce' });
    await expect(moving()).resolves.toEqual([]);
    await logIn(page);
    await listTable(page).waitFor();
    await expect(moving()).resolves.toEqual([]);
    await context.close();
  });

  it('a session ended elsewhere mid-use: the next action shows the login page with why, and login returns to the same list', async () => {
    const { context, page } = await newPage();
    await openLogin(page);
    await logIn(page);
    const table = listTable(page);
    await table.waitFor();
    await page.getByLabel('Fakturamånad').selectOption('2024-03');
    await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Nya' });
    await expect.poll(() => new URL(page.url()).searchParams.get('status')).not.toBeNull();
    await table.locator('tbody tr').first().waitFor();
    const filtered = page.url();
    expect(new URL(filtered).searchParams.get('period')).toBe('2024-03');

    // The same contact, on another device, ends every other login: this session is revoked on the server.
    const other = await newPage();
    await openLogin(other.page);
    await logIn(other.page);
    await listTable(other.page).waitFor();
    await other.page.getByRole('link', { name: 'Min profil' }).click();
    await other.page.getByRole('button', { name: 'Logga ut på alla andra enheter' }).click();
    await other.page
      .getByText(/andra? inloggninga?r? är avslutade?\./u)
      .first()
      .waitFor();
    await other.context.close();

    await table
      .getByRole('button', { name: /^Ladda ner fakturaunderlag / })
      .first()
      .click();
    await page.getByText('Du har loggats ut. Logga in igen.').waitFor();
    await expect(page.getByRole('table').count()).resolves.toBe(0);
    expect(page.url()).toBe(filtered);
    await checkPage(page, 'login-session-ended');

    await logIn(page);
    await table.locator('tbody tr').first().waitFor();
    expect(page.url()).toBe(filtered);
    await expect(page.getByLabel('Fakturamånad').inputValue()).resolves.toBe('2024-03');
    await expect(page.getByLabel('Status', { exact: true }).locator('option:checked').textContent()).resolves.toBe(
      'Nya',
    );
    await context.close();
  });
});
