import { ApiError, api } from '../api';
import { h, replaceChildren } from '../dom';
import { messages } from '../i18n';

export interface ZipDownloadOptions {
  readonly customerId: string;
  /** The year the list shows; without one there is no "all for the year" button. */
  readonly year: string | undefined;
  /** The rows the contact has ticked, read when the control refreshes (any `change` event on the page). */
  readonly selectedIds: () => readonly string[];
  /** Called when the API says the session has ended. */
  readonly onSessionEnded?: () => void;
}

/** A ZIP that is not ready within this long gets a visible and announced progress message. */
const PROGRESS_DELAY_MS = 1_000;

/**
 * "Ladda ner alla för <år>" and "Ladda ner markerade (n)": the server builds the ZIP and answers with a link valid
 * for 60 s, which the browser follows like a single download (the link says `attachment`, so the page stays).
 * Building can take seconds for a large year; after a second the control says so in a live region and is marked
 * `aria-busy`, and a limit the server names is shown as it is.
 */
export function zipDownloadControl(options: ZipDownloadOptions): HTMLElement {
  const t = messages.zipDownload;
  const yearButton = h('button', { type: 'button', class: 'button button-secondary zip-download-year' });
  const selectedButton = h('button', { type: 'button', class: 'button button-secondary zip-download-selected' });
  const status = h('p', { class: 'zip-download-status', role: 'status', 'aria-live': 'polite' });
  const element = h(
    'div',
    { class: 'zip-download', role: 'group', 'aria-label': t.label },
    yearButton,
    selectedButton,
    status,
  );
  let busy = false;

  const refresh = (): void => {
    const count = options.selectedIds().length;
    yearButton.hidden = options.year === undefined;
    if (options.year !== undefined) yearButton.textContent = t.downloadYear(options.year);
    selectedButton.hidden = count === 0;
    selectedButton.textContent = t.downloadSelected(count);
  };

  const run = async (selection: { year: number } | { documentIds: readonly string[] }): Promise<void> => {
    if (busy) return;
    busy = true;
    for (const button of [yearButton, selectedButton]) button.setAttribute('aria-disabled', 'true');
    status.classList.remove('is-error');
    replaceChildren(status);
    // Quick answers show no flicker of a progress message; slow ones say what is going on.
    const progress = window.setTimeout(() => {
      element.setAttribute('aria-busy', 'true');
      replaceChildren(status, h('span', { class: 'spinner', 'aria-hidden': 'true' }), t.preparing);
    }, PROGRESS_DELAY_MS);
    try {
      const link = await api.requestArchive(options.customerId, selection);
      window.location.assign(link.url);
      replaceChildren(status, t.started(link.fileName, link.documentCount));
    } catch (error) {
      if (error instanceof ApiError && error.isUnauthenticated && options.onSessionEnded) {
        options.onSessionEnded();
        return;
      }
      status.classList.add('is-error');
      replaceChildren(status, archiveErrorText(error, options.year));
    } finally {
      window.clearTimeout(progress);
      element.removeAttribute('aria-busy');
      for (const button of [yearButton, selectedButton]) button.removeAttribute('aria-disabled');
      busy = false;
    }
  };

  yearButton.addEventListener('click', () => {
    if (options.year !== undefined) void run({ year: Number(options.year) });
  });
  selectedButton.addEventListener('click', () => {
    const documentIds = options.selectedIds();
    if (documentIds.length > 0) void run({ documentIds });
  });
  // Row checkboxes live elsewhere on the page; their change events bubble to the document. The listener goes away
  // with the control (the list re-creates it when the company or year changes).
  const onChange = (): void => {
    if (!element.isConnected && element.dataset.mounted === 'true') {
      document.removeEventListener('change', onChange);
      return;
    }
    if (element.isConnected) element.dataset.mounted = 'true';
    refresh();
  };
  document.addEventListener('change', onChange);
  refresh();
  return element;
}

/** The server's own limits are named in `details`, so the message says exactly which one and by how much. */
function archiveErrorText(error: unknown, year: string | undefined): string {
  const t = messages.zipDownload;
  if (!(error instanceof ApiError)) return t.failed;
  const details = error.details ?? {};
  const number = (key: string): number | undefined => (typeof details[key] === 'number' ? details[key] : undefined);
  if (error.code === 'archive_too_large') {
    const [maxDocuments, requestedDocuments] = [number('maxDocuments'), number('requestedDocuments')];
    if (maxDocuments !== undefined && requestedDocuments !== undefined) {
      return t.tooManyDocuments(maxDocuments, requestedDocuments);
    }
    const [maxBytes, requestedBytes] = [number('maxBytes'), number('requestedBytes')];
    if (maxBytes !== undefined && requestedBytes !== undefined) {
      return t.tooLarge(Math.floor(maxBytes / 1_048_576), Math.ceil(requestedBytes / 1_048_576));
    }
    return error.message;
  }
  if (error.code === 'archive_empty') return t.empty(year ?? String(number('year') ?? ''));
  if (error.status === 404) return t.notFound;
  if (error.code === 'network_error') return messages.networkError;
  return t.failed;
}

/**
 * "Öppna": the PDF in the browser's own viewer, in a new tab. The tab is opened during the click (a tab opened after
 * the API's answer would be a pop-up the browser blocks) and sent to the link once it arrives; without a tab (pop-ups
 * refused anyway) this tab goes to the PDF. The link is recorded as a download like "Ladda ner".
 * Returns the file name, for the caller's announcement.
 */
export async function openDocumentInBrowser(customerId: string, documentId: string): Promise<string> {
  const tab = window.open('about:blank', '_blank');
  try {
    const link = await api.requestDownload(customerId, documentId, 'inline');
    if (tab) {
      // The PDF's origin must not reach back into the portal.
      tab.opener = null;
      tab.location.href = link.url;
    } else {
      window.location.assign(link.url);
    }
    return link.fileName;
  } catch (error) {
    tab?.close();
    throw error;
  }
}

/** The "Öppna" button of one row, for the list's row-actions cell: calls {@link openDocumentInBrowser}. */
export function openInBrowserButton(options: {
  readonly customerId: string;
  readonly documentId: string;
  readonly invoiceNumber: string;
  /** Called with the file name once the tab shows the PDF, or with the error if it could not be opened. */
  readonly onResult?: (result: { readonly fileName: string } | { readonly error: unknown }) => void;
}): HTMLButtonElement {
  const t = messages.zipDownload;
  const button = h(
    'button',
    { type: 'button', class: 'button button-ghost button-open', 'aria-label': t.openLabel(options.invoiceNumber) },
    t.open,
  );
  button.addEventListener('click', () => {
    if (button.getAttribute('aria-disabled') === 'true') return;
    button.setAttribute('aria-disabled', 'true');
    openDocumentInBrowser(options.customerId, options.documentId)
      .then((fileName) => options.onResult?.({ fileName }))
      .catch((error: unknown) => options.onResult?.({ error }))
      .finally(() => button.removeAttribute('aria-disabled'));
  });
  return button;
}
