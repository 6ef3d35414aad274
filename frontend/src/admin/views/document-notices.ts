import { h, replaceChildren } from '../../dom';
import { formatInstant } from '../../format';
import { adminMessages } from '../../i18n/admin';
import { ApiError, adminApi, type DocumentNotices } from '../api';
import { writeControl } from '../write-controls';
import { fallbackErrorText } from './form-parts';

export interface DocumentNoticesOptions {
  readonly customerId: string;
  readonly documentId: string;
  readonly invoiceNumber: string;
  /** Whether the contacts see the document now: only then is there anything to tell them, so only then a resend. */
  readonly visibleToContacts: () => boolean;
  /** True when the error ended the session (the caller then shows the login); the panel then does nothing more. */
  readonly failed: (error: unknown) => boolean;
}

/**
 * A document's e-mail notices (functions/use-cases/send-publication-notices.ts), behind a toggle button: each batch
 * that told of it, every recipient with where their mail stands, and "send again" for a contact who says it never
 * came. The panel loads when it is first opened.
 */
export function documentNotices(options: DocumentNoticesOptions): {
  readonly button: HTMLButtonElement;
  readonly panel: HTMLElement;
} {
  const t = adminMessages.notices;
  const panel = h('div', { class: 'notices', id: `notices-${options.documentId}`, hidden: true });
  const said = h('p', { class: 'visually-hidden', role: 'status' });
  const button = h(
    'button',
    {
      type: 'button',
      class: 'button button-ghost',
      'aria-label': t.showLabel(options.invoiceNumber),
      'aria-expanded': 'false',
      'aria-controls': panel.id,
    },
    t.show,
  );

  const render = (notices: DocumentNotices, error?: string) => {
    const resend = writeControl(
      h(
        'button',
        { type: 'button', class: 'button button-secondary', 'aria-label': t.resendLabel(options.invoiceNumber) },
        t.resend,
      ),
    );
    resend.addEventListener('click', async () => {
      resend.disabled = true;
      try {
        const answer = await adminApi.resendNotice(options.customerId, options.documentId);
        const newest = answer.batches[0];
        render(answer);
        said.textContent = t.resent(newest?.deliveries.filter((delivery) => delivery.state === 'sent').length ?? 0);
      } catch (caught) {
        if (options.failed(caught)) return;
        resend.disabled = false;
        render(
          notices,
          caught instanceof ApiError && caught.status === 409 ? caught.message : fallbackErrorText(caught),
        );
      }
    });
    replaceChildren(
      panel,
      h('p', { class: 'downloads-title' }, t.title(options.invoiceNumber)),
      h('p', { class: 'notices-intro' }, t.intro),
      notices.waiting && h('p', {}, t.waiting),
      notices.batches.length === 0 && !notices.waiting && h('p', {}, t.none),
      ...notices.batches.map((batch) =>
        h(
          'div',
          { class: 'notice-batch' },
          h(
            'p',
            { class: 'notice-batch-title' },
            t.batch(batch.reason, formatInstant(batch.createdAt), batch.documentCount),
          ),
          batch.deliveries.length === 0
            ? h('p', {}, t.noRecipients)
            : h(
                'ul',
                {},
                ...batch.deliveries.map((delivery) =>
                  h(
                    'li',
                    {},
                    `${delivery.contactName}: ${t.state[delivery.state] ?? delivery.state}`,
                    delivery.updatedAt && ` ${formatInstant(delivery.updatedAt)}`,
                    delivery.reason && h('span', { class: 'download-by' }, delivery.reason),
                  ),
                ),
              ),
        ),
      ),
      options.visibleToContacts() && !notices.waiting && resend,
      error && h('p', { class: 'row-error', role: 'alert' }, error),
      said,
    );
  };

  const open = async () => {
    button.disabled = true;
    try {
      render(await adminApi.listNotices(options.customerId, options.documentId));
      panel.hidden = false;
      button.setAttribute('aria-expanded', 'true');
    } catch (caught) {
      if (options.failed(caught)) return;
      replaceChildren(panel, h('p', { class: 'row-error', role: 'alert' }, fallbackErrorText(caught)));
      panel.hidden = false;
    } finally {
      button.disabled = false;
    }
  };

  button.addEventListener('click', () => {
    if (button.getAttribute('aria-expanded') === 'true') {
      panel.hidden = true;
      button.setAttribute('aria-expanded', 'false');
      return;
    }
    void open();
  });
  return { button, panel };
}
