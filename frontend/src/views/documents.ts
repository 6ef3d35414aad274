import { ApiError, api, type CustomerSummary, type ListDocumentsOptions, type Session, type Tenant } from '../api';
import { chosenCompany, rememberChosenCompany } from '../chosen-company';
import { h, replaceChildren } from '../dom';
import { messages } from '../i18n';
import { type DocumentRow, type DocumentsTable, documentsTable } from './documents-table';
import type { View } from './view';
import { openInBrowserButton, zipDownloadControl } from './zip-download';

const PAGE_SIZE = 50;

export interface DocumentsViewOptions {
  readonly session: Session;
  readonly tenant: Tenant | undefined;
  /** Called when the API says the session has ended; the shell then shows the login page again. */
  readonly onSessionEnded: () => void;
}

/**
 * What the list shows, kept in the address bar (`?year=2024&period=2024-03&status=new&sort=oldest`, or
 * `?invoiceNumber=…` for a search) so that reloading and the back button keep it. `year` undefined is the default,
 * the latest year with documents: it stays out of the address, so a plain address always opens the latest year;
 * `'all'` is every year.
 */
interface ListState {
  readonly year: number | 'all' | undefined;
  readonly period: string | undefined;
  readonly status: 'new' | 'downloaded' | undefined;
  readonly sort: 'newest' | 'oldest';
  readonly invoiceNumber: string | undefined;
}

const INVOICE_NUMBER = /^[^#\s]{1,40}$/u;

function stateFromUrl(search: string): ListState {
  const query = new URLSearchParams(search);
  const year = query.get('year');
  const period = query.get('period');
  const status = query.get('status');
  const invoiceNumber = query.get('invoiceNumber');
  const parsedYear = year === 'all' ? 'all' : year && /^\d{4}$/u.test(year) ? Number(year) : undefined;
  return {
    year: parsedYear,
    // A month only together with its year (the period chooser lists the months of the chosen year).
    period:
      typeof parsedYear === 'number' && period && new RegExp(`^${parsedYear}-(0[1-9]|1[0-2])$`, 'u').test(period)
        ? period
        : undefined,
    status: status === 'new' || status === 'downloaded' ? status : undefined,
    sort: query.get('sort') === 'oldest' ? 'oldest' : 'newest',
    invoiceNumber: invoiceNumber && INVOICE_NUMBER.test(invoiceNumber) ? invoiceNumber : undefined,
  };
}

function urlOf(state: ListState): string {
  const query = new URLSearchParams();
  if (state.invoiceNumber !== undefined) {
    query.set('invoiceNumber', state.invoiceNumber);
  } else {
    if (state.year !== undefined) query.set('year', String(state.year));
    if (state.period !== undefined) query.set('period', state.period);
    if (state.status !== undefined) query.set('status', state.status);
  }
  if (state.sort === 'oldest') query.set('sort', 'oldest');
  const search = query.toString();
  return `${window.location.pathname}${search ? `?${search}` : ''}${window.location.hash}`;
}

/** The API query for a state: a search looks in every year, the filters apply otherwise. */
function listOptions(state: ListState, years: readonly number[]): ListDocumentsOptions {
  if (state.invoiceNumber !== undefined) {
    return { invoiceNumber: state.invoiceNumber };
  }
  const year = effectiveYear(state, years);
  return {
    sort: state.sort,
    ...(typeof year === 'number' ? { year } : {}),
    ...(state.period === undefined ? {} : { period: state.period }),
    ...(state.status === undefined ? {} : { status: state.status }),
  };
}

/** The year shown: the chosen one, else the latest with documents, else all (a company without documents yet). */
function effectiveYear(state: ListState, years: readonly number[]): number | 'all' {
  return state.year ?? years[0] ?? 'all';
}

/**
 * A filtered page may come back empty with a cursor (the server reads a bounded part of the list per request);
 * the first page keeps asking until it has a row or the list ends, at most this many times.
 */
const MAX_EMPTY_PAGES = 20;

/** The list of invoice bases of one customer company: filters, search, sorting, selection, download and paging. */
export function documentsView(options: DocumentsViewOptions): View {
  const t = messages.documents;
  const l = messages.documentList;
  const { session } = options;
  const heading = h('h1', { id: 'documents-heading', tabindex: -1 }, t.title);
  const announcer = h('p', { class: 'visually-hidden', 'aria-live': 'polite', 'aria-atomic': 'true' });
  const controls = h('div', { class: 'documents-controls' });
  const searchStatus = h('div', { class: 'search-status' });
  // Above the table: the ZIP downloads (./zip-download.ts) of the year shown and of the ticked rows.
  const toolbar = h('div', { class: 'documents-toolbar', role: 'group', 'aria-label': l.toolbar });
  const content = h('div', { class: 'documents-content' });
  /** The list's place while rows are on their way: from the first frame on, so the page never jumps on load. */
  const showLoading = (): void => {
    content.setAttribute('aria-busy', 'true');
    replaceChildren(
      content,
      h('p', { class: 'loading' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), t.loading),
    );
  };
  const more = h('div', { class: 'documents-more' });

  const firstCustomer = session.customers[0];
  if (firstCustomer) {
    showLoading();
  } else {
    replaceChildren(content, h('p', { class: 'message message-info' }, t.noCustomers));
  }

  let customer = chosenCompany(session.customers) ?? firstCustomer;
  let state = stateFromUrl(window.location.search);
  let years: readonly number[] = [];
  /**
   * Until the years have arrived, "all years" is only a placeholder: the hint that months need a year waits too, so
   * it does not flash up and vanish (moving everything below it) on every load.
   */
  let yearsKnown = false;
  let table: DocumentsTable | undefined;
  let nextCursor: string | undefined;
  // Responses to an older request (e.g. before switching company or filter) are ignored.
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

  /** Moves to a new state: a new history entry (back returns to the previous filter), then the list again. */
  const applyState = (next: ListState, focusAfter?: 'sort'): void => {
    state = next;
    window.history.pushState(null, '', urlOf(state));
    renderControls();
    if (customer) {
      void loadFirstPage(customer, focusAfter);
    }
  };

  const renderControls = (): void => {
    replaceChildren(controls, filtersForm(), searchForm());
    replaceChildren(
      searchStatus,
      state.invoiceNumber !== undefined &&
        h('p', { class: 'search-result' }, l.searchResult(state.invoiceNumber), ' ', clearSearchButton()),
    );
  };

  const clearSearchButton = (): HTMLButtonElement => {
    const clear = h('button', { type: 'button', class: 'button button-ghost' }, l.clearSearch);
    clear.addEventListener('click', () => {
      applyState({ ...state, invoiceNumber: undefined });
      document.getElementById('invoice-number-search')?.focus();
    });
    return clear;
  };

  const filtersForm = (): HTMLElement => {
    const shownYear = effectiveYear(state, years);
    const yearSelect = h(
      'select',
      { id: 'filter-year', name: 'year' },
      h('option', { value: 'all', selected: shownYear === 'all' }, l.allYears),
      ...years.map((year) => h('option', { value: String(year), selected: shownYear === year }, String(year))),
    );
    yearSelect.addEventListener('change', () => {
      const year = yearSelect.value === 'all' ? 'all' : Number(yearSelect.value);
      // A month belongs to its year: a new year starts with all its months.
      applyState({ ...state, year, period: undefined, invoiceNumber: undefined });
      document.getElementById('filter-year')?.focus();
    });

    const chosenYear = typeof shownYear === 'number' ? shownYear : undefined;
    const periodSelect = h(
      'select',
      {
        id: 'filter-period',
        name: 'period',
        disabled: chosenYear === undefined,
        ...(chosenYear === undefined && yearsKnown ? { 'aria-describedby': 'filter-period-hint' } : {}),
      },
      h('option', { value: '', selected: state.period === undefined }, l.allPeriods),
      ...(chosenYear === undefined
        ? []
        : l.months.map((name, index) => {
            const value = `${chosenYear}-${String(index + 1).padStart(2, '0')}`;
            return h('option', { value, selected: state.period === value }, `${name} ${chosenYear}`);
          })),
    );
    periodSelect.addEventListener('change', () => {
      // The month's year becomes explicit, so that the address names both.
      applyState({ ...state, year: chosenYear, period: periodSelect.value || undefined, invoiceNumber: undefined });
      document.getElementById('filter-period')?.focus();
    });

    const statusSelect = h(
      'select',
      { id: 'filter-status', name: 'status' },
      h('option', { value: '', selected: state.status === undefined }, l.allStatuses),
      h('option', { value: 'new', selected: state.status === 'new' }, l.statusNew),
      h('option', { value: 'downloaded', selected: state.status === 'downloaded' }, l.statusDownloaded),
    );
    statusSelect.addEventListener('change', () => {
      const status =
        statusSelect.value === 'new' || statusSelect.value === 'downloaded' ? statusSelect.value : undefined;
      applyState({ ...state, status, invoiceNumber: undefined });
      document.getElementById('filter-status')?.focus();
    });

    const field = (id: string, label: string, control: HTMLElement, hint?: HTMLElement) =>
      h('div', { class: 'field filter-field' }, h('label', { for: id }, label), control, hint);
    return h(
      'fieldset',
      { class: 'documents-filters' },
      h('legend', {}, l.filtersLegend),
      field('filter-year', l.year, yearSelect),
      field(
        'filter-period',
        l.period,
        periodSelect,
        chosenYear === undefined && yearsKnown
          ? h('p', { id: 'filter-period-hint', class: 'field-hint' }, l.periodNeedsYear)
          : undefined,
      ),
      field('filter-status', l.status, statusSelect),
    );
  };

  const searchForm = (): HTMLElement => {
    const input = h('input', {
      id: 'invoice-number-search',
      name: 'invoiceNumber',
      type: 'search',
      autocomplete: 'off',
      spellcheck: false,
      maxlength: 40,
      value: state.invoiceNumber ?? '',
      'aria-describedby': 'invoice-number-hint',
    });
    const error = h('p', { id: 'invoice-number-error', class: 'field-error', 'aria-live': 'polite' });
    const form = h(
      'form',
      { class: 'documents-search', role: 'search', novalidate: true },
      h(
        'div',
        { class: 'field filter-field' },
        h('label', { for: 'invoice-number-search' }, l.search),
        h('p', { id: 'invoice-number-hint', class: 'field-hint' }, l.searchHint),
        h(
          'div',
          { class: 'search-row' },
          input,
          h('button', { type: 'submit', class: 'button button-primary' }, l.searchButton),
        ),
        error,
      ),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const invoiceNumber = input.value.trim();
      if (invoiceNumber === '') {
        if (state.invoiceNumber !== undefined) {
          applyState({ ...state, invoiceNumber: undefined });
        }
        return;
      }
      if (!INVOICE_NUMBER.test(invoiceNumber)) {
        input.setAttribute('aria-invalid', 'true');
        input.setAttribute('aria-describedby', 'invoice-number-hint invoice-number-error');
        error.textContent = l.searchInvalid;
        return;
      }
      applyState({ ...state, invoiceNumber });
      document.getElementById('invoice-number-search')?.focus();
    });
    return form;
  };

  /** The years, then the state's default year (the latest with documents), then the first page. */
  const loadYearsAndList = async (selected: CustomerSummary): Promise<void> => {
    const request = ++currentRequest;
    yearsKnown = false;
    // The filters take their place at once (their year choices follow), so that nothing below them jumps down when
    // the years arrive: a layout shift is disorienting, and Lighthouse counts it.
    renderControls();
    try {
      years = (await api.listDocumentYears(selected.id)).years;
    } catch (error) {
      if (failed(error)) {
        return;
      }
      // The list works without the year chooser's choices: all years are shown.
      years = [];
    }
    if (request !== currentRequest) {
      return;
    }
    yearsKnown = true;
    if (typeof state.year === 'number' && !years.includes(state.year)) {
      // A year from an old address that has no documents (any more): back to the default.
      state = { ...state, year: undefined, period: undefined };
      window.history.replaceState(null, '', urlOf(state));
    }
    renderControls();
    await loadFirstPage(selected);
  };

  const loadFirstPage = async (selected: CustomerSummary, focusAfter?: 'sort'): Promise<void> => {
    const request = ++currentRequest;
    const shown = state;
    table = undefined;
    nextCursor = undefined;
    replaceChildren(more);
    showLoading();
    try {
      let page = await api.listDocuments(selected.id, { ...listOptions(shown, years), limit: PAGE_SIZE });
      for (let round = 1; page.items.length === 0 && page.nextCursor && round < MAX_EMPTY_PAGES; round += 1) {
        page = await api.listDocuments(selected.id, {
          ...listOptions(shown, years),
          limit: PAGE_SIZE,
          cursor: page.nextCursor,
        });
      }
      if (request !== currentRequest) {
        return;
      }
      nextCursor = page.nextCursor;
      const filtered = shown.invoiceNumber !== undefined || shown.status !== undefined || shown.period !== undefined;
      if (page.items.length === 0) {
        const [title, hint] =
          shown.invoiceNumber !== undefined
            ? [l.searchNotFound(shown.invoiceNumber), undefined]
            : filtered || years.length > 0
              ? [l.noMatches, l.noMatchesHint]
              : [t.empty, t.emptyHint];
        replaceChildren(
          content,
          h('div', { class: 'empty-state' }, h('p', { class: 'empty-state-title' }, title), hint && h('p', {}, hint)),
        );
        announcer.textContent = title;
      } else {
        table = documentsTable({
          caption: shown.sort === 'oldest' ? l.captionOldest(selected.name) : l.captionNewest(selected.name),
          sort: shown.sort,
          onSort: () => applyState({ ...state, sort: state.sort === 'newest' ? 'oldest' : 'newest' }, 'sort'),
          onDownload: (row) => void download(row),
          rowAction: (document) =>
            openInBrowserButton({
              customerId: selected.id,
              documentId: document.id,
              invoiceNumber: document.invoiceNumber,
              onResult: (result) => {
                announcer.textContent =
                  'fileName' in result
                    ? messages.zipDownload.opened(result.fileName)
                    : errorText(result.error, t.downloadError);
              },
            }),
        });
        table.append(page.items);
        const shownTable = table;
        const zipYear = effectiveYear(shown, years);
        replaceChildren(
          toolbar,
          zipDownloadControl({
            customerId: selected.id,
            // A search result is not a year: then only the ticked rows are downloaded together.
            year: shown.invoiceNumber === undefined && typeof zipYear === 'number' ? String(zipYear) : undefined,
            selectedIds: () => shownTable.selectedIds(),
            onSessionEnded: options.onSessionEnded,
          }),
        );
        // The toolbar belongs to the table it acts on: it comes and goes with it, inside the content, so that its
        // arrival never pushes down what was already on the screen (a layout shift, which Lighthouse counts too).
        replaceChildren(content, toolbar, table.element);
        announcer.textContent = [
          focusAfter === 'sort' ? l.sorted(shown.sort) : '',
          t.loaded(page.items.length, selected.name),
          nextCursor === undefined ? '' : l.moreAvailable,
        ]
          .filter(Boolean)
          .join(' ');
        if (focusAfter === 'sort') {
          table.sortButton.focus();
        }
      }
      renderMore();
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
      const page = await api.listDocuments(customer.id, {
        ...listOptions(state, years),
        limit: PAGE_SIZE,
        cursor: nextCursor,
      });
      if (request !== currentRequest || !table) {
        return;
      }
      const rows = table.append(page.items);
      nextCursor = page.nextCursor;
      announcer.textContent = t.moreLoaded(rows.length);
      if (nextCursor === undefined) {
        // The button disappears: continue where the new rows start instead of losing focus to the page.
        replaceChildren(more);
        (rows[0]?.downloadButton ?? heading).focus();
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
    customer && controls,
    searchStatus,
    announcer,
    content,
    more,
  );

  function switchTo(selected: CustomerSummary): void {
    customer = selected;
    rememberChosenCompany(selected.id);
    // Another company has other years: start again at its latest year, without a search.
    state = { ...state, year: undefined, period: undefined, invoiceNumber: undefined };
    void loadYearsAndList(selected);
  }

  // Back and forward between filters change only the query: this view follows them (the shell follows paths).
  const onPopState = (): void => {
    if (!element.isConnected) {
      window.removeEventListener('popstate', onPopState);
      return;
    }
    state = stateFromUrl(window.location.search);
    if (customer) {
      void loadYearsAndList(customer);
    }
  };

  return {
    title: t.title,
    element,
    focusTarget: heading,
    onMount: () => {
      window.addEventListener('popstate', onPopState);
      if (customer) {
        void loadYearsAndList(customer);
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
