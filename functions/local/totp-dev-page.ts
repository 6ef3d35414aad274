import { Hono } from 'hono';
import { qrPath } from '../../frontend/src/qr-path';
import { otpauthTotp, totpCodeAt, totpSecretFromBase32 } from '../adapters/security/otpauth-totp';
import { systemClock } from '../adapters/system/system-clock-and-ids';
import { TOTP_POLICY, totpIssuer } from '../domain/clinic-admin';
import type { Clock } from '../domain/ports';
import { escapeHtml, policyForInlineStyle } from '../http/server-rendered-html';
import { devPageHeaders, loopbackHostOnly, refuseToRunInLambda } from './dev-page-guards';
import { DEV_PAGE_BASE_STYLE, devPageHtml } from './dev-page-html';
import type { DemoAdmin } from './seed/demo-data';

/*
 * ██████████████████████████████████████████████████████████████████████████████████████████████████████████████████
 * LOCAL DEVELOPMENT ONLY. NEVER MOUNT THIS APP IN LAMBDA, IN ANY AWS STAGE, OR ON ANY SERVER OTHERS CAN REACH.
 *
 * GET /dev/totp   the demo administrator's authenticator: the current 6-digit code, the otpauth:// URI as a QR code
 *                 (to add the demo account to a real authenticator app) and the demo recovery codes
 *
 * It shows only the DEMO administrator's fixed, published secret (functions/local/seed/demo-data.ts), never a real
 * administrator's, and reads nothing from the table. totpDevPage() refuses to run inside Lambda, and the route
 * answers only requests addressed to localhost/127.0.0.1/[::1]. There is nothing to post, so nothing to forge.
 * ██████████████████████████████████████████████████████████████████████████████████████████████████████████████████
 */

export const TOTP_DEV_PAGE_PATH = '/dev/totp';
const PAGE = 'The TOTP dev page';
const TITLE = 'Autentiseringsapp för demo-administratören (endast lokal utveckling)';

/** The page's only stylesheet; admitted by its Content Security Policy by hash, and by nothing else. */
export const TOTP_DEV_PAGE_STYLE = `${DEV_PAGE_BASE_STYLE}
main { max-width: 48rem; }
.code { font: 700 3rem/1.2 ui-monospace, "SF Mono", Menlo, Consolas, monospace; letter-spacing: .2em; margin: .5rem 0; }
.qr { width: 14rem; height: 14rem; border: 1px solid var(--line); }
code { font-family: ui-monospace, "SF Mono", Menlo, Consolas, monospace; font-size: .9em; overflow-wrap: anywhere; }
ul { padding-left: 1.25rem; }
`;

/** The policy of the page: its own stylesheet by hash, nothing else (the QR code is inline SVG, no image). */
export const TOTP_DEV_PAGE_CSP = policyForInlineStyle(TOTP_DEV_PAGE_STYLE);

export interface TotpDevPageOptions {
  readonly admin: DemoAdmin;
  /** The demo clinic's name: the issuer the authenticator app shows, as in a real enrolment. */
  readonly clinicName: string;
  readonly clock?: Clock;
}

/**
 * The developer's authenticator for `npm start`. LOCAL DEVELOPMENT ONLY (see the comment at the top of this file).
 * Mount it in the dev server in front of the static frontend, whose catch-all would otherwise answer /dev/totp.
 */
export function totpDevPage(options: TotpDevPageOptions): Hono {
  refuseToRunInLambda(PAGE);
  const clock = options.clock ?? systemClock;
  const secret = totpSecretFromBase32(options.admin.totpSecretBase32);
  const provisioning = otpauthTotp.provisioning(secret, {
    issuer: totpIssuer(options.clinicName),
    label: options.admin.email,
  });

  const app = new Hono();
  app.use(`${TOTP_DEV_PAGE_PATH}/*`, devPageHeaders(TOTP_DEV_PAGE_CSP), loopbackHostOnly(PAGE));
  app.get(TOTP_DEV_PAGE_PATH, (c) => {
    const now = clock.now();
    return c.html(
      renderTotpDevPage({
        admin: options.admin,
        code: totpCodeAt(secret, now),
        secondsLeft: secondsLeftInStep(now),
        otpauthUri: provisioning.uri,
      }),
    );
  });
  app.get(`${TOTP_DEV_PAGE_PATH}/`, (c) => c.redirect(TOTP_DEV_PAGE_PATH, 308));
  // The page owns its path: nothing below it falls through to the dev server's frontend (and its catch-all).
  app.all(`${TOTP_DEV_PAGE_PATH}/*`, (c) => c.text('Not found.', 404));
  return app;
}

function secondsLeftInStep(now: Date): number {
  const period = TOTP_POLICY.periodSeconds;
  return period - (Math.floor(now.getTime() / 1000) % period);
}

export interface TotpDevPageModel {
  readonly admin: DemoAdmin;
  readonly code: string;
  readonly secondsLeft: number;
  readonly otpauthUri: string;
}

/** The whole page as HTML; it reloads itself when the code changes (no JavaScript: CSP). */
export function renderTotpDevPage(model: TotpDevPageModel): string {
  const qr = qrPath(model.otpauthUri);
  const groupedSecret = model.admin.totpSecretBase32.match(/.{1,4}/gu)?.join(' ') ?? '';
  return devPageHtml({
    title: TITLE,
    style: TOTP_DEV_PAGE_STYLE,
    refresh: { seconds: model.secondsLeft },
    body: [
      `<h1>${escapeHtml(TITLE)}</h1>`,
      '<p class="warning">Endast lokal utveckling – aldrig i AWS. <span lang="en">Local development only – never in AWS.</span></p>',
      `<p>Inloggning på <code>/admin</code> som <code>${escapeHtml(model.admin.email)}</code>, lösenord <code>${escapeHtml(model.admin.password)}</code>.</p>`,
      '<h2>Aktuell kod</h2>',
      `<p class="code" id="totp-code" aria-live="polite">${escapeHtml(model.code)}</p>`,
      `<p class="muted">Gäller i ${model.secondsLeft} s till (och 30 s före och efter, som i portalen). Sidan laddas om när koden byts. Varje kod fungerar en gång.</p>`,
      '<h2>Lägg till i en riktig autentiseringsapp</h2>',
      `<svg class="qr" role="img" aria-label="QR-kod för autentiseringsappen" viewBox="0 0 ${qr.size} ${qr.size}"><rect width="${qr.size}" height="${qr.size}" fill="#ffffff"/><path d="${qr.path}" fill="#000000"/></svg>`,
      `<p>Eller skriv in nyckeln: <code>${escapeHtml(groupedSecret)}</code></p>`,
      `<p class="muted"><code>${escapeHtml(model.otpauthUri)}</code></p>`,
      '<h2>Reservkoder</h2>',
      '<p class="muted">Var och en fungerar en gång i stället för en kod; en använd kod förblir använd efter omstart.</p>',
      `<ul>${model.admin.recoveryCodes.map((code) => `<li><code>${escapeHtml(code)}</code></li>`).join('')}</ul>`,
    ],
  });
}
