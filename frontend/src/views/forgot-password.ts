import { ApiError, api } from '../api';
import { h, replaceChildren } from '../dom';
import { field, loginCard, setInvalid, submitButton } from '../forms';
import { messages } from '../i18n';
import type { View } from './view';

export interface ForgotPasswordViewOptions {
  /** Prefills the address (e.g. what was typed as username on the login page). */
  readonly email?: string;
  readonly onBackToLogin: () => void;
}

/**
 * "Glömt lösenordet?": one e-mail field. The answer never says whether the address has an account (the server
 * answers every address alike), so the page always confirms the same way.
 */
export function forgotPasswordView(options: ForgotPasswordViewOptions): View {
  const t = messages.forgotPassword;
  const heading = h('h1', { id: 'forgot-heading', tabindex: -1 }, t.title);
  const messageRegion = h('div', { class: 'form-message', id: 'forgot-message', 'aria-live': 'assertive' });
  const showMessage = (kind: 'error' | 'info', ...lines: string[]): void => {
    replaceChildren(
      messageRegion,
      h('div', { class: `message message-${kind}` }, ...lines.map((line) => h('p', {}, line))),
    );
  };

  const email = h('input', {
    id: 'forgot-email',
    name: 'email',
    type: 'email',
    autocomplete: 'email',
    autocapitalize: 'none',
    spellcheck: 'false',
    required: true,
    value: options.email,
  });
  const submit = submitButton(t.submit, t.submitting);
  const form = h(
    'form',
    { class: 'login-form', novalidate: true },
    field('forgot-email', t.email, email),
    submit.button,
  );
  const back = h('a', { href: '/', class: 'text-link' }, t.backToLogin);
  back.addEventListener('click', (event) => {
    event.preventDefault();
    options.onBackToLogin();
  });

  const refuse = (text: string): void => {
    setInvalid(email, true);
    showMessage('error', text);
    email.focus();
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.button.disabled) {
      return;
    }
    const address = email.value.trim();
    if (address === '') {
      refuse(t.missingEmail);
      return;
    }
    setInvalid(email, false);
    replaceChildren(messageRegion);
    submit.setBusy(form, true);
    try {
      const { validMinutes } = await api.requestPasswordReset(address);
      // The form is done; what is left is the confirmation and a way to try another address.
      const again = h('button', { type: 'button', class: 'button button-secondary' }, t.tryAnotherAddress);
      again.addEventListener('click', () => {
        replaceChildren(messageRegion);
        form.hidden = false;
        again.remove();
        email.focus();
      });
      form.hidden = true;
      form.after(again);
      showMessage('info', t.sent(validMinutes), t.sentHint);
    } catch (error) {
      if (error instanceof ApiError && error.status === 429) {
        showMessage('error', t.tooManyRequests);
      } else if (error instanceof ApiError && error.code === 'validation_failed') {
        refuse(t.invalidEmail);
      } else if (error instanceof ApiError && error.code === 'network_error') {
        showMessage('error', messages.networkError);
      } else {
        showMessage('error', messages.genericError);
      }
    } finally {
      submit.setBusy(form, false);
    }
  });

  const element = loginCard(
    heading,
    h('p', { class: 'lead' }, t.intro),
    messageRegion,
    form,
    h('p', { class: 'form-footer' }, back),
  );
  return { title: t.title, element, focusTarget: heading };
}
