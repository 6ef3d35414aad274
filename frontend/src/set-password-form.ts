import { ApiError } from './api';
import { h, replaceChildren } from './dom';
import { submitButton } from './forms';
import { rejectionTexts } from './password-rejections';

/*
 * The form of the set-password pages (the portal's, opened by a mailed link, and the admin pages', opened by an
 * invitation): one new-password field, paste allowed, no composition rules (NIST SP 800-63B). The server checks the
 * policy; every reason it gives is listed below the field.
 */

export interface SetPasswordTexts {
  readonly newPassword: string;
  readonly hint: string;
  readonly show: string;
  readonly hide: string;
  readonly submit: string;
  readonly submitting: string;
  readonly missingPassword: string;
  /** Heads the server's reasons for rejecting the password. */
  readonly rejected: string;
  /** Said when the server rejected the password without a reason in the page's language. */
  readonly rejectedFallback: string;
  /** Only for forms sent with a mailed link (not the profile's change of password). */
  readonly linkInvalid?: string;
  readonly linkMalformed?: string;
}

export interface SetPasswordFormOptions {
  /** The new-password input's id; its hint and problems are `<id>-hint` and `<id>-problems`. */
  readonly id: string;
  /** The server's minimum for this kind of account; only a hint here, the server decides. */
  readonly minLength: number;
  readonly texts: SetPasswordTexts;
  /** Fields shown before the new password (the profile's current password). */
  readonly leadingFields?: readonly HTMLElement[];
  /** Checks the leading fields before anything is sent; false keeps the form from being sent. */
  readonly checkLeadingFields?: () => boolean;
  /** The page's language, for the server's reasons (functions/domain/password-policy.ts words them in each). */
  readonly locale: string;
  readonly showError: (text: string) => void;
  readonly clearMessage: () => void;
  /** Sends the new password; when it resolves, the form is emptied for the page to say what happened or move on. */
  readonly send: (newPassword: string) => Promise<void>;
  /** The link has been used, has expired or is cut off: the page says so (`text`) and offers what it can. */
  readonly onLinkUnusable?: (text: string) => void;
  /** What to say about any other failure. */
  readonly errorText: (error: unknown) => string;
}

export function setPasswordForm(options: SetPasswordFormOptions): HTMLFormElement {
  const { texts: t } = options;
  const password = newPasswordField(options.id, options.minLength, t);
  const submit = submitButton(t.submit, t.submitting);
  const form = h(
    'form',
    { class: 'login-form', novalidate: true },
    ...(options.leadingFields ?? []),
    password.element,
    submit.button,
  );

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.button.disabled) {
      return;
    }
    if (options.checkLeadingFields && !options.checkLeadingFields()) {
      return;
    }
    if (password.input.value === '') {
      password.showProblems([t.missingPassword]);
      return;
    }
    password.clearProblems();
    options.clearMessage();
    submit.setBusy(form, true);
    try {
      await options.send(password.input.value);
      // Passwords are not left in a form that stays on the page.
      form.reset();
      submit.setBusy(form, false);
      return;
    } catch (error) {
      const { onLinkUnusable } = options;
      if (error instanceof ApiError && error.code === 'password_rejected') {
        const reasons = rejectionTexts(error.details, options.locale);
        password.showProblems(reasons.length > 0 ? reasons : [t.rejectedFallback], t.rejected);
      } else if (error instanceof ApiError && error.code === 'link_invalid' && onLinkUnusable && t.linkInvalid) {
        onLinkUnusable(t.linkInvalid);
      } else if (error instanceof ApiError && error.code === 'link_malformed' && onLinkUnusable && t.linkMalformed) {
        onLinkUnusable(t.linkMalformed);
      } else {
        options.showError(options.errorText(error));
      }
    }
    submit.setBusy(form, false);
  });

  return form;
}

interface NewPasswordField {
  readonly input: HTMLInputElement;
  /** The whole field: label, input with its show/hide button, hint, and the place for the problems. */
  readonly element: HTMLElement;
  /** Lists what is wrong with the password (under `title`, if given) and puts the cursor back in the field. */
  showProblems(lines: readonly string[], title?: string): void;
  clearProblems(): void;
}

function newPasswordField(id: string, minLength: number, texts: SetPasswordTexts): NewPasswordField {
  const hintId = `${id}-hint`;
  const problemsId = `${id}-problems`;
  const input = h('input', {
    id,
    name: 'new-password',
    type: 'password',
    autocomplete: 'new-password',
    minlength: minLength,
    required: true,
    'aria-describedby': hintId,
  });
  const problems = h('div', { class: 'field-problems', id: problemsId, role: 'alert' });

  return {
    input,
    element: h(
      'div',
      { class: 'field' },
      h('label', { for: id }, texts.newPassword),
      passwordWithToggle(input, texts),
      h('p', { class: 'hint', id: hintId }, texts.hint),
      problems,
    ),
    showProblems(lines, title) {
      replaceChildren(problems, title && h('p', {}, title), h('ul', {}, ...lines.map((line) => h('li', {}, line))));
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', `${hintId} ${problemsId}`);
      input.focus();
    },
    clearProblems() {
      replaceChildren(problems);
      input.removeAttribute('aria-invalid');
      input.setAttribute('aria-describedby', hintId);
    },
  };
}

/** A password input with its show/hide button (paste and checking what one typed both help people choose long ones). */
export function passwordWithToggle(
  input: HTMLInputElement,
  texts: Pick<SetPasswordTexts, 'show' | 'hide'>,
): HTMLElement {
  return h('div', { class: 'password-input' }, input, showHideButton(input, texts));
}

function showHideButton(input: HTMLInputElement, texts: Pick<SetPasswordTexts, 'show' | 'hide'>): HTMLButtonElement {
  const toggle = h(
    'button',
    { type: 'button', class: 'button button-ghost', 'aria-controls': input.id, 'aria-pressed': 'false' },
    texts.show,
  );
  toggle.addEventListener('click', () => {
    const showing = input.type === 'text';
    input.type = showing ? 'password' : 'text';
    toggle.textContent = showing ? texts.show : texts.hide;
    toggle.setAttribute('aria-pressed', String(!showing));
  });
  return toggle;
}
