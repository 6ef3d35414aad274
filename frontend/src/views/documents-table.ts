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
  /** The invoice-date column's sort button (focus returns to it after the list is sorted again). */
  readonly sortButton: HTMLButtonElement;
  /** Adds rows at the end (in the list's order, so later pages go below). */
  append(documents: readonly DocumentSummary[]): DocumentRow[];
  /** The ids of the rows whose checkbox is ticked, in list order. */
  selectedIds(): string[];
}

export interface DocumentsTableOptions {
  readonly caption: string;
  /** The order the rows come in (by invoice date); the column header shows it and offers the other. */
  readonly sort: 'newest' | 'oldest';
  readonly onSort: () => void;
  readonly onDownload: (row: DocumentRow) => void;
  /** A further action beside "Ladda ner" in each row ("Öppna": frontend/src/views/zip-download.ts). */
  readonly rowAction?: (document: DocumentSummary) => HTMLElement;
  readonly onSelectionChange?: () => void;
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

  const list = messages.documentList;
  const nextOrder = options.sort === 'newest' ? 'oldest' : 'newest';
  const sortButton = h(
    'button',
    { type: 'button', class: 'sort-button', 'aria-label': list.sortByInvoiceDate(nextOrder) },
    // The arrow is drawn by CSS from the header's aria-sort, so the header's text stays the column's name.
    columns.invoiceDate,
  );
  sortButton.addEventListener('click', () => options.onSort());
  const sortHeader = h(
    'th',
    {
      scope: 'col',
      role: 'columnheader',
      class: 'col-invoiceDate',
      'aria-sort': options.sort === 'newest' ? 'descending' : 'ascending',
    },
    sortButton,
  );

  // Selection covers the rows shown: "all" means every loaded row, and rows loaded later start unticked.
  const selected = new Set<string>();
  const rowBoxes: HTMLInputElement[] = [];
  const selectAll = h('input', { type: 'checkbox', class: 'select-box', 'aria-label': list.selectAll });
  const syncSelectAll = () => {
    selectAll.checked = rowBoxes.length > 0 && selected.size === rowBoxes.length;
    selectAll.indeterminate = selected.size > 0 && selected.size < rowBoxes.length;
  };
  const selectionChanged = () => {
    syncSelectAll();
    options.onSelectionChange?.();
  };
  selectAll.addEventListener('change', () => {
    for (const box of rowBoxes) {
      box.checked = selectAll.checked;
      const id = box.value;
      if (selectAll.checked) {
        selected.add(id);
      } else {
        selected.delete(id);
      }
    }
    selectionChanged();
  });

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
        h('th', { scope: 'col', role: 'columnheader', class: 'col-select' }, selectAll),
        sortHeader,
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
    sortButton,
    append(documents) {
      const rows = documents.map((document) => documentRow(document, options.onDownload, options.rowAction));
      for (const row of rows) {
        const box = h('input', {
          type: 'checkbox',
          class: 'select-box',
          value: row.document.id,
          'aria-label': list.selectRow(row.document.invoiceNumber),
        });
        box.addEventListener('change', () => {
          if (box.checked) {
            selected.add(row.document.id);
          } else {
            selected.delete(row.document.id);
          }
          selectionChanged();
        });
        rowBoxes.push(box);
        row.element.prepend(h('td', { role: 'cell', class: 'col-select' }, box));
        tbody.append(row.element);
      }
      syncSelectAll();
      return rows;
    },
    selectedIds: () => rowBoxes.filter((box) => box.checked).map((box) => box.value),
  };
}

function documentRow(
  document: DocumentSummary,
  onDownload: (row: DocumentRow) => void,
  rowAction?: (document: DocumentSummary) => HTMLElement,
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
  const actionsCell = h('td', { role: 'cell', class: 'col-actions' }, downloadButton, rowAction?.(document), errorSlot);

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
