import { h } from '../../dom';
import { loginCard } from '../../forms';
import { adminMessages } from '../../i18n/admin';
import { passwordLoginForm } from '../../password-login-form';
import type { Notice, View } from '../../views/view';
import { ApiError, adminApi, type PasswordStep } from '../api';
import { fallbackErrorText, messageRegion, stepHeading } from './form-parts';

export interface PasswordStepOptions {
  readonly notice?: Notice;
  /** Prefilled after an invitation's password was set. */
  readonly username?: string;
  /** The password was right: the login goes on with a code, or with adding an authenticator. */
  readonly onPasswordAccepted: (step: PasswordStep) => void;
}

/** Step 1 of an administrator's login: username and password. */
export function passwordStepView(options: PasswordStepOptions): View {
  const t = adminMessages.login;
  const heading = stepHeading('admin-login-heading', t.title);
  const messages = messageRegion('admin-login-message');
  const { form } = passwordLoginForm({
    idPrefix: 'admin',
    usernameType: 'email',
    username: options.username,
    texts: t,
    showError: messages.error,
    clearMessage: messages.clear,
    send: async (username, password) => options.onPasswordAccepted(await adminApi.passwordStep(username, password)),
    errorText: (error) =>
      error instanceof ApiError && error.code === 'invalid_credentials'
        ? t.invalidCredentials
        : fallbackErrorText(error),
  });

  return {
    title: t.title,
    element: loginCard(heading, h('p', { class: 'lead' }, t.intro), messages.element, form),
    focusTarget: heading,
    onMount: () => {
      if (options.notice) {
        messages.info(options.notice.text, options.notice.kind);
      }
    },
  };
}
