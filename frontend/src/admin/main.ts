import { h, replaceChildren } from '../dom';
import { adminMessages } from '../i18n/admin';
import type { Notice, View } from '../views/view';
import { type AdminProfile, ApiError, adminApi, type PasswordStep } from './api';
import { adminUsersView } from './views/admin-users';
import { apiKeysView } from './views/api-keys';
import { auditTrailView } from './views/audit-trail';
import { codeStepView } from './views/code-step';
import { customerDocumentsView } from './views/customer-documents';
import { customersView } from './views/customers';
import { enrolmentView } from './views/enrolment';
import { errorView } from './views/error';
import { passwordStepView } from './views/password-step';
import { recoveryCodesView } from './views/recovery-codes';
import { setPasswordView } from './views/set-password';
import { settingsView } from './views/settings';
import { showRole } from './write-controls';

/**
 * The admin pages' shell (frontend/admin.html, served for /admin and everything below it): the clinic's name in the
 * header, then either the login steps (password → code, or at the first login: password → authenticator → recovery
 * codes) or the signed-in start page. A separate entry from the portal's, so the contacts' bundle carries none of it.
 */

function requiredElement(id: string): HTMLElement {
  const element = document.getElementById(id);
  if (!element) {
    throw new Error(`admin.html lacks #${id}`);
  }
  return element;
}

const main = requiredElement('main');
const clinicName = requiredElement('clinic-name');
const productName = requiredElement('product-name');
const account = requiredElement('account');
const skipLink = requiredElement('skip-link');
const t = adminMessages;

/** The page an invitation link opens (PASSWORD_LINK.adminPath in functions/use-cases/password-links.ts). */
const SET_PASSWORD_PATH = '/admin/satt-losenord';
const HOME_PATH = '/admin';
const AUDIT_PATH = '/admin/handelselogg';
const API_KEYS_PATH = '/admin/api-nycklar';
const SETTINGS_PATH = '/admin/installningar';
const ADMINS_PATH = '/admin/administratorer';
/** One customer company's documents: `/admin/kunder/<customer id>`. */
const CUSTOMER_PATH = /^\/admin\/kunder\/([0-9a-f-]{36})\/?$/u;

let clinic: string | undefined;
let firstView = true;
/** Whether the signed-in administrator is read-only: every page then says why it has nothing to change. */
let readOnly = false;

function show(view: View): void {
  replaceChildren(
    main,
    readOnly && h('p', { class: 'message message-info read-only-notice' }, t.readOnly),
    view.element,
  );
  document.title = t.documentTitle(view.title, clinic);
  // On first load the browser starts at the top anyway; later swaps move focus to the new step's heading.
  if (!firstView) {
    view.focusTarget.focus();
  }
  firstView = false;
  view.onMount?.();
}

function showPasswordStep(notice?: Notice, username?: string): void {
  renderAccount(undefined);
  show(
    passwordStepView({
      ...(notice ? { notice } : {}),
      ...(username ? { username } : {}),
      onPasswordAccepted: showSecondStep,
    }),
  );
}

function showSecondStep(step: PasswordStep): void {
  const expired = () => showPasswordStep({ kind: 'warning', text: t.login.challengeExpired });
  if (step.status === 'enrolment_required') {
    show(
      enrolmentView({
        challengeId: step.challengeId,
        enrolment: step.enrolment,
        onChallengeExpired: expired,
        onEnrolled: (profile) => {
          renderAccount(profile);
          show(recoveryCodesView({ codes: profile.recoveryCodes, onDone: () => showHome(profile) }));
        },
      }),
    );
    return;
  }
  show(
    codeStepView({
      challengeId: step.challengeId,
      onLoggedIn: showHome,
      onChallengeExpired: expired,
      onBack: () => showPasswordStep(),
    }),
  );
}

/** Puts `path` in the address bar as a new history entry (so back works), unless it is there already. */
function goTo(path: string): void {
  if (window.location.pathname !== path) {
    window.history.pushState(null, '', path);
  }
}

const sessionEnded = () => showPasswordStep({ kind: 'warning', text: t.login.sessionExpired });

/** The signed-in pages, by address: a customer's documents, or the customer list (also after logging in). */
function showHome(profile: AdminProfile): void {
  clinic = profile.clinic.name || clinic;
  clinicName.textContent = clinic ?? '';
  renderAccount(profile);
  const path = window.location.pathname.replace(/\/+$/u, '');
  if (path === AUDIT_PATH) {
    show(auditTrailView({ onSessionEnded: sessionEnded }));
    return;
  }
  if (path === API_KEYS_PATH) {
    show(apiKeysView({ onSessionEnded: sessionEnded }));
    return;
  }
  if (path === SETTINGS_PATH) {
    show(settingsView({ onSessionEnded: sessionEnded }));
    return;
  }
  if (path === ADMINS_PATH) {
    show(adminUsersView({ onSessionEnded: sessionEnded }));
    return;
  }
  const customerId = CUSTOMER_PATH.exec(window.location.pathname)?.[1];
  if (customerId) {
    show(
      customerDocumentsView({
        customerId,
        onBack: () => {
          goTo(HOME_PATH);
          showHome(profile);
        },
        onSessionEnded: sessionEnded,
      }),
    );
    return;
  }
  goTo(HOME_PATH);
  show(
    customersView({
      profile,
      onOpenCustomer: (customer) => {
        goTo(`${HOME_PATH}/kunder/${customer.id}`);
        showHome(profile);
      },
      onSessionEnded: sessionEnded,
    }),
  );
}

function renderAccount(profile: AdminProfile | undefined): void {
  showRole(profile?.admin.role);
  readOnly = profile?.admin.role === 'read-only';
  if (!profile) {
    replaceChildren(account);
    return;
  }
  const logout = h('button', { type: 'button', class: 'button button-ghost' }, t.header.logout);
  logout.addEventListener('click', async () => {
    logout.disabled = true;
    logout.textContent = t.header.loggingOut;
    try {
      await adminApi.logout();
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) {
        logout.disabled = false;
        logout.textContent = t.header.logout;
        show(errorView(t.genericError, () => void start()));
        return;
      }
    }
    showPasswordStep({ kind: 'info', text: t.login.loggedOut });
  });
  const navLink = (path: string, label: string) => {
    const link = h('a', { class: 'button button-ghost', href: path }, label);
    if (window.location.pathname === path) link.setAttribute('aria-current', 'page');
    link.addEventListener('click', (event) => {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      goTo(path);
      showHome(profile);
    });
    return link;
  };
  replaceChildren(
    account,
    h(
      'nav',
      { class: 'admin-nav', 'aria-label': t.nav.label },
      navLink(HOME_PATH, t.nav.customers),
      navLink(AUDIT_PATH, t.nav.audit),
      navLink(API_KEYS_PATH, t.nav.apiKeys),
      navLink(SETTINGS_PATH, t.nav.settings),
      navLink(ADMINS_PATH, t.nav.admins),
    ),
    h(
      'p',
      { class: 'account-name' },
      h('span', { class: 'visually-hidden' }, `${t.header.signedInAs} `),
      profile.admin.name,
      profile.admin.role === 'read-only' && ' ',
      profile.admin.role === 'read-only' && h('span', { class: 'badge badge-muted' }, t.header.readOnlyBadge),
    ),
    logout,
  );
}

function showSetPassword(): void {
  // The token leaves the address bar (and the history) at once; it lives on only in this view.
  const token = decodeURIComponent(window.location.hash.replace(/^#/u, ''));
  window.history.replaceState(null, '', SET_PASSWORD_PATH);
  show(
    setPasswordView({
      token,
      onPasswordSet: (username) => {
        window.history.replaceState(null, '', HOME_PATH);
        showPasswordStep({ kind: 'info', text: t.login.passwordSet }, username);
      },
    }),
  );
}

async function start(): Promise<void> {
  document.documentElement.lang = t.locale;
  productName.textContent = `${t.productName} · ${t.areaName}`;
  skipLink.textContent = t.skipToContent;

  const onSetPasswordPage = window.location.pathname.replace(/\/+$/u, '') === SET_PASSWORD_PATH;
  const [tenantResult, sessionResult] = await Promise.allSettled([
    adminApi.getTenant(),
    onSetPasswordPage ? Promise.resolve(null) : adminApi.getSession(),
  ]);
  // The pages work without the clinic's name; it is branding, not a precondition.
  clinic = tenantResult.status === 'fulfilled' ? tenantResult.value.name : undefined;
  clinicName.textContent = clinic ?? '';

  if (onSetPasswordPage) {
    showSetPassword();
  } else if (sessionResult.status === 'rejected') {
    const error: unknown = sessionResult.reason;
    // A clinic the operator closed refuses every request, so the session check says so first.
    const code = error instanceof ApiError ? error.code : undefined;
    const text =
      code === 'network_error' ? t.networkError : code === 'clinic_disabled' ? t.portalUnavailable : t.genericError;
    show(errorView(text, () => void start()));
  } else if (sessionResult.value) {
    showHome(sessionResult.value);
  } else {
    showPasswordStep();
  }
}

// Back and forward between the signed-in pages: show what the address names now.
window.addEventListener('popstate', () => void start());

void start();
