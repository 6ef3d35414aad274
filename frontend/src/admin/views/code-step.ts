import { h, replaceChildren } from '../../dom';
import { field, loginCard, submitButton } from '../../forms';
import { adminMessages } from '../../i18n/admin';
import type { View } from '../../views/view';
import { type AdminProfile, adminApi } from '../api';
import { messageRegion, onCodeSubmit, oneTimeCodeInput, stepHeading } from './form-parts';

export interface CodeStepOptions {
  readonly challengeId: string;
  readonly onLoggedIn: (profile: AdminProfile) => void;
  /** The challenge is gone (expired, used, too many wrong codes): back to the password. */
  readonly onChallengeExpired: () => void;
  readonly onBack: () => void;
}

/**
 * Step 2: the six-digit code from the authenticator app, or — behind "Använd en reservkod" — one of the recovery
 * codes. Switching moves focus to the new field and says which kind of code is asked for.
 */
export function codeStepView(options: CodeStepOptions): View {
  const t = adminMessages.code;
  let useRecoveryCode = false;
  const heading = stepHeading('admin-code-heading', t.title);
  const intro = h('p', { class: 'lead' }, t.intro);
  const messages = messageRegion('admin-code-message');
  const codeInput = oneTimeCodeInput('admin-code');
  const recoveryInput = h('input', {
    id: 'admin-recovery-code',
    name: 'recovery-code',
    type: 'text',
    class: 'code-input',
    autocomplete: 'off',
    autocapitalize: 'none',
    spellcheck: 'false',
    maxlength: 20,
    required: true,
  });
  const fieldSlot = h('div', {}, field('admin-code', t.label, codeInput));
  const submit = submitButton(t.submit, t.submitting);
  const form = h('form', { class: 'login-form', novalidate: true }, fieldSlot, submit.button);
  const toggle = h(
    'button',
    { type: 'button', class: 'link-button', 'aria-controls': 'admin-code-form' },
    t.useRecoveryCode,
  );
  form.id = 'admin-code-form';
  const back = h('button', { type: 'button', class: 'button button-ghost' }, t.back);
  back.addEventListener('click', options.onBack);

  const activeInput = () => (useRecoveryCode ? recoveryInput : codeInput);
  toggle.addEventListener('click', () => {
    useRecoveryCode = !useRecoveryCode;
    heading.textContent = useRecoveryCode ? t.recoveryTitle : t.title;
    intro.textContent = useRecoveryCode ? t.recoveryIntro : t.intro;
    toggle.textContent = useRecoveryCode ? t.useApp : t.useRecoveryCode;
    replaceChildren(
      fieldSlot,
      useRecoveryCode
        ? field('admin-recovery-code', t.recoveryLabel, recoveryInput)
        : field('admin-code', t.label, codeInput),
    );
    messages.clear();
    activeInput().focus();
  });

  onCodeSubmit({
    form,
    submit,
    messages,
    input: activeInput,
    invalidCodeText: () => (useRecoveryCode ? t.invalidRecoveryCode : t.invalidCode),
    send: async (code) =>
      options.onLoggedIn(
        useRecoveryCode
          ? await adminApi.verifyRecoveryCode(options.challengeId, code)
          : await adminApi.verifyCode(options.challengeId, code),
      ),
    onChallengeExpired: options.onChallengeExpired,
  });

  return {
    title: t.title,
    element: loginCard(heading, intro, messages.element, form, toggle, h('p', { class: 'form-footer' }, back)),
    focusTarget: heading,
  };
}
