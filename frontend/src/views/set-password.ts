import { ApiError, api } from '../api';
import { h, replaceChildren } from '../dom';
import { loginCard } from '../forms';
import { messages } from '../i18n';
import { setPasswordForm } from '../set-password-form';
import type { View } from './view';

/** The server's minimum without a second factor (functions/domain/password-policy.ts); only a hint here. */
const MIN_LENGTH = 15;

export interface SetPasswordViewOptions {
  /** The token from the link's fragment (empty if the address had none). */
  readonly token: string;
  readonly onPasswordSet: (username: string) => void;
  readonly onRequestNewLink: () => void;
}

/**
 * The page a mailed link opens (an invitation or a reset): the set-password form (../set-password-form.ts). A link
 * that cannot be used any more turns the page into a way to ask for a new one.
 */
export function setPasswordView(options: SetPasswordViewOptions): View {
  const t = messages.setPassword;
  const heading = h('h1', { id: 'set-password-heading', tabindex: -1 }, t.title);
  const messageRegion = h('div', { class: 'form-message', id: 'set-password-message', 'aria-live': 'assertive' });

  const form = setPasswordForm({
    id: 'new-password',
    minLength: MIN_LENGTH,
    texts: t,
    locale: messages.locale,
    showError: (text) => replaceChildren(messageRegion, h('p', { class: 'message message-error' }, text)),
    clearMessage: () => replaceChildren(messageRegion),
    send: async (newPassword) => options.onPasswordSet((await api.setPassword(options.token, newPassword)).username),
    onLinkUnusable: (text) => showLinkUnusable(text),
    errorText: (error) => {
      if (!(error instanceof ApiError)) {
        return messages.genericError;
      }
      if (error.status === 429) {
        return t.tooManyAttempts;
      }
      if (error.status === 409) {
        return t.notSaved;
      }
      return error.code === 'network_error' ? messages.networkError : messages.genericError;
    },
  });
  const showLinkUnusable = (text: string): void => {
    const again = h('button', { type: 'button', class: 'button button-primary' }, t.requestNewLink);
    again.addEventListener('click', options.onRequestNewLink);
    form.replaceWith(h('div', { class: 'link-unusable' }, again));
    replaceChildren(messageRegion, h('p', { class: 'message message-error' }, text));
    again.focus();
  };

  const element = loginCard(heading, h('p', { class: 'lead' }, t.intro), messageRegion, form);
  return {
    title: t.title,
    element,
    focusTarget: heading,
    onMount: () => {
      // A link without its code (cut off by a mail program, or the page reloaded after it was read) cannot work.
      if (options.token === '') {
        showLinkUnusable(t.linkMalformed);
      }
    },
  };
}
