import type { Theme } from '../../functions/domain/branding';

/** The custom property (frontend/src/styles.css `:root`) each colour of the theme sets. */
const PROPERTIES: Readonly<Record<keyof Theme, string>> = {
  primary: '--color-primary',
  primaryHover: '--color-primary-hover',
  onPrimary: '--color-on-primary',
  primarySoft: '--color-primary-soft',
  link: '--color-link',
  linkHover: '--color-link-hover',
  focus: '--color-focus',
};

/**
 * Draws the page in the clinic's theme by setting the custom properties styles.css uses, through the CSSOM. The
 * CSP's style-src 'self' forbids style attributes and <style> elements in markup, not a script of our own origin
 * setting properties on an element's style object, so no policy changes and no extra request (as a generated
 * stylesheet would need). The values are the server's derived `#rrggbb` colours; one the CSSOM cannot parse is
 * ignored, leaving the neutral colour styles.css declares.
 */
export function applyTheme(theme: Theme): void {
  const style = document.documentElement.style;
  for (const [key, property] of Object.entries(PROPERTIES) as [keyof Theme, string][]) {
    style.setProperty(property, theme[key]);
  }
  // The browser's own chrome (mobile address bar) in the clinic's colour too.
  document.querySelector('meta[name="theme-color"]')?.setAttribute('content', theme.primary);
}
