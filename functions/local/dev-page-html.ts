import { escapeHtml } from '../http/server-rendered-html';

/*
 * What every developer page of `npm start` (/dev/bankid, /dev/mail, /dev/totp) looks like: one server-rendered
 * document with its own stylesheet inline (admitted by the page's Content Security Policy by hash) and no JavaScript.
 */

/**
 * The rules every dev page's stylesheet starts with: the portal's ink and warning colours, system fonts, a centred
 * column and plain tables. A page appends its own, beginning with its column's width.
 */
export const DEV_PAGE_BASE_STYLE = `
:root { color-scheme: light; --ink: #1c2430; --muted: #5a6675; --line: #d9dee5; --tint: #f4f6f9; --warn: #8a4b00; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); }
main { margin: 0 auto; padding: 1.5rem; }
h1 { margin: 0 0 .5rem; font-size: 1.6rem; }
h2 { margin: 1.5rem 0 .5rem; font-size: 1.2rem; }
p { margin: .25rem 0; }
.warning { color: var(--warn); font-weight: 600; }
.muted { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
caption { text-align: left; font-weight: 600; padding-bottom: .5rem; }
th, td { text-align: left; vertical-align: top; padding: .5rem; border-bottom: 1px solid var(--line); }
thead th { background: var(--tint); }`;

export interface DevPageDocument {
  /** The document's title (escaped here). */
  readonly title: string;
  /** The page's whole stylesheet: exactly what its Content Security Policy admits by hash. */
  readonly style: string;
  /** Reloads the page (there is no JavaScript to update it): after this many seconds, at `url` or at itself. */
  readonly refresh?: { readonly seconds: number; readonly url?: string };
  /** The lines inside <main>, already HTML. */
  readonly body: readonly string[];
}

/** The whole dev page as HTML, one element a line. */
export function devPageHtml(page: DevPageDocument): string {
  const { refresh } = page;
  return [
    '<!doctype html>',
    '<html lang="sv">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex">',
    ...(refresh === undefined
      ? []
      : [
          `<meta http-equiv="refresh" content="${refresh.seconds}${refresh.url === undefined ? '' : `; url=${escapeHtml(refresh.url)}`}">`,
        ]),
    `<title>${escapeHtml(page.title)}</title>`,
    `<style>${page.style}</style>`,
    '</head>',
    '<body>',
    '<main>',
    ...page.body,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
