import { h } from '../../dom';
import { loginCard } from '../../forms';
import { adminMessages } from '../../i18n/admin';
import { setPasswordForm } from '../../set-password-form';
import type { View } from '../../views/view';
import { ApiError, adminApi } from '../api';
import { fallbackErrorText, messageRegion, stepHeading } from './form-parts';

/**
 * The server's minimum for administrators (functions/domain/password-policy.ts: a second factor always follows, so
 * NIST SP 800-63B's 8 characters apply); only a hint here, the server decides.
 */
const MIN_LENGTH = 8;

export interface AdminSetPasswordOptions {
  /** The token from the invitation link's fragment (empty if the address had none). */
  readonly token: string;
  readonly onPasswordSet: (username: string) => void;
}

/**
 * The page an administrator's invitation opens (/admin/satt-losenord#<token>): the set-password form
 * (../../set-password-form.ts). An unusable link says so: a new invitation comes from the operator (or, later,
 * another administrator).
 */
export function setPasswordView(options: AdminSetPasswordOptions): View {
  const t = adminMessages.setPassword;
  const heading = stepHeading('admin-set-password-heading', t.title);
  const messages = messageRegion('admin-set-password-message');
  const form = setPasswordForm({
    id: 'admin-new-password',
    minLength: MIN_LENGTH,
    texts: t,
    locale: adminMessages.locale,
    showError: messages.error,
    clearMessage: messages.clear,
    send: async (newPassword) =>
      options.onPasswordSet((await adminApi.setPassword(options.token, newPassword)).username),
    onLinkUnusable: (text) => linkUnusable(text),
    errorText: (error) =>
      error instanceof ApiError && error.status === 429 ? t.tooManyAttempts : fallbackErrorText(error),
  });
  const linkUnusable = (text: string): void => {
    form.remove();
    messages.error(text);
  };

  return {
    title: t.title,
    element: loginCard(heading, h('p', { class: 'lead' }, t.intro), messages.element, form),
    focusTarget: heading,
    onMount: () => {
      if (options.token === '') {
        linkUnusable(t.linkMalformed);
      }
    },
  };
}
