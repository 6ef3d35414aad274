import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { systemClock } from '../adapters/system/system-clock-and-ids';
import type { Clock } from '../domain/ports';
import { escapeHtml, policyForInlineStyle } from '../http/server-rendered-html';
import { devPageHeaders, loopbackHostOnly, refuseToRunInLambda } from './dev-page-guards';
import { DEV_PAGE_BASE_STYLE, devPageHtml } from './dev-page-html';

/*
 * ██████████████████████████████████████████████████████████████████████████████████████████████████████████████████
 * LOCAL DEVELOPMENT ONLY. NEVER MOUNT THIS APP IN LAMBDA, IN ANY AWS STAGE, OR ON ANY SERVER OTHERS CAN REACH.
 *
 * GET  /dev/bankid                              the developer's "phone": pending BankID orders of the local simulator
 * POST /dev/bankid/orders/:orderRef/approve     approve an order as a chosen TEST identity (form: personalNumber)
 * POST /dev/bankid/orders/:orderRef/cancel      cancel it, as the user would in the app
 *
 * Anyone who can post to these routes can log in as anyone. It is harmless only because it drives the LOCAL BankID
 * simulator (functions/local/bankid-simulator/): bankIdDevPage() refuses a control URL that is not on loopback and
 * refuses to run inside Lambda; the routes answer only requests addressed to localhost/127.0.0.1/[::1] (no DNS
 * rebinding) and the POSTs only same-origin form posts (no cross-site request forgery).
 * ██████████████████████████████████████████████████████████████████████████████████████████████████████████████████
 */

export const BANKID_DEV_PAGE_PATH = '/dev/bankid';
const TITLE = 'BankID-simulator (endast lokal utveckling)';
const REFRESH_SECONDS = 2;
const CONTROL_TIMEOUT_MS = 5_000;

/** The page's only stylesheet; admitted by the page's Content Security Policy by hash, and by nothing else. */
export const BANKID_DEV_PAGE_STYLE = `${DEV_PAGE_BASE_STYLE}
main { max-width: 72rem; }
.notice { margin: 1rem 0; padding: .5rem .75rem; border: 1px solid var(--line); border-radius: 6px; background: var(--tint); }
.notice.error { border-color: var(--warn); color: var(--warn); }
form { display: inline-flex; gap: .5rem; align-items: center; flex-wrap: wrap; margin: 0 .5rem .25rem 0; }
code { font-family: ui-monospace, "SF Mono", Menlo, Consolas, monospace; font-size: .9em; }
`;

/** The policy of every response of this app: its own stylesheet by hash, forms to itself, nothing else. */
export const BANKID_DEV_PAGE_CSP = policyForInlineStyle(BANKID_DEV_PAGE_STYLE, ["form-action 'self'"]);

export interface BankIdDevPageOptions {
  /** The simulator's control API, e.g. `http://127.0.0.1:<port>/simulator/` (BankIdSimulator.controlUrl). */
  readonly controlUrl: string;
  /** For the orders' ages; the simulator's clock if it runs on another one. */
  readonly clock?: Clock;
}

/** A pending order as the simulator's control API lists it (see control-server.ts, PublicOrderView). */
export interface DevPageOrder {
  readonly orderRef: string;
  readonly kind: string;
  readonly status: string;
  readonly hintCode?: string;
  readonly createdAt: string;
  readonly userVisibleText?: string;
}

/** A test identity as the simulator's control API lists it. */
export interface DevPageIdentity {
  readonly personalNumber: string;
  readonly givenName: string;
  readonly surname: string;
}

/** What a redirect back to the page may report: only these keys are ever rendered, as fixed texts. */
const DONE_MESSAGES: Readonly<Record<string, string>> = {
  approved: 'Beställningen är godkänd. The order was approved.',
  cancelled: 'Beställningen är avbruten. The order was cancelled.',
};
const ERROR_MESSAGES: Readonly<Record<string, string>> = {
  gone: 'Beställningen finns inte längre (utgången, avbruten eller redan klar). The order is gone.',
  conflict:
    'Beställningen kunde inte ändras i sitt nuvarande läge (t.ex. startad av en annan person). The order could not be changed in its current state.',
  identity: 'Välj en av testpersonerna. Pick one of the test identities.',
  simulator: 'BankID-simulatorn svarade inte som väntat. The BankID simulator did not answer as expected.',
};

export type DevPageNotice = { readonly kind: 'done' | 'error'; readonly key: string };

/**
 * The developer's BankID page for `npm start`. LOCAL DEVELOPMENT ONLY (see the comment at the top of this file).
 * Mount it in the dev server in front of the static frontend, whose catch-all would otherwise answer /dev/bankid.
 */
export function bankIdDevPage(options: BankIdDevPageOptions): Hono {
  refuseToRunInLambda('The BankID dev page');
  const controlBase = loopbackControlUrl(options.controlUrl);
  const clock = options.clock ?? systemClock;
  const control = (path: string, init?: RequestInit) =>
    fetch(new URL(path, controlBase), { ...init, redirect: 'error', signal: AbortSignal.timeout(CONTROL_TIMEOUT_MS) });

  const app = new Hono();
  // `/dev/bankid/*` also matches `/dev/bankid` itself; every route of this app lies under it.
  app.use(`${BANKID_DEV_PAGE_PATH}/*`, devPageHeaders(BANKID_DEV_PAGE_CSP), loopbackHostOnly('The BankID dev page'));
  app.use(`${BANKID_DEV_PAGE_PATH}/orders/*`, sameOriginFormPost(), bodyLimit({ maxSize: 4096 }));

  app.get(BANKID_DEV_PAGE_PATH, async (c) => {
    const notice = noticeFrom(c.req.query('done'), c.req.query('error'));
    const remembered = Number(c.req.query('som'));
    try {
      const [orders, identities] = await Promise.all([
        control('orders').then((response) => readList(response, toOrder)),
        control('identities').then((response) => readList(response, toIdentity)),
      ]);
      const html = renderBankIdDevPage({
        orders,
        identities,
        now: clock.now(),
        notice,
        ...(Number.isInteger(remembered) && remembered >= 0 && remembered < identities.length
          ? { selectedIdentity: remembered }
          : {}),
      });
      return c.html(html);
    } catch {
      const html = renderBankIdDevPage({
        orders: [],
        identities: [],
        now: clock.now(),
        notice: { kind: 'error', key: 'simulator' },
        unavailable: true,
      });
      return c.html(html, 503);
    }
  });

  app.post(`${BANKID_DEV_PAGE_PATH}/orders/:orderRef/:action{approve|cancel}`, async (c) => {
    const orderRef = c.req.param('orderRef');
    const action = c.req.param('action');
    if (!/^[A-Za-z0-9-]{1,64}$/u.test(orderRef)) return backToPage(c, 'error', 'gone');
    const form = await c.req.parseBody();
    const personalNumber = typeof form.personalNumber === 'string' ? form.personalNumber : '';
    if (action === 'approve' && !/^\d{12}$/u.test(personalNumber)) return backToPage(c, 'error', 'identity');
    try {
      const response = await control(`orders/${encodeURIComponent(orderRef)}/${action}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(action === 'approve' ? { personalNumber } : {}),
      });
      if (response.status === 200) {
        const order = (await response.json()) as { returnUrl?: unknown };
        if (action === 'cancel') return backToPage(c, 'done', 'cancelled');
        // Like the app after a login on the same device: it opens the order's return URL, here in this tab.
        const returnUrl = typeof order.returnUrl === 'string' ? safeReturnUrl(order.returnUrl) : undefined;
        if (returnUrl) return c.redirect(returnUrl, 303);
        return backToPage(c, 'done', 'approved', await identityIndex(control, personalNumber));
      }
      await response.body?.cancel();
      if (response.status === 404) return backToPage(c, 'error', 'gone');
      if (response.status === 409) return backToPage(c, 'error', 'conflict');
      if (response.status === 400) return backToPage(c, 'error', 'identity');
      return backToPage(c, 'error', 'simulator');
    } catch {
      return backToPage(c, 'error', 'simulator');
    }
  });

  app.get(`${BANKID_DEV_PAGE_PATH}/`, (c) => c.redirect(BANKID_DEV_PAGE_PATH, 308));
  // The page owns its path: nothing below it falls through to the dev server's frontend (and its catch-all).
  app.all(`${BANKID_DEV_PAGE_PATH}/*`, (c) => c.text('Not found.', 404));
  return app;
}

/** A return URL the dev page may send the browser to: http(s) only (never `javascript:` or the like). */
function safeReturnUrl(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** The control URL, if it is plain HTTP on loopback (the simulator's control server); throws otherwise. */
function loopbackControlUrl(controlUrl: string): URL {
  let url: URL;
  try {
    url = new URL(controlUrl);
  } catch {
    throw new Error(`The BankID dev page needs the simulator's control URL, not ${JSON.stringify(controlUrl)}.`);
  }
  if (url.protocol !== 'http:' || (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost')) {
    throw new Error(
      `The BankID dev page drives only a local simulator: its control URL must be http://127.0.0.1 or http://localhost, not ${url.origin}.`,
    );
  }
  if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
  url.search = '';
  url.hash = '';
  return url;
}

/**
 * CSRF defence: a state-changing POST must name this page's own origin in `Origin`. The page is served with
 * `Referrer-Policy: no-referrer`, under which browsers send `Origin: null` even on a same-origin form post (Fetch
 * standard, "append a request Origin header"); such a post is admitted only when the browser also says
 * `Sec-Fetch-Site: same-origin`, a header no page can set. Missing, foreign or uncorroborated origins get 403.
 */
function sameOriginFormPost(): MiddlewareHandler {
  return async function sameOriginFormPost(c, next) {
    if (c.req.method !== 'POST') return next();
    const origin = c.req.header('Origin');
    const own = new URL(c.req.url).origin;
    const sameOrigin =
      origin === own || (origin === 'null' && c.req.header('Sec-Fetch-Site')?.toLowerCase() === 'same-origin');
    if (!sameOrigin) return c.text('Forbidden: the request must come from this page itself.', 403);
    return next();
  };
}

function backToPage(c: Context, kind: 'done' | 'error', key: string, identity?: number): Response {
  const query = new URLSearchParams({ [kind]: key });
  if (identity !== undefined) query.set('som', String(identity));
  return c.redirect(`${BANKID_DEV_PAGE_PATH}?${query.toString()}`, 303);
}

/** The position of the identity just approved as, so the page preselects it next time (never the number itself). */
async function identityIndex(
  control: (path: string) => Promise<Response>,
  personalNumber: string,
): Promise<number | undefined> {
  try {
    const identities = await readList(await control('identities'), toIdentity);
    const index = identities.findIndex((identity) => identity.personalNumber === personalNumber);
    return index >= 0 ? index : undefined;
  } catch {
    return undefined;
  }
}

function noticeFrom(done: string | undefined, error: string | undefined): DevPageNotice | undefined {
  if (error !== undefined && Object.hasOwn(ERROR_MESSAGES, error)) return { kind: 'error', key: error };
  if (done !== undefined && Object.hasOwn(DONE_MESSAGES, done)) return { kind: 'done', key: done };
  return undefined;
}

async function readList<T>(response: Response, convert: (entry: unknown) => T | undefined): Promise<T[]> {
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`The simulator's control API answered ${response.status}.`);
  }
  const body: unknown = await response.json();
  if (!Array.isArray(body)) throw new Error("The simulator's control API did not answer a list.");
  return body.map(convert).filter((entry): entry is T => entry !== undefined);
}

function toOrder(entry: unknown): DevPageOrder | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const { orderRef, kind, status, hintCode, createdAt, userVisibleText } = entry as Record<string, unknown>;
  if (typeof orderRef !== 'string' || typeof kind !== 'string' || typeof status !== 'string') return undefined;
  if (typeof createdAt !== 'string') return undefined;
  return {
    orderRef,
    kind,
    status,
    createdAt,
    ...(typeof hintCode === 'string' ? { hintCode } : {}),
    ...(typeof userVisibleText === 'string' ? { userVisibleText } : {}),
  };
}

function toIdentity(entry: unknown): DevPageIdentity | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const { personalNumber, givenName, surname } = entry as Record<string, unknown>;
  if (typeof personalNumber !== 'string' || typeof givenName !== 'string' || typeof surname !== 'string') {
    return undefined;
  }
  return { personalNumber, givenName, surname };
}

export interface DevPageModel {
  readonly orders: readonly DevPageOrder[];
  readonly identities: readonly DevPageIdentity[];
  readonly now: Date;
  readonly notice?: DevPageNotice | undefined;
  /** The identity preselected in every row (its index in `identities`); the first one otherwise. */
  readonly selectedIdentity?: number;
  /** The simulator could not be reached: no empty-state text, which would be misleading. */
  readonly unavailable?: boolean;
}

/** The whole page as HTML. Every text that comes from the simulator is escaped. */
export function renderBankIdDevPage(model: DevPageModel): string {
  const selected = model.selectedIdentity ?? 0;
  const refreshTarget = `${BANKID_DEV_PAGE_PATH}${model.selectedIdentity === undefined ? '' : `?som=${selected}`}`;
  return devPageHtml({
    title: TITLE,
    style: BANKID_DEV_PAGE_STYLE,
    // Reloads without the status message, keeping the identity last approved as (no JavaScript: CSP).
    refresh: { seconds: REFRESH_SECONDS, url: refreshTarget },
    body: [
      `<h1>${escapeHtml(TITLE)}</h1>`,
      '<p>Här spelar du användaren i BankID-appen: godkänn en pågående beställning som en testperson, eller avbryt den.</p>',
      '<p lang="en">Here you play the user in the BankID app: approve a pending order as a test person, or cancel it.</p>',
      '<p class="warning">Endast lokal utveckling – aldrig i AWS. <span lang="en">Local development only – never in AWS.</span></p>',
      notice(model.notice),
      model.unavailable ? '' : orderTable(model, selected),
    ],
  });
}

function notice(value: DevPageNotice | undefined): string {
  if (!value) return '';
  const text = (value.kind === 'done' ? DONE_MESSAGES : ERROR_MESSAGES)[value.key];
  if (text === undefined) return '';
  const role = value.kind === 'error' ? 'alert' : 'status';
  return `<p class="notice${value.kind === 'error' ? ' error' : ''}" role="${role}">${escapeHtml(text)}</p>`;
}

function orderTable(model: DevPageModel, selected: number): string {
  if (model.orders.length === 0) {
    return '<p>Inga pågående BankID-beställningar. Starta en inloggning i portalen.</p>';
  }
  const rows = model.orders.map((order, row) => orderRow(order, row, model, selected));
  return [
    '<table>',
    '<caption>Pågående BankID-beställningar <span lang="en">(pending orders)</span></caption>',
    '<thead><tr><th scope="col">Beställning</th><th scope="col">Ålder</th><th scope="col">Status</th><th scope="col">Metod</th><th scope="col">Åtgärd</th></tr></thead>',
    '<tbody>',
    ...rows,
    '</tbody>',
    '</table>',
  ].join('\n');
}

function orderRow(order: DevPageOrder, row: number, model: DevPageModel, selected: number): string {
  const action = `${BANKID_DEV_PAGE_PATH}/orders/${encodeURIComponent(order.orderRef)}`;
  const created = Date.parse(order.createdAt);
  const age = Number.isNaN(created) ? '–' : `${Math.max(0, Math.floor((model.now.getTime() - created) / 1000))} s`;
  const status = `${escapeHtml(order.status)}${order.hintCode === undefined ? '' : ` / <code>${escapeHtml(order.hintCode)}</code>`}`;
  const visible =
    order.userVisibleText === undefined
      ? ''
      : `<br><span class="muted">Text: </span><q>${escapeHtml(shorten(order.userVisibleText, 120))}</q>`;
  const selectId = `identitet-${row + 1}`;
  const options = model.identities.map(
    (identity, index) =>
      `<option value="${escapeHtml(identity.personalNumber)}"${index === selected ? ' selected' : ''}>${escapeHtml(identityLabel(identity))}</option>`,
  );
  const approve =
    model.identities.length === 0
      ? '<span class="muted">Inga testpersoner.</span>'
      : [
          `<form method="post" action="${escapeHtml(`${action}/approve`)}">`,
          `<label for="${selectId}">Testperson</label>`,
          `<select id="${selectId}" name="personalNumber">${options.join('')}</select>`,
          '<button type="submit">Godkänn som vald person</button>',
          '</form>',
        ].join('');
  const cancel = `<form method="post" action="${escapeHtml(`${action}/cancel`)}"><button type="submit">Avbryt (som användaren)</button></form>`;
  return `<tr><th scope="row"><code title="${escapeHtml(order.orderRef)}">${escapeHtml(shorten(order.orderRef, 8))}</code></th><td>${age}</td><td>${status}</td><td><code>${escapeHtml(order.kind)}</code>${visible}</td><td>${approve}${cancel}</td></tr>`;
}

/** "Åsa Öberg (19900704-****)": the name and the date of birth; the rest of the personal number stays hidden. */
export function identityLabel(identity: DevPageIdentity): string {
  return `${identity.givenName} ${identity.surname} (${maskPersonalNumber(identity.personalNumber)})`;
}

export function maskPersonalNumber(personalNumber: string): string {
  return /^\d{12}$/u.test(personalNumber) ? `${personalNumber.slice(0, 8)}-****` : '****';
}

function shorten(text: string, length: number): string {
  const characters = [...text];
  return characters.length <= length ? text : `${characters.slice(0, length).join('')}…`;
}
