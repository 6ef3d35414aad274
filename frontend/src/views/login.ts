import { ApiError, api, type Session } from '../api';
import { h, replaceChildren } from '../dom';
import { messages } from '../i18n';
import { bankIdLoginSection } from './bankid-login';
import type { Notice, View } from './view';

const NOTICE_DELAY_MS = 100;

export interface LoginViewOptions {
  readonly notice?: Notice;
  readonly onLoggedIn: (session: Session) => void;
}

/**
 * The login page. Each login method is its own section: BankID first (a QR code for the app on another device, or
 * the app on this device), as Swedish users expect, then username and password as the alternative. They share the
 * page heading and the message region for notices.
 */
export function loginView(options: LoginViewOptions): View {
  const t = messages.login;
  const heading = h('h1', { id: 'login-heading', tabindex: -1 }, t.title);
  const messageRegion = h('div', { class: 'form-message', id: 'login-message', 'aria-live': 'assertive' });

  const showMessage = (kind: 'error' | Notice['kind'], text: string): void => {
    replaceChildren(messageRegion, h('p', { class: `message message-${kind}` }, text));
  };
  const clearMessage = (): void => replaceChildren(messageRegion);

  const passwordSection = passwordLoginSection({
    onLoggedIn: options.onLoggedIn,
    showError: (text) => showMessage('error', text),
    clearMessage,
  });
  const separator = h('p', { class: 'login-separator' }, h('span', {}, t.otherMethod));
  const bankIdSection = bankIdLoginSection({
    onLoggedIn: options.onLoggedIn,
    onUnavailable: () => {
      // This portal has no BankID: the password is the only way in, and the page says so once.
      bankIdSection.remove();
      separator.remove();
      showMessage('info', messages.bankId.unavailable);
      passwordSection.querySelector('input')?.focus();
    },
  });

  const element = h(
    'section',
    { class: 'card login-card', 'aria-labelledby': 'login-heading' },
    heading,
    h('p', { class: 'lead' }, t.intro),
    messageRegion,
    bankIdSection,
    separator,
    passwordSection,
  );

  return {
    title: t.title,
    element,
    focusTarget: heading,
    onMount: () => {
      const { notice } = options;
      if (notice) {
        // A live region announces changes only once assistive technology knows the region; give it a moment.
        window.setTimeout(() => showMessage(notice.kind, notice.text), NOTICE_DELAY_MS);
      }
    },
  };
}

interface PasswordLoginOptions {
  readonly onLoggedIn: (session: Session) => void;
  readonly showError: (text: string) => void;
  readonly clearMessage: () => void;
}

function passwordLoginSection(options: PasswordLoginOptions): HTMLElement {
  const t = messages.login;
  const username = h('input', {
    id: 'login-username',
    name: 'username',
    type: 'text',
    autocomplete: 'username',
    autocapitalize: 'none',
    spellcheck: 'false',
    required: true,
  });
  const password = h('input', {
    id: 'login-password',
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const submit = h('button', { type: 'submit', class: 'button button-primary button-block' }, t.submit);

  // Validation messages come from our own Swedish texts, not from the browser's (which follow the browser language).
  const form = h(
    'form',
    { class: 'login-form', novalidate: true },
    field('login-username', t.username, username),
    field('login-password', t.password, password),
    submit,
  );

  const setInvalid = (input: HTMLInputElement, invalid: boolean): void => {
    if (invalid) {
      input.setAttribute('aria-invalid', 'true');
    } else {
      input.removeAttribute('aria-invalid');
    }
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) {
      return;
    }
    const missing = [username, password].filter((input) => input.value.trim() === '');
    for (const input of [username, password]) {
      setInvalid(input, missing.includes(input));
    }
    const firstMissing = missing[0];
    if (firstMissing) {
      options.showError(t.missingFields);
      firstMissing.focus();
      return;
    }

    options.clearMessage();
    submit.disabled = true;
    submit.textContent = t.submitting;
    form.setAttribute('aria-busy', 'true');
    try {
      const session = await api.login(username.value.trim(), password.value);
      options.onLoggedIn(session);
    } catch (error) {
      const credentialsRejected = error instanceof ApiError && error.code === 'invalid_credentials';
      setInvalid(username, credentialsRejected);
      setInvalid(password, credentialsRejected);
      options.showError(loginErrorText(error));
      submit.disabled = false;
      submit.textContent = t.submit;
      form.removeAttribute('aria-busy');
      password.focus();
      password.select();
    }
  });

  return h(
    'section',
    { class: 'login-method login-password', 'aria-labelledby': 'password-heading' },
    h('h2', { id: 'password-heading' }, t.passwordHeading),
    form,
  );
}

function field(id: string, label: string, input: HTMLInputElement): HTMLElement {
  return h('div', { class: 'field' }, h('label', { for: id }, label), input);
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
