import { BANKID_RETURN_PATH } from '../../functions/http/api-contract';
import { ApiError, api, type Session, type Tenant } from './api';
import { chosenCompany, rememberChosenCompany } from './chosen-company';
import { h, replaceChildren } from './dom';
import { currentLanguage, type Language, messages } from './i18n';
import { applyLanguage, rememberedLanguage } from './language-choice';
import { applyTheme } from './theme';
import { type BankIdReturn, parseBankIdReturn } from './views/bankid-login';
import { companyChoiceView } from './views/company-choice';
import { documentsView } from './views/documents';
import { errorView } from './views/error';
import { forgotPasswordView } from './views/forgot-password';
import { loginView } from './views/login';
import { profileView } from './views/profile';
import { setPasswordView } from './views/set-password';
import type { Notice, View } from './views/view';

/**
 * The shell: fills the static header from the tenant, decides between the login page and the document list from
 * the session, and swaps views. Views talk back only through callbacks, so they stay independent of each other.
 */

function requiredElement(id: string): HTMLElement {
  const element = document.getElementById(id);
  if (!element) {
    throw new Error(`index.html lacks #${id}`);
  }
  return element;
}

const main = requiredElement('main');
const clinicName = requiredElement('clinic-name');
const productName = requiredElement('product-name');
const account = requiredElement('account');
const footer = requiredElement('footer');
const skipLink = requiredElement('skip-link');

let tenant: Tenant | undefined;
/** Who is logged in, as far as the shell knows (undefined on the pages for people who are not). */
let currentSession: Session | undefined;
/** Shows the current view again: after a language switch, every text must be read anew from the catalogue. */
let renderAgain: () => void = () => void start();
let firstView = true;
/** The address the current view was shown at. */
let shownAtPath = window.location.pathname;

/** The page a mailed set-password link opens (PASSWORD_LINK.path in functions/use-cases/password-links.ts). */
const SET_PASSWORD_PATH = '/satt-losenord';
/** "Glömt lösenordet?": its own address, so that the back button returns to the login page. */
const FORGOT_PASSWORD_PATH = '/glomt-losenord';
/** "Min profil". */
const PROFILE_PATH = '/profil';
/** Where "Back to the list" returns to: the list's address as last seen, its filters (query) included. */
let listAddress = '/';

function show(view: View): void {
  shownAtPath = window.location.pathname;
  replaceChildren(main, view.element);
  document.title = messages.documentTitle(view.title, tenant?.name);
  // On first load the browser starts at the top anyway; later swaps move focus so nobody is left on a removed node.
  if (!firstView) {
    view.focusTarget.focus();
  }
  firstView = false;
  view.onMount?.();
}

/**
 * The login page. It keeps the address it was shown at: a session that ended mid-use leaves the user on the login
 * page at the address of the view they were on (the list with its filters, the profile), and after logging in again
 * {@link showStart} routes by that address, so they are back where they were. Deliberate logouts go to "/" first.
 */
function showLogin(notice?: Notice, bankIdReturn?: BankIdReturn, username?: string): void {
  renderAccount(undefined);
  renderAgain = () => showLogin(undefined, undefined, username);
  show(
    loginView({
      ...(notice ? { notice } : {}),
      ...(bankIdReturn ? { bankIdReturn } : {}),
      ...(username === undefined ? {} : { username }),
      ...(tenant ? { loginMethods: tenant.loginMethods } : {}),
      onLoggedIn: showStart,
      onForgotPassword: (typed) => showForgotPassword(typed),
    }),
  );
}

/**
 * Puts `address` (a path, perhaps with a query) in the address bar as a new history entry (so the back button
 * works), unless it is there already.
 */
function goTo(address: string): void {
  if (`${window.location.pathname}${window.location.search}` !== address) {
    window.history.pushState(null, '', address);
  }
}

function showForgotPassword(email?: string): void {
  renderAccount(undefined);
  goTo(FORGOT_PASSWORD_PATH);
  renderAgain = () => showForgotPassword(email);
  show(
    forgotPasswordView({
      ...(email ? { email } : {}),
      onBackToLogin: () => {
        goTo('/');
        showLogin();
      },
    }),
  );
}

function showSetPassword(token: string): void {
  renderAccount(undefined);
  renderAgain = () => showSetPassword(token);
  show(
    setPasswordView({
      token,
      onPasswordSet: (username) => {
        window.history.replaceState(null, '', '/');
        showLogin({ kind: 'info', text: messages.login.passwordSet }, undefined, username);
      },
      onRequestNewLink: () => showForgotPassword(),
    }),
  );
}

/**
 * The token of a set-password link, from the fragment (which never reaches a server), taken out of the address bar
 * at once so that neither history, a bookmark nor a shared screen keeps it.
 */
function takeSetPasswordToken(): string | undefined {
  if (window.location.pathname !== SET_PASSWORD_PATH) {
    return undefined;
  }
  const token = window.location.hash.slice(1);
  window.history.replaceState(null, '', SET_PASSWORD_PATH);
  return token;
}

/**
 * The page the BankID app opened after a login on this device (BANKID_RETURN_PATH): what its fragment says, taken
 * out of the address bar at once so that neither history nor a bookmark keeps the nonce.
 */
function takeBankIdReturn(): BankIdReturn | undefined {
  if (window.location.pathname !== BANKID_RETURN_PATH) {
    return undefined;
  }
  const returned = parseBankIdReturn(window.location.hash);
  window.history.replaceState(null, '', '/');
  return returned;
}

/**
 * After login (or a reload): a contact person of several companies first says which one they act for, unless they
 * already chose in this tab; everybody else goes straight to the list.
 */
function showStart(session: Session): void {
  adoptServerLanguage(session);
  if (window.location.pathname === PROFILE_PATH) {
    showProfile(session);
    return;
  }
  if (session.customers.length > 1 && !chosenCompany(session.customers)) {
    renderAccount(session);
    renderAgain = () => showStart(session);
    show(
      companyChoiceView({
        session,
        onChosen: (customer) => {
          rememberChosenCompany(customer.id);
          showDocuments(session);
        },
      }),
    );
    return;
  }
  showDocuments(session);
}

function showDocuments(session: Session): void {
  renderAccount(session);
  renderAgain = () => showDocuments(session);
  show(
    documentsView({
      session,
      tenant,
      onSessionEnded: () => showLogin({ kind: 'warning', text: messages.login.sessionExpired }),
    }),
  );
}

function showProfile(session: Session): void {
  if (window.location.pathname !== PROFILE_PATH) {
    listAddress = `${window.location.pathname}${window.location.search}`;
    goTo(PROFILE_PATH);
  }
  renderAccount(session);
  renderAgain = () => showProfile(session);
  show(
    profileView({
      session,
      onBackToList: () => {
        goTo(listAddress);
        showStart(session);
      },
      onSessionEnded: () => showLogin({ kind: 'warning', text: messages.login.sessionExpired }),
      onLoggedOut: (notice) => {
        goTo('/');
        showLogin(notice);
      },
      onLogout: () => void logOut(),
      onPreferencesChanged: (preferences) => {
        currentSession = { ...session, preferences };
      },
    }),
  );
}

/** Logs out this session; the next login starts at the list, not where this user was. */
async function logOut(button?: HTMLButtonElement): Promise<void> {
  if (button) {
    button.disabled = true;
    button.textContent = messages.header.loggingOut;
  }
  try {
    await api.logout();
  } catch (error) {
    if (!(error instanceof ApiError && error.isUnauthenticated)) {
      if (button) {
        button.disabled = false;
        button.textContent = messages.header.logout;
      }
      show(errorView(messages.genericError, () => void start()));
      return;
    }
  }
  goTo('/');
  showLogin({ kind: 'info', text: messages.login.loggedOut });
}

/**
 * With nothing chosen in this browser, the language the contact chose elsewhere (kept on the server) applies. A
 * choice made in this browser wins: it is the newer one here, and on a shared computer it is this person's.
 */
function adoptServerLanguage(session: Session): void {
  const language = session.preferences.language;
  if (rememberedLanguage() === undefined && language !== currentLanguage()) {
    applyLanguage(language, { remember: false });
    renderStaticTexts();
  }
}

/** The header's language switch: shows everything again in the other language, remembered here and on the server. */
function switchLanguage(language: Language): void {
  applyLanguage(language, { remember: true });
  renderStaticTexts();
  renderAgain();
  // The switch was re-rendered with the header: keep the keyboard where the user was.
  account.querySelector<HTMLButtonElement>('.language-switch')?.focus();
  const session = currentSession;
  if (session) {
    // Best effort: the page has switched already; the server's copy is for mails, which a later choice corrects.
    api.me.updatePreferences({ language }).then(
      (preferences) => {
        if (currentSession === session) {
          currentSession = { ...session, preferences };
        }
      },
      () => undefined,
    );
  }
}

function languageSwitch(): HTMLButtonElement {
  const other = messages.header.otherLanguage;
  const button = h(
    'button',
    { type: 'button', class: 'button button-ghost language-switch', lang: other.code },
    other.name,
  );
  button.addEventListener('click', () => switchLanguage(other.code));
  return button;
}

/**
 * The account area: the language switch for everybody; for a logged-in contact also their name, "Min profil" and
 * logout.
 */
function renderAccount(session: Session | undefined): void {
  currentSession = session && currentSession?.contact.id === session.contact.id ? currentSession : session;
  if (!session) {
    replaceChildren(account, languageSwitch());
    return;
  }
  const logout = h('button', { type: 'button', class: 'button button-ghost' }, messages.header.logout);
  logout.addEventListener('click', () => void logOut(logout));
  const profile = h('a', { class: 'button button-ghost', href: PROFILE_PATH }, messages.header.profile);
  if (window.location.pathname === PROFILE_PATH) {
    profile.setAttribute('aria-current', 'page');
  }
  profile.addEventListener('click', (event) => {
    // A real link (open in a new tab works); a plain click stays in this page.
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    event.preventDefault();
    showProfile(currentSession ?? session);
  });
  replaceChildren(
    account,
    h(
      'p',
      { class: 'account-name' },
      h('span', { class: 'visually-hidden' }, `${messages.header.signedInAs} `),
      session.contact.name,
    ),
    languageSwitch(),
    profile,
    logout,
  );
}

/** The texts outside the views: the document's language, the product name, the skip link, the footer. */
function renderStaticTexts(): void {
  document.documentElement.lang = messages.locale;
  productName.textContent = messages.productName;
  skipLink.textContent = messages.skipToContent;
  renderFooter();
}

/** The clinic's branding: its theme, its name and logo in the header, its support text and contact details below. */
function renderTenant(): void {
  clinicName.textContent = tenant?.name ?? '';
  if (tenant) {
    applyTheme(tenant.theme);
  }
  if (tenant?.logoUrl) {
    // The logo names the clinic to screen readers; the name beside it stays for sight, heard once.
    requiredElement('brand-mark').replaceWith(
      // The mark's size until the logo has loaded, so that the header does not move when it arrives.
      h('img', {
        class: 'brand-mark brand-logo',
        id: 'brand-mark',
        src: tenant.logoUrl,
        alt: tenant.name,
        width: 36,
        height: 36,
      }),
    );
    clinicName.setAttribute('aria-hidden', 'true');
  }
  renderFooter();
}

function renderFooter(): void {
  const contact = tenant?.contact;
  const t = messages.footer;
  const line = (label: string, value: Node | string) => h('p', {}, `${label}: `, value);
  replaceChildren(
    footer,
    tenant?.supportText && h('p', { class: 'support-text' }, tenant.supportText),
    contact &&
      h(
        'address',
        { class: 'clinic-contact' },
        contact.phone && line(t.phone, h('a', { href: `tel:${contact.phone.replace(/[^\d+]/gu, '')}` }, contact.phone)),
        contact.email && line(t.email, h('a', { href: `mailto:${contact.email}` }, contact.email)),
        contact.openingHours && line(t.openingHours, contact.openingHours),
      ),
  );
}

async function start(): Promise<void> {
  const remembered = rememberedLanguage();
  if (remembered) {
    applyLanguage(remembered, { remember: false });
  }
  renderStaticTexts();

  const bankIdReturn = takeBankIdReturn();
  const setPasswordToken = takeSetPasswordToken();
  const [tenantResult, sessionResult] = await Promise.allSettled([api.getTenant(), api.getSession()]);
  // The portal works without the clinic's name; it is branding, not a precondition.
  tenant = tenantResult.status === 'fulfilled' ? tenantResult.value : undefined;
  renderTenant();

  // These pages are for people who cannot log in: they open whether or not a session exists.
  if (setPasswordToken !== undefined) {
    showSetPassword(setPasswordToken);
    return;
  }
  if (window.location.pathname === FORGOT_PASSWORD_PATH) {
    showForgotPassword();
    return;
  }
  if (sessionResult.status === 'rejected') {
    const error: unknown = sessionResult.reason;
    const text = error instanceof ApiError ? startErrorText(error.code) : messages.genericError;
    renderAgain = () => void start();
    show(errorView(text, () => void start()));
  } else if (sessionResult.value) {
    showStart(sessionResult.value);
  } else {
    showLogin(undefined, bankIdReturn);
  }
}

/** Why the portal could not start: the network, a clinic the operator closed (every request is refused), or else. */
function startErrorText(code: string): string {
  if (code === 'network_error') return messages.networkError;
  return code === 'clinic_disabled' ? messages.portalUnavailable : messages.genericError;
}

// Back and forward between the login page and "Glömt lösenordet?" (not a fragment link such as the skip link).
window.addEventListener('popstate', () => {
  if (window.location.pathname !== shownAtPath) {
    void start();
  }
});
void start();
