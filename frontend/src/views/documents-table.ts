import type { DocumentSummary, DownloadReceipt } from '../api';
import { h, replaceChildren, svg } from '../dom';
import { formatAmount, formatDate, formatInstantAsDate, PERIOD_SEPARATOR, periodDates } from '../format';
import { messages } from '../i18n';

/** One rendered row, with the handles the view needs while a download is in progress. */
export interface DocumentRow {
  readonly document: DocumentSummary;
  readonly downloadButton: HTMLButtonElement;
  setBusy(busy: boolean): void;
  markDownloaded(receipt: DownloadReceipt): void;
  showError(text: string): void;
}

export interface DocumentsTable {
  readonly element: HTMLElement;
  /** Adds rows at the end (the list is newest first, so older pages go below). */
  append(documents: readonly DocumentSummary[]): DocumentRow[];
}

export interface DocumentsTableOptions {
  readonly caption: string;
  readonly onDownload: (row: DocumentRow) => void;
}

type Column = keyof typeof messages.documents.columns;

/**
 * The invoice-basis table. On narrow screens CSS lays each row out as a card; because some browsers drop table
 * semantics when `display` changes, the table roles are also set explicitly.
 */
export function documentsTable(options: DocumentsTableOptions): DocumentsTable {
  const columns = messages.documents.columns;
  const headerCell = (column: Column, hidden = false) =>
    h(
      'th',
      { scope: 'col', role: 'columnheader', class: `col-${column}` },
      hidden ? h('span', { class: 'visually-hidden' }, columns[column]) : columns[column],
    );

  const tbody = h('tbody', { role: 'rowgroup' });
  const table = h(
    'table',
    { class: 'documents-table', role: 'table' },
    h('caption', {}, options.caption),
    h(
      'thead',
      { role: 'rowgroup' },
      h(
        'tr',
        { role: 'row' },
        headerCell('invoiceDate'),
        headerCell('period'),
        headerCell('description'),
        headerCell('invoiceNumber'),
        headerCell('amount'),
        headerCell('sentAt'),
        headerCell('status'),
        headerCell('actions', true),
      ),
    ),
    tbody,
  );

  return {
    element: h('div', { class: 'table-wrap' }, table),
    append(documents) {
      const rows = documents.map((document) => documentRow(document, options.onDownload));
      for (const row of rows) {
        tbody.append(row.element);
      }
      return rows;
    },
  };
}

function documentRow(
  document: DocumentSummary,
  onDownload: (row: DocumentRow) => void,
): DocumentRow & {
  element: HTMLTableRowElement;
} {
  const t = messages.documents;
  const cell = (column: Column, ...content: Array<Node | string>) =>
    h('td', { role: 'cell', class: `col-${column}`, 'data-label': t.columns[column] }, ...content);

  const statusCell = cell('status');
  renderStatus(statusCell, document.downloaded, document.lastDownload);

  const downloadButton = h(
    'button',
    {
      type: 'button',
      class: 'button button-secondary button-download',
      'aria-label': t.downloadLabel(document.invoiceNumber),
    },
    downloadIcon(),
    h('span', {}, t.download),
  );
  const errorSlot = h('span', { class: 'row-error', 'aria-live': 'assertive' });
  const actionsCell = h('td', { role: 'cell', class: 'col-actions' }, downloadButton, errorSlot);

  const element = h(
    'tr',
    { role: 'row', 'data-document-id': document.id },
    cell('invoiceDate', formatDate(document.invoiceDate)),
    cell('period', ...periodContent(document.periodFrom, document.periodTo)),
    cell('description', document.description),
    h(
      'th',
      { scope: 'row', role: 'rowheader', class: 'col-invoiceNumber', 'data-label': t.columns.invoiceNumber },
      document.invoiceNumber,
    ),
    cell('amount', formatAmount(document.amount)),
    cell('sentAt', formatInstantAsDate(document.sentAt)),
    statusCell,
    actionsCell,
  );

  let busy = false;
  const row = {
    document,
    element,
    downloadButton,
    setBusy(value: boolean) {
      busy = value;
      // aria-disabled instead of disabled keeps keyboard focus on the button while the link is fetched.
      if (value) {
        downloadButton.setAttribute('aria-disabled', 'true');
      } else {
        downloadButton.removeAttribute('aria-disabled');
      }
      downloadButton.classList.toggle('is-busy', value);
    },
    markDownloaded(receipt: DownloadReceipt) {
      renderStatus(statusCell, true, receipt);
    },
    showError(text: string) {
      replaceChildren(errorSlot, text);
    },
  };
  downloadButton.addEventListener('click', () => {
    if (!busy) {
      replaceChildren(errorSlot);
      onDownload(row);
    }
  });
  return row;
}

/** Each date stays on one line; a narrow column may wrap between them. */
function periodContent(from: string, to: string): Array<Node | string> {
  const [first, last] = periodDates(from, to);
  const date = (text: string) => h('span', { class: 'nowrap' }, text);
  return last === undefined ? [date(first)] : [date(first), PERIOD_SEPARATOR, date(last)];
}

function renderStatus(cell: HTMLElement, downloaded: boolean, receipt: DownloadReceipt | undefined): void {
  const t = messages.documents;
  if (!downloaded) {
    replaceChildren(cell, h('span', { class: 'badge badge-new' }, t.statusNew));
    return;
  }
  replaceChildren(
    cell,
    h('span', { class: 'status-downloaded' }, t.statusDownloaded),
    receipt &&
      h('span', { class: 'status-detail' }, t.downloadedBy(formatInstantAsDate(receipt.at), receipt.contactName)),
  );
}

function downloadIcon(): SVGElement {
  return svg(
    'svg',
    {
      class: 'icon',
      viewBox: '0 0 20 20',
      width: 16,
      height: 16,
      'aria-hidden': 'true',
      focusable: 'false',
    },
    svg('path', {
      d: 'M10 3v9m0 0-3.5-3.5M10 12l3.5-3.5M4 14.5V16h12v-1.5',
      fill: 'none',
      stroke: 'currentColor',
      'stroke-width': 1.8,
      'stroke-linecap': 'round',
      'stroke-linejoin': 'round',
    }),
  );
}
