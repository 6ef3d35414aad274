import { ApiError } from './api';
import { h } from './dom';
import { field, firstMissing, setInvalid, submitButton } from './forms';

/*
 * The username-and-password form of the portal's login page and of the admin pages' first login step. The server
 * never says which of the two was wrong, so a rejection marks both and selects the password for retyping.
 */

export interface PasswordLoginTexts {
  readonly username: string;
  readonly password: string;
  readonly submit: string;
  readonly submitting: string;
  readonly missingFields: string;
}

export interface PasswordLoginFormOptions {
  /** The inputs' ids are `<idPrefix>-username` and `<idPrefix>-password`. */
  readonly idPrefix: string;
  /** The username input's type: the admin pages ask for an e-mail address by name. */
  readonly usernameType: 'text' | 'email';
  /** Prefills the username (after a new password was set). */
  readonly username?: string | undefined;
  readonly texts: PasswordLoginTexts;
  readonly showError: (text: string) => void;
  readonly clearMessage: () => void;
  /** Sends the username (trimmed) and the password; when it resolves, the login has moved on to another view. */
  readonly send: (username: string, password: string) => Promise<void>;
  /** What to say about a failed login: the credentials rejected (`invalid_credentials`), or any other error. */
  readonly errorText: (error: unknown) => string;
}

export interface PasswordLoginForm {
  readonly form: HTMLFormElement;
  readonly username: HTMLInputElement;
  readonly password: HTMLInputElement;
}

export function passwordLoginForm(options: PasswordLoginFormOptions): PasswordLoginForm {
  const { idPrefix, texts: t } = options;
  const username = h('input', {
    id: `${idPrefix}-username`,
    name: 'username',
    type: options.usernameType,
    autocomplete: 'username',
    autocapitalize: 'none',
    spellcheck: 'false',
    required: true,
    value: options.username,
  });
  const password = h('input', {
    id: `${idPrefix}-password`,
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const submit = submitButton(t.submit, t.submitting);
  const form = h(
    'form',
    { class: 'login-form', novalidate: true },
    field(username.id, t.username, username),
    field(password.id, t.password, password),
    submit.button,
  );

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.button.disabled) {
      return;
    }
    const missing = firstMissing([username, password]);
    if (missing) {
      options.showError(t.missingFields);
      missing.focus();
      return;
    }
    options.clearMessage();
    submit.setBusy(form, true);
    try {
      await options.send(username.value.trim(), password.value);
    } catch (error) {
      const credentialsRejected = error instanceof ApiError && error.code === 'invalid_credentials';
      setInvalid(username, credentialsRejected);
      setInvalid(password, credentialsRejected);
      options.showError(options.errorText(error));
      submit.setBusy(form, false);
      password.focus();
      password.select();
    }
  });

  return { form, username, password };
}
