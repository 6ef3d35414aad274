import { describe, expect, it } from 'vitest';
import { totpCodeAt, totpSecretFromBase32 } from '../../functions/adapters/security/otpauth-totp';
import { operatorData } from '../../functions/cli/operator-scope';
import { runTenantCli } from '../../functions/cli/tenant-cli';
import { useBrowserPortal } from '../support/browser-portal';

/**
 * A clinic provisioned with `npm run tenant -- create` on the running local portal, used in a real browser on its own
 * host `<slug>.localhost`: the production CSP, the `__Host-` session cookie and the same-origin checks on that host.
 */
describe('a clinic provisioned on the local portal, in a browser', () => {
  const { portal, dataDirectory, newPage, linkMailedTo } = useBrowserPortal({ name: 'tenant' });
  const tenant = (...argv: string[]) =>
    runTenantCli(argv, { data: operatorData({ PORTAL_DATA_DIR: dataDirectory() }), print: () => undefined });

  it('answers on <slug>.localhost: the first administrator logs in from the invitation; disabled, the pages say the portal is not available; enabled, the session is back', async () => {
    const email = 'ylva.oberg@halsanvast.example';
    expect(await tenant('create', '--name', 'Hälsan Väst AB', '--slug', 'halsan-vast', '--admin-email', email)).toBe(0);
    const link = await linkMailedTo(email, '/admin/satt-losenord');
    const origin = `http://halsan-vast.localhost:${new URL(portal().url).port}`;
    expect(link.startsWith(`${origin}/admin/satt-losenord#`)).toBe(true);
    const { context, page } = await newPage();

    await page.goto(link);
    await page.getByLabel('Nytt lösenord').fill('fjällsippa i maj');
    await page.getByRole('button', { name: 'Spara lösenordet' }).click();
    await page.getByText('Ditt lösenord är sparat. Logga in med det.').waitFor();
    await page.getByLabel('Lösenord').fill('fjällsippa i maj');
    await page.getByRole('button', { name: 'Fortsätt' }).click();
    await page.getByRole('heading', { name: 'Lägg till en autentiseringsapp', level: 1 }).waitFor();
    const key = ((await page.locator('#admin-enrolment-key').textContent()) ?? '').replaceAll(' ', '');
    await page.getByLabel('Kod (6 siffror)').fill(totpCodeAt(totpSecretFromBase32(key), new Date()));
    await page.getByRole('button', { name: 'Lägg till och logga in' }).click();
    await page.getByLabel('Jag har sparat koderna').check();
    await page.getByRole('button', { name: 'Fortsätt' }).click();
    await page.getByText(`Inloggad som ${email}, Hälsan Väst AB`).waitFor();

    expect(await tenant('disable', '--tenant', 'halsan-vast.localhost')).toBe(0);
    await page.reload();
    await page.getByRole('alert').filter({ hasText: 'Portalen är inte tillgänglig' }).waitFor();
    await page.goto(`${origin}/`);
    await page.getByRole('alert').filter({ hasText: 'Portalen är inte tillgänglig' }).waitFor();

    expect(await tenant('enable', '--tenant', 'halsan-vast.localhost')).toBe(0);
    await page.goto(`${origin}/admin`);
    await page.getByText(`Inloggad som ${email}, Hälsan Väst AB`).waitFor();
    await context.close();
  });
});
