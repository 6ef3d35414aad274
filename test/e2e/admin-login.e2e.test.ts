import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { totpCodeAt, totpSecretFromBase32 } from '../../functions/adapters/security/otpauth-totp';
import { runAdminCli } from '../../functions/cli/admin-cli';
import { operatorData } from '../../functions/cli/operator-scope';
import { useBrowserPortal } from '../support/browser-portal';

/** What the administrator's phone shows now for this base32 secret. */
const currentCode = (base32: string, offsetSteps = 0) =>
  totpCodeAt(totpSecretFromBase32(base32), new Date(Date.now() + offsetSteps * 30_000));

describe('a clinic administrator in a browser', () => {
  const { portal, dataDirectory, newPage, linkMailedTo } = useBrowserPortal({ name: 'admin' });

  async function passwordStep(page: Page, username: string, password: string): Promise<void> {
    await page.goto(`${portal().url}/admin`);
    await page.getByRole('heading', { name: 'Logga in som administratör', level: 1 }).waitFor();
    await page.getByLabel('Användarnamn (e-postadress)').fill(username);
    await page.getByLabel('Lösenord').fill(password);
    await page.getByRole('button', { name: 'Fortsätt' }).click();
  }

  it('the demo administrator logs in with password and the current code, sees the admin home, and logs out', async () => {
    const admin = portal().demoAdmin;
    const { context, page } = await newPage();

    await passwordStep(page, admin.username, admin.password);
    const codeHeading = page.getByRole('heading', { name: 'Ange kod från appen', level: 1 });
    await codeHeading.waitFor();
    await expect.poll(() => codeHeading.evaluate((element) => element === document.activeElement)).toBe(true);
    const codeInput = page.getByLabel('Kod (6 siffror)');
    expect(await codeInput.getAttribute('inputmode')).toBe('numeric');
    expect(await codeInput.getAttribute('autocomplete')).toBe('one-time-code');
    await codeInput.fill('000000' === currentCode(admin.totpSecretBase32) ? '111111' : '000000');
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Koden stämmer inte' }).waitFor();
    await codeInput.fill(currentCode(admin.totpSecretBase32));
    await page.getByRole('button', { name: 'Logga in' }).click();

    await page.getByText(`Inloggad som ${admin.name}, Demo Företagshälsa AB`).waitFor();
    expect(new URL(page.url()).pathname).toBe('/admin');
    const cookies = await context.cookies();
    expect(cookies.map((cookie) => cookie.name)).toEqual(['__Host-admin-session']);
    expect(cookies[0]).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict' });

    await page.getByRole('button', { name: 'Logga ut' }).click();
    await page.getByText('Du är nu utloggad.').waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Logga in som administratör', level: 1 }).waitFor();
    await context.close();
  });

  it('a provisioned administrator sets a password from the invitation, adds an authenticator and saves the recovery codes', async () => {
    const email = 'ny.admin@demo-foretagshalsa.example';
    const printed: string[] = [];
    const code = await runAdminCli(['create', '--host', 'localhost', '--email', email, '--name', 'Nora Nyberg'], {
      data: operatorData({ PORTAL_DATA_DIR: dataDirectory() }),
      print: (line) => printed.push(line),
    });
    expect(code).toBe(0);
    const link = await linkMailedTo(email, '/admin/satt-losenord');
    const { context, page } = await newPage();

    await page.goto(link);
    await page.getByRole('heading', { name: 'Välj lösenord', level: 1 }).waitFor();
    expect(new URL(page.url()).hash).toBe('');
    await page.getByLabel('Nytt lösenord').fill('fjällsippa i maj');
    await page.getByRole('button', { name: 'Spara lösenordet' }).click();
    await page.getByText('Ditt lösenord är sparat. Logga in med det.').waitFor();
    expect(await page.getByLabel('Användarnamn (e-postadress)').inputValue()).toBe(email);
    await page.getByLabel('Lösenord').fill('fjällsippa i maj');
    await page.getByRole('button', { name: 'Fortsätt' }).click();

    await page.getByRole('heading', { name: 'Lägg till en autentiseringsapp', level: 1 }).waitFor();
    expect(await page.getByRole('img', { name: 'QR-kod för autentiseringsappen' }).locator('path').count()).toBe(1);
    const key = ((await page.locator('#admin-enrolment-key').textContent()) ?? '').replaceAll(' ', '');
    expect(key).toMatch(/^[A-Z2-7]{32}$/u);
    await page.getByLabel('Kod (6 siffror)').fill(currentCode(key));
    await page.getByRole('button', { name: 'Lägg till och logga in' }).click();

    await page.getByRole('heading', { name: 'Spara dina reservkoder', level: 1 }).waitFor();
    expect(await page.locator('#admin-recovery-codes li').count()).toBe(10);
    await page.getByRole('button', { name: 'Fortsätt' }).click();
    await page.getByRole('alert').filter({ hasText: 'Bekräfta att du har sparat koderna.' }).waitFor();
    await page.getByLabel('Jag har sparat koderna').check();
    await page.getByRole('button', { name: 'Fortsätt' }).click();
    await page.getByText('Inloggad som Nora Nyberg, Demo Företagshälsa AB').waitFor();
    await context.close();
  });
});
