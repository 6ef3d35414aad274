import { ApiError, api, type CustomerSummary, type Session, type Tenant } from '../api';
import { chosenCompany, rememberChosenCompany } from '../chosen-company';
import { h, replaceChildren } from '../dom';
import { messages } from '../i18n';
import { type DocumentRow, type DocumentsTable, documentsTable } from './documents-table';
import type { View } from './view';

const PAGE_SIZE = 50;

export interface DocumentsViewOptions {
  readonly session: Session;
  readonly tenant: Tenant | undefined;
  /** Called when the API says the session has ended; the shell then shows the login page again. */
  readonly onSessionEnded: () => void;
}

/** The list of invoice bases of one customer company, with download, paging and a company switcher. */
export function documentsView(options: DocumentsViewOptions): View {
  const t = messages.documents;
  const { session } = options;
  const heading = h('h1', { id: 'documents-heading', tabindex: -1 }, t.title);
  const announcer = h('p', { class: 'visually-hidden', 'aria-live': 'polite', 'aria-atomic': 'true' });
  const content = h('div', { class: 'documents-content' });
  const more = h('div', { class: 'documents-more' });

  const firstCustomer = session.customers[0];
  if (!firstCustomer) {
    replaceChildren(content, h('p', { class: 'message message-info' }, t.noCustomers));
  }

  let customer = chosenCompany(session.customers) ?? firstCustomer;
  let table: DocumentsTable | undefined;
  let nextCursor: string | undefined;
  // Responses to an older request (e.g. before switching company) are ignored.
  let currentRequest = 0;

  const failed = (error: unknown): boolean => {
    if (error instanceof ApiError && error.isUnauthenticated) {
      options.onSessionEnded();
      return true;
    }
    return false;
  };

  const renderMore = (): void => {
    if (nextCursor === undefined) {
      replaceChildren(more);
      return;
    }
    const button = h('button', { type: 'button', class: 'button button-secondary' }, t.showMore);
    button.addEventListener('click', () => void loadMore(button));
    replaceChildren(more, button);
  };

  const loadFirstPage = async (selected: CustomerSummary): Promise<void> => {
    const request = ++currentRequest;
    table = undefined;
    nextCursor = undefined;
    replaceChildren(more);
    content.setAttribute('aria-busy', 'true');
    replaceChildren(
      content,
      h('p', { class: 'loading' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), t.loading),
    );
    try {
      const page = await api.listDocuments(selected.id, { limit: PAGE_SIZE });
      if (request !== currentRequest) {
        return;
      }
      nextCursor = page.nextCursor;
      if (page.items.length === 0) {
        replaceChildren(
          content,
          h('div', { class: 'empty-state' }, h('p', { class: 'empty-state-title' }, t.empty), h('p', {}, t.emptyHint)),
        );
      } else {
        table = documentsTable({ caption: t.caption(selected.name), onDownload: (row) => void download(row) });
        table.append(page.items);
        replaceChildren(content, table.element);
      }
      renderMore();
      announcer.textContent = page.items.length === 0 ? t.empty : t.loaded(page.items.length, selected.name);
    } catch (error) {
      if (request !== currentRequest || failed(error)) {
        return;
      }
      const retry = h('button', { type: 'button', class: 'button button-secondary' }, messages.tryAgain);
      retry.addEventListener('click', () => void loadFirstPage(selected));
      replaceChildren(
        content,
        h('div', { class: 'error-state', role: 'alert' }, h('p', {}, errorText(error, t.loadError)), retry),
      );
    } finally {
      if (request === currentRequest) {
        content.removeAttribute('aria-busy');
      }
    }
  };

  const loadMore = async (button: HTMLButtonElement): Promise<void> => {
    if (!customer || nextCursor === undefined || button.getAttribute('aria-disabled') === 'true') {
      return;
    }
    const request = currentRequest;
    button.setAttribute('aria-disabled', 'true');
    button.textContent = t.loadingMore;
    try {
      const page = await api.listDocuments(customer.id, { limit: PAGE_SIZE, cursor: nextCursor });
      if (request !== currentRequest || !table) {
        return;
      }
      const rows = table.append(page.items);
      nextCursor = page.nextCursor;
      announcer.textContent = t.moreLoaded(rows.length);
      if (nextCursor === undefined) {
        // The button disappears: continue where the new rows start instead of losing focus to the page.
        replaceChildren(more);
        rows[0]?.downloadButton.focus();
      } else {
        button.removeAttribute('aria-disabled');
        button.textContent = t.showMore;
      }
    } catch (error) {
      if (failed(error)) {
        return;
      }
      button.removeAttribute('aria-disabled');
      button.textContent = t.showMore;
      announcer.textContent = errorText(error, t.loadError);
    }
  };

  const download = async (row: DocumentRow): Promise<void> => {
    if (!customer) {
      return;
    }
    row.setBusy(true);
    try {
      const link = await api.requestDownload(customer.id, row.document.id);
      // The link answers with Content-Disposition: attachment, so the browser saves the file and stays on this page.
      window.location.assign(link.url);
      row.markDownloaded({ at: new Date().toISOString(), contactName: session.contact.name });
      announcer.textContent = t.downloadStarted(link.fileName);
    } catch (error) {
      if (failed(error)) {
        return;
      }
      const notFound = error instanceof ApiError && error.status === 404;
      row.showError(notFound ? t.downloadNotFound : errorText(error, t.downloadError));
    } finally {
      row.setBusy(false);
    }
  };

  const element = h(
    'section',
    { class: 'documents', 'aria-labelledby': 'documents-heading' },
    h('div', { class: 'page-heading' }, heading, customer && customerPicker(session.customers, customer, switchTo)),
    h('p', { class: 'lead' }, t.intro(options.tenant?.name)),
    announcer,
    content,
    more,
  );

  function switchTo(selected: CustomerSummary): void {
    customer = selected;
    rememberChosenCompany(selected.id);
    void loadFirstPage(selected);
  }

  return {
    title: t.title,
    element,
    focusTarget: heading,
    onMount: () => {
      if (customer) {
        void loadFirstPage(customer);
      }
    },
  };
}

/** A `<select>` when the contact acts for several companies; otherwise just the company's name. */
function customerPicker(
  customers: readonly CustomerSummary[],
  selected: CustomerSummary,
  onChange: (customer: CustomerSummary) => void,
): HTMLElement {
  const label = messages.documents.customer;
  if (customers.length < 2) {
    return h('p', { class: 'customer-name' }, h('span', { class: 'customer-label' }, `${label}: `), selected.name);
  }
  const select = h(
    'select',
    { id: 'customer-select', name: 'customer' },
    ...customers.map((customer) =>
      h('option', { value: customer.id, selected: customer.id === selected.id }, customer.name),
    ),
  );
  select.addEventListener('change', () => {
    const customer = customers.find((candidate) => candidate.id === select.value);
    if (customer) {
      onChange(customer);
    }
  });
  return h(
    'div',
    { class: 'field field-inline customer-picker' },
    h('label', { for: 'customer-select' }, label),
    select,
  );
}

function errorText(error: unknown, fallback: string): string {
  return error instanceof ApiError && error.code === 'network_error' ? messages.networkError : fallback;
}
