import { h } from '../dom';
import { messages } from '../i18n';
import type { View } from './view';

/** Shown when the portal cannot start (e.g. the API is unreachable), with a way to try again. */
export function errorView(text: string, onRetry: () => void): View {
  const heading = h('h1', { id: 'error-heading', tabindex: -1 }, messages.productName);
  const retry = h('button', { type: 'button', class: 'button button-primary' }, messages.tryAgain);
  retry.addEventListener('click', onRetry);
  return {
    title: messages.productName,
    element: h(
      'section',
      { class: 'card error-card', 'aria-labelledby': 'error-heading' },
      heading,
      h('div', { class: 'error-state', role: 'alert' }, h('p', {}, text)),
      retry,
    ),
    focusTarget: heading,
  };
}
