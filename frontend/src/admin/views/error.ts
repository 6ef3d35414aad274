import { h } from '../../dom';
import { adminMessages } from '../../i18n/admin';
import type { View } from '../../views/view';

/** Shown when the admin pages cannot start (e.g. the API is unreachable), with a way to try again. */
export function errorView(text: string, onRetry: () => void): View {
  const heading = h('h1', { id: 'admin-error-heading', tabindex: -1 }, adminMessages.areaName);
  const retry = h('button', { type: 'button', class: 'button button-primary' }, adminMessages.tryAgain);
  retry.addEventListener('click', onRetry);
  return {
    title: adminMessages.areaName,
    element: h(
      'section',
      { class: 'card error-card', 'aria-labelledby': 'admin-error-heading' },
      heading,
      h('div', { class: 'error-state', role: 'alert' }, h('p', {}, text)),
      retry,
    ),
    focusTarget: heading,
  };
}
