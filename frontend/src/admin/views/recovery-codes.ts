import { h } from '../../dom';
import { loginCard } from '../../forms';
import { adminMessages } from '../../i18n/admin';
import type { View } from '../../views/view';
import { messageRegion, stepHeading } from './form-parts';

export interface RecoveryCodesOptions {
  readonly codes: readonly string[];
  readonly onDone: () => void;
}

/** The recovery codes, shown this once; the administrator confirms having saved them before going on. */
export function recoveryCodesView(options: RecoveryCodesOptions): View {
  const t = adminMessages.recoveryCodes;
  const heading = stepHeading('admin-recovery-heading', t.title);
  const messages = messageRegion('admin-recovery-message');
  const confirm = h('input', {
    id: 'admin-recovery-saved',
    type: 'checkbox',
    'aria-describedby': 'admin-recovery-message',
  });
  const done = h('button', { type: 'button', class: 'button button-primary button-block' }, t.continue);
  done.addEventListener('click', () => {
    if (!confirm.checked) {
      messages.error(t.mustConfirm);
      confirm.focus();
      return;
    }
    options.onDone();
  });
  confirm.addEventListener('change', () => messages.clear());

  return {
    title: t.title,
    element: loginCard(
      heading,
      h('p', { class: 'lead' }, t.intro),
      h(
        'ul',
        { class: 'recovery-codes', 'aria-label': t.listLabel, id: 'admin-recovery-codes' },
        ...options.codes.map((code) => h('li', {}, h('code', {}, code))),
      ),
      h('label', { class: 'checkbox-field', for: 'admin-recovery-saved' }, confirm, t.confirm),
      messages.element,
      done,
    ),
    focusTarget: heading,
  };
}
