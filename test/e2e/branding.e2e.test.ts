import { describe, expect, it } from 'vitest';
import { deriveTheme } from '../../functions/domain/branding';
import { demoSeed } from '../../functions/local/seed/demo-data';
import { useBrowserPortal } from '../support/browser-portal';

/** `#rrggbb` as getComputedStyle reports a colour. */
function rgb(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((start) => Number.parseInt(hex.slice(start, start + 2), 16));
  return `rgb(${r}, ${g}, ${b})`;
}

describe("the clinic's branding, in a browser", () => {
  const { portal, newPage } = useBrowserPortal({ name: 'branding' });
  const { clinic } = demoSeed();
  const theme = deriveTheme(clinic.branding);

  it('draws the login page in the derived theme, with the logo in the header and the contact details below, within the CSP', async () => {
    const { context, page } = await newPage();
    await page.goto(portal().url);

    const logo = page.getByRole('banner').getByRole('img', { name: clinic.name });
    await logo.waitFor();
    // Loaded (same origin, allowed by img-src 'self'), not a broken image.
    await expect.poll(() => logo.evaluate((image: HTMLImageElement) => image.naturalWidth)).toBe(64);
    expect(await logo.getAttribute('src')).toMatch(/^\/api\/tenant\/logo\/[0-9a-f]{16}$/u);

    const button = page.getByRole('button', { name: 'Logga in' });
    const colours = await button.evaluate((element) => {
      const style = getComputedStyle(element);
      return { background: style.backgroundColor, text: style.color };
    });
    expect(colours).toEqual({ background: rgb(theme.primary), text: rgb(theme.onPrimary) });
    // The raw clinic colour was not taken as is where the derived one differs (links must read on white).
    const link = await page.getByRole('link', { name: 'Glömt lösenordet?' }).evaluate((a) => getComputedStyle(a).color);
    expect(link).toBe(rgb(theme.link));

    const contact = page.getByRole('contentinfo');
    const details = clinic.branding?.contact;
    if (!details?.phone || !details.email || !details.openingHours) {
      throw new Error('The demo clinic has no phone, e-mail and opening hours to show.');
    }
    await contact.getByRole('link', { name: details.phone }).waitFor();
    expect(await contact.getByRole('link', { name: details.email }).getAttribute('href')).toBe(
      `mailto:${details.email}`,
    );
    await contact.getByText(`Öppettider: ${details.openingHours}`).waitFor();
    // useBrowserPortal fails the test on any CSP violation: setting the theme through the CSSOM reported none.
    await context.close();
  });
});
