import { DOCUMENT_TYPES } from '../../../../functions/domain/invoice-basis';
import { h, replaceChildren } from '../../dom';
import { formatAmount, formatDate, formatInstant, PERIOD_SEPARATOR } from '../../format';
import { adminMessages } from '../../i18n/admin';
import type { View } from '../../views/view';
import { ApiError, adminApi, type CustomerSummary, type DocumentSummary } from '../api';
import { writeControl } from '../write-controls';
import { AUDIT_DOCUMENT_PARAM } from './audit-trail';
import { customerContactsSection } from './customer-contacts';
import { documentNotices } from './document-notices';
import {
  adminTable,
  fallbackErrorText,
  loadingPlace,
  messageRegion,
  renderShowMore,
  sessionGuard,
  stepHeading,
} from './form-parts';

export interface CustomerDocumentsViewOptions {
  readonly customerId: string;
  readonly onBack: () => void;
  readonly onSessionEnded: () => void;
}

/** Visibilities the clinic can still change (withdrawn and superseded are final). */
const CHANGEABLE = new Set(['published', 'held', 'hidden']);

/**
 * One customer company's documents as the clinic sees them: every state and visibility, who downloaded each, and
 * publishing or hiding a document — what the company's contacts see changes at once.
 */
export function customerDocumentsView(options: CustomerDocumentsViewOptions): View {
  const t = adminMessages.documents;
  const heading = stepHeading('admin-documents-heading', adminMessages.customers.documentsShort);
  const note = h('div', {});
  const content = loadingPlace();
  const more = h('div', { class: 'documents-more' });
  const announcer = h('p', { class: 'visually-hidden', 'aria-live': 'polite', 'aria-atomic': 'true' });
  let tbody: HTMLTableSectionElement | undefined;

  const failed = sessionGuard(options.onSessionEnded);

  const back = h('a', { href: '/admin', class: 'text-link' }, t.backToCustomers);
  back.addEventListener('click', (event) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    options.onBack();
  });

  const stateText = (document: DocumentSummary): string => {
    if (document.status === 'failed') return t.failed;
    const visibility = t.visibility[document.visibility] ?? document.visibility;
    return document.visibility === 'published' && !document.visibleToContacts ? t.notReady : visibility;
  };

  const row = (initial: DocumentSummary): HTMLTableRowElement => {
    let document = initial;
    const state = h('td', {});
    const downloaded = h('td', {});
    const actions = h('div', { class: 'row-actions' });
    const downloads = h('div', { class: 'downloads' });
    const error = h('span', { class: 'row-error', role: 'alert' });

    const change = async (button: HTMLButtonElement, visibility: 'published' | 'hidden') => {
      button.disabled = true;
      replaceChildren(error);
      try {
        document = await adminApi.setVisibility(options.customerId, document.id, visibility);
        render();
        announcer.textContent =
          visibility === 'published' ? t.published(document.invoiceNumber) : t.hidden(document.invoiceNumber);
        actions.querySelector('button')?.focus();
      } catch (caught) {
        if (failed(caught)) return;
        error.textContent =
          caught instanceof ApiError && caught.status === 409 ? caught.message : fallbackErrorText(caught);
        button.disabled = false;
      }
    };

    const withdrawIt = async (button: HTMLButtonElement) => {
      const reason = window.prompt(t.withdrawPrompt(document.invoiceNumber))?.trim();
      if (!reason) return;
      button.disabled = true;
      replaceChildren(error);
      try {
        document = await adminApi.withdraw(options.customerId, document.id, reason);
        render();
        announcer.textContent = t.withdrawn(document.invoiceNumber);
      } catch (caught) {
        if (failed(caught)) return;
        error.textContent = fallbackErrorText(caught);
        button.disabled = false;
      }
    };

    const showDownloads = async (button: HTMLButtonElement) => {
      button.disabled = true;
      try {
        const list = await adminApi.listDownloads(options.customerId, document.id);
        replaceChildren(
          downloads,
          h('p', { class: 'downloads-title' }, t.downloadsTitle(document.invoiceNumber)),
          list.length === 0
            ? h('p', {}, t.noDownloads)
            : h('ul', {}, ...list.map((receipt) => h('li', {}, `${formatInstant(receipt.at)} ${receipt.contactName}`))),
          // The hash proves which file was handed out, should a contact and the clinic disagree about its contents.
          document.contentSha256 &&
            h(
              'p',
              { class: 'content-hash' },
              h('abbr', { title: t.hashLabel }, t.hash),
              ' ',
              h('code', {}, document.contentSha256),
            ),
          h(
            'p',
            {},
            h(
              'a',
              {
                class: 'text-link',
                href: `/admin/handelselogg?${AUDIT_DOCUMENT_PARAM}=${encodeURIComponent(document.id)}`,
              },
              t.auditOfDocument(document.invoiceNumber),
            ),
          ),
        );
        button.setAttribute('aria-expanded', 'true');
      } catch (caught) {
        if (failed(caught)) return;
        error.textContent = fallbackErrorText(caught);
      } finally {
        button.disabled = false;
      }
    };

    const notices = documentNotices({
      customerId: options.customerId,
      documentId: document.id,
      invoiceNumber: document.invoiceNumber,
      visibleToContacts: () => document.visibleToContacts,
      failed,
    });

    const render = () => {
      replaceChildren(
        state,
        h('span', { class: document.visibleToContacts ? 'badge badge-new' : 'badge badge-muted' }, stateText(document)),
        document.withdrawal && h('span', { class: 'download-by' }, t.reason(document.withdrawal.reason)),
        !document.typeShownToContacts && h('span', { class: 'download-by' }, t.typeHidden),
      );
      replaceChildren(
        downloaded,
        document.lastDownload
          ? h(
              'span',
              {},
              t.downloaded,
              h(
                'span',
                { class: 'download-by' },
                t.downloadedBy(document.lastDownload.contactName, formatInstant(document.lastDownload.at)),
              ),
            )
          : t.notDownloaded,
      );
      const buttons: HTMLButtonElement[] = [];
      if (CHANGEABLE.has(document.visibility)) {
        const publishing = document.visibility !== 'published';
        const button = writeControl(
          h(
            'button',
            {
              type: 'button',
              class: publishing ? 'button button-primary' : 'button button-secondary',
              'aria-label': publishing ? t.publishLabel(document.invoiceNumber) : t.hideLabel(document.invoiceNumber),
            },
            publishing ? t.publish : t.hide,
          ),
        );
        button.addEventListener('click', () => void change(button, publishing ? 'published' : 'hidden'));
        const withdraw = writeControl(
          h(
            'button',
            { type: 'button', class: 'button button-ghost', 'aria-label': t.withdrawLabel(document.invoiceNumber) },
            t.withdraw,
          ),
        );
        withdraw.addEventListener('click', () => void withdrawIt(withdraw));
        buttons.push(button, withdraw);
      }
      const who = h(
        'button',
        {
          type: 'button',
          class: 'button button-ghost',
          'aria-label': t.showDownloadsLabel(document.invoiceNumber),
          'aria-expanded': 'false',
        },
        t.showDownloads,
      );
      who.addEventListener('click', () => void showDownloads(who));
      replaceChildren(actions, ...buttons, who, notices.button, error, downloads, notices.panel);
    };
    render();

    const period = `${formatDate(document.periodFrom)}${PERIOD_SEPARATOR}${formatDate(document.periodTo)}`;
    return h(
      'tr',
      {},
      h('td', {}, formatDate(document.invoiceDate)),
      h(
        'th',
        { scope: 'row' },
        document.invoiceNumber,
        document.version > 1 && h('span', { class: 'download-by' }, t.version(document.version)),
      ),
      h('td', {}, period),
      h('td', {}, document.description),
      h('td', {}, t.documentTypes[document.documentType] ?? document.documentType),
      h('td', { class: 'col-amount' }, formatAmount(document.amount)),
      state,
      downloaded,
      h('td', {}, actions),
    );
  };

  const contactsPlace = h('div', {});
  const publishingPlace = h('div', {});
  const shownTypesPlace = h('div', {});
  let shownTypesRendered = false;
  const heldPlace = h('div', { class: 'held-actions' });
  let contactsShown = false;
  /** Whether a listed document (on any page shown so far) waits for approval. */
  let heldShown = false;

  /** The customer's publishing rule, changed with a select and a save button (said in a status message). */
  const renderPublishing = (customer: CustomerSummary) => {
    const select = h(
      'select',
      { id: 'publishing-rule', name: 'publishing' },
      h('option', { value: 'automatic', selected: customer.publishing === 'automatic' }, t.publishingAutomatic),
      h('option', { value: 'approval', selected: customer.publishing === 'approval' }, t.publishingApproval),
    );
    const save = writeControl(h('button', { type: 'submit', class: 'button button-secondary' }, t.savePublishing));
    const said = messageRegion('publishing-status');
    const form = h(
      'form',
      { class: 'publishing-form', novalidate: true },
      h('label', { for: 'publishing-rule' }, t.publishing),
      h('div', { class: 'field-inline' }, select, save),
      said.element,
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      save.disabled = true;
      try {
        const changed = await adminApi.changeCustomer(customer.id, {
          publishing: select.value === 'approval' ? 'approval' : 'automatic',
        });
        said.info(t.publishingSaved(changed.publishing === 'approval'));
      } catch (caught) {
        if (failed(caught)) return;
        said.error(fallbackErrorText(caught));
      } finally {
        save.disabled = false;
      }
    });
    replaceChildren(publishingPlace, form);
  };

  /**
   * Which document types the company's contacts are shown: a checkbox per type and a save button. At least one (the
   * server refuses none, and so does this form, saying why); the list is loaded again so its markers follow.
   */
  const renderShownTypes = (customer: CustomerSummary) => {
    const boxes = DOCUMENT_TYPES.map((type) =>
      h('input', {
        id: `shown-type-${type}`,
        type: 'checkbox',
        name: 'shownDocumentTypes',
        value: type,
        checked: customer.shownDocumentTypes.includes(type),
      }),
    );
    const save = h('button', { type: 'submit', class: 'button button-secondary' }, t.saveShownTypes);
    const said = messageRegion('shown-types-status');
    const form = h(
      'form',
      { class: 'publishing-form', novalidate: true },
      h(
        'fieldset',
        { 'aria-describedby': 'shown-types-hint' },
        h('legend', {}, t.shownTypes),
        h('p', { class: 'field-hint', id: 'shown-types-hint' }, t.shownTypesHint),
        ...boxes.map((box) =>
          h(
            'div',
            { class: 'checkbox-field' },
            box,
            h('label', { for: box.id }, t.documentTypes[box.value] ?? box.value),
          ),
        ),
      ),
      save,
      said.element,
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const chosen = DOCUMENT_TYPES.filter((_, index) => boxes[index]?.checked);
      if (chosen.length === 0) {
        said.error(t.atLeastOneType);
        boxes[0]?.focus();
        return;
      }
      save.disabled = true;
      try {
        const changed = await adminApi.changeCustomer(customer.id, { shownDocumentTypes: chosen });
        said.info(
          t.shownTypesSaved(changed.shownDocumentTypes.map((type) => t.documentTypes[type]?.toLowerCase()).join(', ')),
        );
        tbody = undefined;
        await load();
      } catch (caught) {
        if (failed(caught)) return;
        said.error(fallbackErrorText(caught));
      } finally {
        save.disabled = false;
      }
    });
    replaceChildren(shownTypesPlace, form);
  };

  /** "Publish everything held", shown while any listed document waits for approval. */
  const renderHeld = (anyHeld: boolean) => {
    if (!anyHeld) {
      replaceChildren(heldPlace);
      return;
    }
    const button = writeControl(h('button', { type: 'button', class: 'button button-primary' }, t.publishHeld));
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        const { published } = await adminApi.publishHeld(options.customerId);
        announcer.textContent = t.publishedHeld(published);
        tbody = undefined;
        await load();
      } catch (caught) {
        if (failed(caught)) return;
        button.disabled = false;
        announcer.textContent = fallbackErrorText(caught);
      }
    });
    replaceChildren(heldPlace, button);
  };

  const renderCustomer = (customer: CustomerSummary) => {
    heading.textContent = customer.name;
    renderPublishing(customer);
    // Once: rendering it again on every page of the list would undo a choice being made.
    if (!shownTypesRendered) {
      shownTypesRendered = true;
      renderShownTypes(customer);
    }
    if (!contactsShown) {
      contactsShown = true;
      const contacts = customerContactsSection({
        customerId: customer.id,
        customerName: customer.name,
        onSessionEnded: options.onSessionEnded,
      });
      replaceChildren(contactsPlace, contacts.element);
      void contacts.load();
    }
    replaceChildren(note, !customer.portalAccess && h('p', { class: 'message message-warning' }, t.accessOff));
  };

  // "Not yet downloaded": the list again from its first page, filtered on the server.
  const onlyNotDownloaded = h('input', { id: 'only-not-downloaded', type: 'checkbox' });
  onlyNotDownloaded.addEventListener('change', () => {
    tbody = undefined;
    void load();
  });
  // A document type: the list again from its first page, filtered on the server too.
  const typeFilter = h(
    'select',
    { id: 'document-type-filter', name: 'documentType' },
    h('option', { value: '' }, t.allTypes),
    ...DOCUMENT_TYPES.map((type) => h('option', { value: type }, t.documentTypes[type] ?? type)),
  );
  typeFilter.addEventListener('change', () => {
    tbody = undefined;
    void load();
  });
  const filter = h(
    'div',
    { class: 'document-filters' },
    h(
      'div',
      { class: 'checkbox-field' },
      onlyNotDownloaded,
      h('label', { for: 'only-not-downloaded' }, t.onlyNotDownloaded),
    ),
    h('div', { class: 'field-inline' }, h('label', { for: 'document-type-filter' }, t.typeFilter), typeFilter),
  );
  const chosenType = () => DOCUMENT_TYPES.find((type) => type === typeFilter.value);

  const load = async (cursor?: string): Promise<void> => {
    try {
      const documentType = chosenType();
      const page = await adminApi.listDocuments(options.customerId, {
        ...(cursor === undefined ? {} : { cursor }),
        ...(documentType === undefined ? {} : { documentType }),
        notDownloaded: onlyNotDownloaded.checked,
      });
      renderCustomer(page.customer);
      document.title = adminMessages.documentTitle(page.customer.name, undefined);
      if (!tbody) {
        if (page.items.length === 0) {
          const empty = onlyNotDownloaded.checked ? t.noneNotDownloaded : documentType ? t.noneOfType : t.empty;
          replaceChildren(content, h('div', { class: 'empty-state' }, h('p', { class: 'empty-state-title' }, empty)));
          replaceChildren(more);
          return;
        }
        tbody = h('tbody', {});
        replaceChildren(
          content,
          adminTable(
            t.caption(page.customer.name),
            [
              t.invoiceDate,
              t.invoiceNumber,
              t.period,
              t.description,
              t.type,
              t.amount,
              t.shown,
              t.downloaded,
              t.actions,
            ],
            tbody,
          ),
        );
      }
      tbody.append(...page.items.map(row));
      heldShown = (cursor !== undefined && heldShown) || page.items.some((document) => document.visibility === 'held');
      renderHeld(heldShown);
      renderShowMore(more, page.nextCursor, (next) => void load(next));
    } catch (error) {
      if (failed(error)) return;
      const notFound = error instanceof ApiError && error.status === 404;
      const retry = h('button', { type: 'button', class: 'button button-secondary' }, adminMessages.tryAgain);
      retry.addEventListener('click', () => void load(cursor));
      replaceChildren(
        content,
        h(
          'div',
          { class: 'error-state', role: 'alert' },
          h('p', {}, notFound ? t.notFound : fallbackErrorText(error)),
          !notFound && retry,
        ),
      );
    } finally {
      content.removeAttribute('aria-busy');
    }
  };

  return {
    title: adminMessages.customers.documentsShort,
    element: h(
      'section',
      { class: 'admin-page', 'aria-labelledby': 'admin-documents-heading' },
      h('p', { class: 'back-link' }, back),
      heading,
      note,
      // Who can log in first (a short list), then what they see (the long one).
      contactsPlace,
      h(
        'section',
        { class: 'admin-section', 'aria-labelledby': 'documents-section-heading' },
        h('h2', { id: 'documents-section-heading' }, adminMessages.customers.documentsShort),
        h('p', {}, t.intro),
        publishingPlace,
        shownTypesPlace,
        filter,
        announcer,
        heldPlace,
        content,
        more,
      ),
    ),
    focusTarget: heading,
    onMount: () => void load(),
  };
}
