import { DOCUMENT_TYPES } from '../../../../functions/domain/invoice-basis';
import { h, replaceChildren } from '../../dom';
import { adminMessages } from '../../i18n/admin';
import type { View } from '../../views/view';
import { type AdminProfile, adminApi, type CustomerSummary } from '../api';
import { writeControl } from '../write-controls';
import { adminTable, fallbackErrorText, loadingPlace, sessionGuard, stepHeading } from './form-parts';

export interface CustomersViewOptions {
  readonly profile: AdminProfile;
  /** Opens a customer's documents (a real link too: it can be opened in a new tab). */
  readonly onOpenCustomer: (customer: CustomerSummary) => void;
  readonly onSessionEnded: () => void;
}

/**
 * The admin pages' start: the clinic's customer companies and whether each has portal access, switched with one
 * button per row (its name says what it will do, for whom); each links to the company's documents.
 */
export function customersView(options: CustomersViewOptions): View {
  const t = adminMessages.customers;
  const heading = stepHeading('admin-customers-heading', t.title);
  const content = loadingPlace();
  const announcer = h('p', { class: 'visually-hidden', 'aria-live': 'polite', 'aria-atomic': 'true' });

  const failed = sessionGuard(options.onSessionEnded);

  const row = (initial: CustomerSummary): HTMLTableRowElement => {
    let customer = initial;
    const state = h('span', {});
    const toggle = writeControl(h('button', { type: 'button', class: 'button button-secondary' }));
    const error = h('span', { class: 'row-error', role: 'alert' });
    const render = () => {
      replaceChildren(
        state,
        h(
          'span',
          { class: customer.portalAccess ? 'badge badge-new' : 'badge badge-muted' },
          customer.portalAccess ? t.accessOn : t.accessOff,
        ),
        // Said here too, so a list of companies shows which ones see only some of their documents.
        customer.shownDocumentTypes.length < DOCUMENT_TYPES.length &&
          h(
            'span',
            { class: 'download-by' },
            t.onlyTypes(
              customer.shownDocumentTypes
                .map((type) => adminMessages.documents.documentTypes[type]?.toLowerCase() ?? type)
                .join(', '),
            ),
          ),
      );
      toggle.textContent = customer.portalAccess ? t.turnOffShort : t.turnOnShort;
      toggle.setAttribute('aria-label', customer.portalAccess ? t.turnOff(customer.name) : t.turnOn(customer.name));
    };
    toggle.addEventListener('click', async () => {
      toggle.disabled = true;
      replaceChildren(error);
      try {
        customer = await adminApi.changeCustomer(customer.id, { portalAccess: !customer.portalAccess });
        render();
        announcer.textContent = t.accessChanged(customer.name, customer.portalAccess);
      } catch (caught) {
        if (failed(caught)) return;
        error.textContent = fallbackErrorText(caught);
      } finally {
        toggle.disabled = false;
      }
    });
    render();
    const link = h('a', { href: `/admin/kunder/${customer.id}`, class: 'text-link' }, customer.name);
    link.setAttribute('aria-label', t.documents(customer.name));
    link.addEventListener('click', (event) => {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      options.onOpenCustomer(customer);
    });
    return h(
      'tr',
      {},
      h('th', { scope: 'row' }, link),
      h('td', {}, customer.customerNumber),
      h('td', {}, customer.orgNumber),
      h('td', {}, state),
      h('td', { class: 'col-actions' }, toggle, error),
    );
  };

  const load = async (): Promise<void> => {
    try {
      const customers = await adminApi.listCustomers();
      if (customers.length === 0) {
        replaceChildren(content, h('div', { class: 'empty-state' }, h('p', { class: 'empty-state-title' }, t.empty)));
        return;
      }
      const rows = customers.map((customer) => ({ customer, element: row(customer) }));
      const search = h('input', { id: 'customer-search', type: 'search', autocomplete: 'off' });
      const count = h(
        'p',
        { class: 'search-count', 'aria-live': 'polite' },
        t.matches(customers.length, customers.length),
      );
      const noMatches = h('p', { class: 'empty-state-title', hidden: true }, t.noMatches);
      // The clinic's whole list is here already (a few thousand at most): searching it needs no round trip.
      search.addEventListener('input', () => {
        const words = search.value.toLocaleLowerCase('sv').split(/\s+/u).filter(Boolean);
        let shown = 0;
        for (const { customer, element } of rows) {
          const haystack = `${customer.name} ${customer.customerNumber} ${customer.orgNumber}`.toLocaleLowerCase('sv');
          element.hidden = !words.every((word) => haystack.includes(word));
          if (!element.hidden) shown += 1;
        }
        count.textContent = t.matches(shown, customers.length);
        noMatches.hidden = shown > 0;
      });
      replaceChildren(
        content,
        h('div', { class: 'field customer-search' }, h('label', { for: 'customer-search' }, t.search), search),
        count,
        noMatches,
        adminTable(
          t.caption,
          [
            t.name,
            t.customerNumber,
            t.orgNumber,
            t.access,
            h('span', { class: 'visually-hidden' }, adminMessages.documents.actions),
          ],
          h('tbody', {}, ...rows.map(({ element }) => element)),
        ),
      );
    } catch (error) {
      if (failed(error)) return;
      const retry = h('button', { type: 'button', class: 'button button-secondary' }, adminMessages.tryAgain);
      retry.addEventListener('click', () => void load());
      replaceChildren(
        content,
        h('div', { class: 'error-state', role: 'alert' }, h('p', {}, fallbackErrorText(error)), retry),
      );
    } finally {
      content.removeAttribute('aria-busy');
    }
  };

  return {
    title: t.title,
    element: h(
      'section',
      { class: 'admin-page', 'aria-labelledby': 'admin-customers-heading' },
      heading,
      h(
        'p',
        { class: 'lead', id: 'admin-signed-in' },
        adminMessages.home.signedIn(options.profile.admin.name, options.profile.clinic.name),
      ),
      h('p', {}, t.intro),
      announcer,
      content,
    ),
    focusTarget: heading,
    onMount: () => void load(),
  };
}
