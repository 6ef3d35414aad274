import { BANKID_RETURN_PATH } from '../../functions/http/api-contract';
import { ApiError, api, type Session, type Tenant } from './api';
import { chosenCompany, rememberChosenCompany } from './chosen-company';
import { h, replaceChildren } from './dom';
import { messages } from './i18n';
import { type BankIdReturn, parseBankIdReturn } from './views/bankid-login';
import { companyChoiceView } from './views/company-choice';
import { documentsView } from './views/documents';
import { errorView } from './views/error';
import { forgotPasswordView } from './views/forgot-password';
import { loginView } from './views/login';
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
let firstView = true;
/** The address the current view was shown at. */
let shownAtPath = window.location.pathname;

/** The page a mailed set-password link opens (PASSWORD_LINK.path in functions/use-cases/password-links.ts). */
const SET_PASSWORD_PATH = '/satt-losenord';
/** "Glömt lösenordet?": its own address, so that the back button returns to the login page. */
const FORGOT_PASSWORD_PATH = '/glomt-losenord';

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

function showLogin(notice?: Notice, bankIdReturn?: BankIdReturn, username?: string): void {
  renderAccount(undefined);
  show(
    loginView({
      ...(notice ? { notice } : {}),
      ...(bankIdReturn ? { bankIdReturn } : {}),
      ...(username === undefined ? {} : { username }),
      onLoggedIn: showStart,
      onForgotPassword: (typed) => showForgotPassword(typed),
    }),
  );
}

/** Puts `path` in the address bar as a new history entry (so the back button works), unless it is there already. */
function goTo(path: string): void {
  if (window.location.pathname !== path) {
    window.history.pushState(null, '', path);
  }
}

function showForgotPassword(email?: string): void {
  renderAccount(undefined);
  goTo(FORGOT_PASSWORD_PATH);
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
  if (session.customers.length > 1 && !chosenCompany(session.customers)) {
    renderAccount(session);
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
  show(
    documentsView({
      session,
      tenant,
      onSessionEnded: () => showLogin({ kind: 'warning', text: messages.login.sessionExpired }),
    }),
  );
}

function renderAccount(session: Session | undefined): void {
  if (!session) {
    replaceChildren(account);
    return;
  }
  const logout = h('button', { type: 'button', class: 'button button-ghost' }, messages.header.logout);
  logout.addEventListener('click', async () => {
    logout.disabled = true;
    logout.textContent = messages.header.loggingOut;
    try {
      await api.logout();
      showLogin({ kind: 'info', text: messages.login.loggedOut });
    } catch (error) {
      if (error instanceof ApiError && error.isUnauthenticated) {
        showLogin({ kind: 'info', text: messages.login.loggedOut });
        return;
      }
      logout.disabled = false;
      logout.textContent = messages.header.logout;
      show(errorView(messages.genericError, () => void start()));
    }
  });
  replaceChildren(
    account,
    h(
      'p',
      { class: 'account-name' },
      h('span', { class: 'visually-hidden' }, `${messages.header.signedInAs} `),
      session.contact.name,
    ),
    logout,
  );
}

function renderTenant(): void {
  clinicName.textContent = tenant?.name ?? '';
  replaceChildren(footer, tenant?.supportText && h('p', { class: 'support-text' }, tenant.supportText));
}

async function start(): Promise<void> {
  document.documentElement.lang = messages.locale;
  productName.textContent = messages.productName;
  skipLink.textContent = messages.skipToContent;

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
    const text =
      error instanceof ApiError && error.code === 'network_error' ? messages.networkError : messages.genericError;
    show(errorView(text, () => void start()));
  } else if (sessionResult.value) {
    showStart(sessionResult.value);
  } else {
    showLogin(undefined, bankIdReturn);
  }
}

// Back and forward between the login page and "Glömt lösenordet?" (not a fragment link such as the skip link).
window.addEventListener('popstate', () => {
  if (window.location.pathname !== shownAtPath) {
    void start();
  }
});
void start();
