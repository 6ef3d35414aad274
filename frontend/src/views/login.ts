import { ApiError, api, type Session, type Tenant } from '../api';
import { h, replaceChildren } from '../dom';
import { loginCard } from '../forms';
import { messages } from '../i18n';
import { passwordLoginForm } from '../password-login-form';
import { type BankIdReturn, bankIdLoginSection } from './bankid-login';
import type { Notice, View } from './view';

const NOTICE_DELAY_MS = 100;

export interface LoginViewOptions {
  readonly notice?: Notice;
  /** Prefills the username (after a new password was set) and puts the cursor in the password field. */
  readonly username?: string;
  /** "Glömt lösenordet?", with what was typed as username so far. */
  readonly onForgotPassword: (username: string) => void;
  readonly onLoggedIn: (session: Session) => void;
  /** Back from the BankID app through the return URL: the BankID section carries on with that login. */
  readonly bankIdReturn?: BankIdReturn;
  /** The methods the clinic offers (GET /api/tenant); both when unknown (the server refuses the others anyway). */
  readonly loginMethods?: Tenant['loginMethods'];
}

/**
 * The login page. Each login method is its own section: BankID first (a QR code for the app on another device, or
 * the app on this device), as Swedish users expect, then username and password as the alternative. They share the
 * page heading and the message region for notices. A method the clinic has turned off is not on the page.
 */
export function loginView(options: LoginViewOptions): View {
  const t = messages.login;
  const heading = h('h1', { id: 'login-heading', tabindex: -1 }, t.title);
  const messageRegion = h('div', { class: 'form-message', id: 'login-message', 'aria-live': 'assertive' });

  const showMessage = (kind: 'error' | Notice['kind'], text: string): void => {
    replaceChildren(messageRegion, h('p', { class: `message message-${kind}` }, text));
  };
  const clearMessage = (): void => replaceChildren(messageRegion);

  const offered = options.loginMethods ?? { bankId: true, password: true };
  const passwordSection = offered.password
    ? passwordLoginSection({
        ...(options.username === undefined ? {} : { username: options.username }),
        onForgotPassword: options.onForgotPassword,
        onLoggedIn: options.onLoggedIn,
        showError: (text) => showMessage('error', text),
        clearMessage,
      })
    : undefined;
  const separator =
    passwordSection && offered.bankId ? h('p', { class: 'login-separator' }, h('span', {}, t.otherMethod)) : undefined;
  const bankIdSection = offered.bankId
    ? bankIdLoginSection({
        onLoggedIn: options.onLoggedIn,
        ...(options.bankIdReturn ? { returned: options.bankIdReturn } : {}),
        onUnavailable: () => {
          // This portal has no BankID: the password is the only way in, and the page says so once.
          bankIdSection?.remove();
          separator?.remove();
          showMessage('info', messages.bankId.unavailable);
          passwordSection?.querySelector('input')?.focus();
        },
      })
    : undefined;

  const element = loginCard(
    heading,
    h('p', { class: 'lead' }, t.intro),
    messageRegion,
    ...[bankIdSection, separator, passwordSection].filter((section) => section !== undefined),
  );

  return {
    title: t.title,
    element,
    focusTarget: heading,
    onMount: () => {
      if (options.username !== undefined) {
        passwordSection?.querySelector<HTMLInputElement>('input[type="password"]')?.focus();
      }
      const { notice } = options;
      if (notice) {
        // A live region announces changes only once assistive technology knows the region; give it a moment.
        window.setTimeout(() => showMessage(notice.kind, notice.text), NOTICE_DELAY_MS);
      }
    },
  };
}

interface PasswordLoginOptions {
  readonly username?: string;
  readonly onForgotPassword: (username: string) => void;
  readonly onLoggedIn: (session: Session) => void;
  readonly showError: (text: string) => void;
  readonly clearMessage: () => void;
}

function passwordLoginSection(options: PasswordLoginOptions): HTMLElement {
  const t = messages.login;
  const { form, username } = passwordLoginForm({
    idPrefix: 'login',
    usernameType: 'text',
    username: options.username,
    texts: t,
    showError: options.showError,
    clearMessage: options.clearMessage,
    send: async (typedUsername, password) => options.onLoggedIn(await api.login(typedUsername, password)),
    errorText: loginErrorText,
  });

  const forgotPassword = h('a', { href: '/glomt-losenord', class: 'text-link' }, t.forgotPassword);
  forgotPassword.addEventListener('click', (event) => {
    event.preventDefault();
    options.onForgotPassword(username.value.trim());
  });

  return h(
    'section',
    { class: 'login-method login-password', 'aria-labelledby': 'password-heading' },
    h('h2', { id: 'password-heading' }, t.passwordHeading),
    form,
    h('p', { class: 'form-footer' }, forgotPassword),
  );
}

function loginErrorText(error: unknown): string {
  if (!(error instanceof ApiError)) {
    return messages.genericError;
  }
  if (error.code === 'invalid_credentials') {
    return messages.login.invalidCredentials;
  }
  if (error.status === 429) {
    return messages.login.tooManyAttempts;
  }
  if (error.code === 'network_error') {
    return messages.networkError;
  }
  return messages.genericError;
}
