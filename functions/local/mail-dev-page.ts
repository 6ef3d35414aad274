import { Hono } from 'hono';
import type { FileMailSink, SunkMail } from '../adapters/mail/file-mail-sink';
import { escapeHtml, policyForInlineStyle } from '../http/server-rendered-html';
import { devPageHeaders, loopbackHostOnly, refuseToRunInLambda } from './dev-page-guards';
import { DEV_PAGE_BASE_STYLE, devPageHtml } from './dev-page-html';

/*
 * ██████████████████████████████████████████████████████████████████████████████████████████████████████████████████
 * LOCAL DEVELOPMENT ONLY. NEVER MOUNT THIS APP IN LAMBDA, IN ANY AWS STAGE, OR ON ANY SERVER OTHERS CAN REACH.
 *
 * GET /dev/mail              every mail the local portal "sent" (the file mail sink), newest first
 * GET /dev/mail/:id          one mail: its headers, its links, its HTML (framed, sandboxed) and its plain text
 * GET /dev/mail/:id/html     the mail's HTML alone, for that frame: sandboxed and script-free by its own CSP
 *
 * Invitation and reset mails carry live set-password links: whoever reads this page can set anyone's password in
 * the local portal. mailDevPage() refuses to run inside Lambda, and the routes answer only requests addressed to
 * localhost/127.0.0.1/[::1] (no DNS rebinding). There is nothing to post, so nothing to forge.
 * ██████████████████████████████████████████████████████████████████████████████████████████████████████████████████
 */

export const MAIL_DEV_PAGE_PATH = '/dev/mail';
const PAGE = 'The mail dev page';
const TITLE = 'Mejl (endast lokal utveckling)';
const REFRESH_SECONDS = 5;
/** The sink names mails by UUID v4 (randomIds); nothing else is looked up. */
const MAIL_ID = /^[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}$/u;

/** The pages' only stylesheet; admitted by their Content Security Policy by hash, and by nothing else. */
export const MAIL_DEV_PAGE_STYLE = `${DEV_PAGE_BASE_STYLE}
main { max-width: 72rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 1rem 0; }
dt { font-weight: 600; }
dd { margin: 0; }
iframe { width: 100%; height: 40rem; border: 1px solid var(--line); border-radius: 6px; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; padding: 1rem; background: var(--tint); border-radius: 6px; }
td code, time { white-space: nowrap; }
code, pre { font-family: ui-monospace, "SF Mono", Menlo, Consolas, monospace; font-size: .9em; }
`;

/** The policy of the pages: their own stylesheet by hash, frames of this origin (the mail's HTML), nothing else. */
export const MAIL_DEV_PAGE_CSP = policyForInlineStyle(MAIL_DEV_PAGE_STYLE, ["frame-src 'self'"]);

/**
 * The policy of a mail's HTML: inline styles (that is how mails are styled), nothing loaded from anywhere, no
 * scripts, framed only by this origin, and sandboxed even when opened on its own. Links open in a new tab that
 * leaves the sandbox, so an invitation's link works as it would in a mail client.
 */
const SANDBOX = 'allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation';
export const MAIL_HTML_VIEW_CSP = [
  `default-src 'none'`,
  `style-src 'unsafe-inline'`,
  `form-action 'none'`,
  `frame-ancestors 'self'`,
  `base-uri 'none'`,
  `sandbox ${SANDBOX}`,
].join('; ');

export interface MailDevPageOptions {
  /** The local portal's mail sink (LocalRuntime.mailSink). */
  readonly mails: Pick<FileMailSink, 'list' | 'get'>;
}

/**
 * The developer's mailbox for `npm start`. LOCAL DEVELOPMENT ONLY (see the comment at the top of this file).
 * Mount it in the dev server in front of the static frontend, whose catch-all would otherwise answer /dev/mail.
 */
export function mailDevPage(options: MailDevPageOptions): Hono {
  refuseToRunInLambda(PAGE);
  const { mails } = options;
  const find = async (id: string) => (MAIL_ID.test(id) ? mails.get(id) : undefined);

  const app = new Hono();
  // `/dev/mail/*` also matches `/dev/mail` itself; every route of this app lies under it.
  app.use(`${MAIL_DEV_PAGE_PATH}/*`, devPageHeaders(MAIL_DEV_PAGE_CSP), loopbackHostOnly(PAGE));

  app.get(MAIL_DEV_PAGE_PATH, async (c) => c.html(renderMailList(await mails.list())));
  app.get(`${MAIL_DEV_PAGE_PATH}/`, (c) => c.redirect(MAIL_DEV_PAGE_PATH, 308));

  app.get(`${MAIL_DEV_PAGE_PATH}/:id`, async (c) => {
    const mail = await find(c.req.param('id'));
    if (!mail) return c.text('No such mail.', 404);
    return c.html(renderMail(mail));
  });

  app.get(`${MAIL_DEV_PAGE_PATH}/:id/html`, async (c) => {
    const mail = await find(c.req.param('id'));
    if (!mail) return c.text('No such mail.', 404);
    c.header('Content-Security-Policy', MAIL_HTML_VIEW_CSP);
    c.header('X-Frame-Options', 'SAMEORIGIN');
    return c.html(linksInNewTab(mail.html));
  });

  // The page owns its path: nothing below it falls through to the dev server's frontend (and its catch-all).
  app.all(`${MAIL_DEV_PAGE_PATH}/*`, (c) => c.text('Not found.', 404));
  return app;
}

/**
 * A link clicked inside the frame would open the portal inside the frame, where the portal refuses to be shown;
 * `<base target="_blank">` sends it to a new tab instead. Only the target: the base URL stays the document's own.
 */
function linksInNewTab(html: string): string {
  const head = /<head(?:\s[^>]*)?>/iu.exec(html);
  if (!head) return `<base target="_blank">${html}`;
  const end = head.index + head[0].length;
  return `${html.slice(0, end)}<base target="_blank">${html.slice(end)}`;
}

const mailUrl = (mail: SunkMail) => `${MAIL_DEV_PAGE_PATH}/${encodeURIComponent(mail.id)}`;

/** "2025-03-03 09:00:10 UTC" inside a machine-readable <time>. */
function sentAt(mail: SunkMail): string {
  const shown = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})/u.exec(mail.sentAt);
  const text = shown ? `${shown[1]} ${shown[2]} UTC` : mail.sentAt;
  return `<time datetime="${escapeHtml(mail.sentAt)}">${escapeHtml(text)}</time>`;
}

const recipient = (mail: SunkMail) => escapeHtml(`${mail.to.name} <${mail.to.address}>`);

/** The list of every mail, newest first. Every text that comes from a mail is escaped. */
export function renderMailList(mails: readonly SunkMail[]): string {
  const table =
    mails.length === 0
      ? '<p>Inga mejl ännu. Bjud in en kontaktperson eller begär ett nytt lösenord i portalen, så dyker mejlet upp här.</p>'
      : [
          '<table>',
          '<caption>Skickade mejl, senaste först <span lang="en">(sent mail, newest first)</span></caption>',
          '<thead><tr><th scope="col">Skickat</th><th scope="col">Till</th><th scope="col">Ämne</th><th scope="col">Typ</th></tr></thead>',
          '<tbody>',
          ...mails.map(
            (mail) =>
              `<tr><td>${sentAt(mail)}</td><td>${recipient(mail)}</td><td><a href="${escapeHtml(mailUrl(mail))}">${escapeHtml(mail.subject)}</a></td><td><code>${escapeHtml(mail.kind)}</code></td></tr>`,
          ),
          '</tbody>',
          '</table>',
        ].join('\n');
  return devPageHtml({
    title: TITLE,
    style: MAIL_DEV_PAGE_STYLE,
    // No JavaScript (CSP): the list reloads itself so a new mail shows up while the developer waits for it.
    refresh: { seconds: REFRESH_SECONDS, url: MAIL_DEV_PAGE_PATH },
    body: [
      `<h1>${escapeHtml(TITLE)}</h1>`,
      '<p>Allt som den lokala portalen skickar hamnar här i stället för hos mottagaren: inbjudningar och nya lösenord.</p>',
      '<p lang="en">Everything the local portal sends ends up here instead of with the recipient: invitations and password resets.</p>',
      '<p class="warning">Endast lokal utveckling – aldrig i AWS. <span lang="en">Local development only – never in AWS.</span></p>',
      table,
    ],
  });
}

/** One mail: headers, the links of its plain text (to follow an invitation), its HTML in a sandbox, its text. */
export function renderMail(mail: SunkMail): string {
  const links = [...new Set(mail.text.match(/https?:\/\/[^\s<>"]+/gu) ?? [])];
  const htmlUrl = `${mailUrl(mail)}/html`;
  return devPageHtml({
    title: `${mail.subject} – ${TITLE}`,
    style: MAIL_DEV_PAGE_STYLE,
    body: [
      `<p><a href="${MAIL_DEV_PAGE_PATH}">← Alla mejl</a></p>`,
      `<h1>${escapeHtml(mail.subject)}</h1>`,
      '<dl>',
      `<dt>Från</dt><dd>${escapeHtml(mail.fromName)} <span class="muted">(adressen sätts i AWS: MAIL_FROM_ADDRESS)</span></dd>`,
      `<dt>Till</dt><dd>${recipient(mail)}</dd>`,
      `<dt>Skickat</dt><dd>${sentAt(mail)}</dd>`,
      `<dt>Typ</dt><dd><code>${escapeHtml(mail.kind)}</code></dd>`,
      '</dl>',
      '<h2>Länkar i mejlet</h2>',
      links.length === 0
        ? '<p class="muted">Mejlet har inga länkar.</p>'
        : `<ul>${links.map((link) => `<li><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></li>`).join('')}</ul>`,
      '<h2>HTML-version</h2>',
      `<iframe src="${escapeHtml(htmlUrl)}" sandbox="${SANDBOX}" referrerpolicy="no-referrer" title="HTML-versionen av mejlet"></iframe>`,
      `<p><a href="${escapeHtml(htmlUrl)}">Öppna HTML-versionen för sig</a></p>`,
      '<h2>Textversion</h2>',
      `<pre>${escapeHtml(mail.text)}</pre>`,
    ],
  });
}
