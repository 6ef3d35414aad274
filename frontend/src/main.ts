import { ApiError, api, type Session, type Tenant } from './api';
import { h, replaceChildren } from './dom';
import { messages } from './i18n';
import { documentsView } from './views/documents';
import { errorView } from './views/error';
import { loginView } from './views/login';
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

function show(view: View): void {
  replaceChildren(main, view.element);
  document.title = messages.documentTitle(view.title, tenant?.name);
  // On first load the browser starts at the top anyway; later swaps move focus so nobody is left on a removed node.
  if (!firstView) {
    view.focusTarget.focus();
  }
  firstView = false;
  view.onMount?.();
}

function showLogin(notice?: Notice): void {
  renderAccount(undefined);
  show(loginView({ ...(notice ? { notice } : {}), onLoggedIn: showDocuments }));
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

  const [tenantResult, sessionResult] = await Promise.allSettled([api.getTenant(), api.getSession()]);
  // The portal works without the clinic's name; it is branding, not a precondition.
  tenant = tenantResult.status === 'fulfilled' ? tenantResult.value : undefined;
  renderTenant();

  if (sessionResult.status === 'rejected') {
    const error: unknown = sessionResult.reason;
    const text =
      error instanceof ApiError && error.code === 'network_error' ? messages.networkError : messages.genericError;
    show(errorView(text, () => void start()));
  } else if (sessionResult.value) {
    showDocuments(sessionResult.value);
  } else {
    showLogin();
  }
}

void start();
