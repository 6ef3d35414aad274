import { h, replaceChildren } from '../../dom';
import { formatInstant } from '../../format';
import { adminMessages } from '../../i18n/admin';
import type { View } from '../../views/view';
import { type AuditEventSummary, type AuditFilter, adminApi, auditQuery } from '../api';
import { adminTable, fallbackErrorText, loadingPlace, renderShowMore, sessionGuard, stepHeading } from './form-parts';

export interface AuditTrailViewOptions {
  readonly onSessionEnded: () => void;
}

const DAY_MS = 86_400_000;
const day = (date: Date) => date.toISOString().slice(0, 10);

/**
 * The address's narrowing to one document or one person (`?dokument=<id>`, `?aktor=<id>`), so that other admin
 * pages can link to "everything that happened to this invoice basis".
 */
export const AUDIT_DOCUMENT_PARAM = 'dokument';
export const AUDIT_ACTOR_PARAM = 'aktor';

/** A narrowing to one document or one actor, with what the page calls it (known once an event names it). */
interface Narrowing {
  readonly id: string;
  label?: string;
}

/**
 * The clinic's audit trail: whether the hash chain is intact (checked when the page opens), the events of a span
 * filtered by kind and company, newest first, and the same as a CSV file. A person or a document in the list narrows
 * it to their events with one click ("who saw this invoice basis, and what was done to it").
 */
export function auditTrailView(options: AuditTrailViewOptions): View {
  const t = adminMessages.audit;
  const heading = stepHeading('admin-audit-heading', t.title);
  const integrity = h(
    'div',
    { class: 'audit-integrity', role: 'status' },
    h('p', { class: 'message message-info' }, t.checking),
  );
  const content = loadingPlace();
  const more = h('div', { class: 'documents-more' });
  const today = new Date();
  const address = new URLSearchParams(window.location.search);
  const narrowing: { document?: Narrowing; actor?: Narrowing } = {
    ...(address.get(AUDIT_DOCUMENT_PARAM) ? { document: { id: address.get(AUDIT_DOCUMENT_PARAM) ?? '' } } : {}),
    ...(address.get(AUDIT_ACTOR_PARAM) ? { actor: { id: address.get(AUDIT_ACTOR_PARAM) ?? '' } } : {}),
  };
  // A document's or a person's history is long: narrowed, the span is the longest the trail answers (a year).
  const spanDays = narrowing.document || narrowing.actor ? 364 : 29;
  let filter: AuditFilter = { from: day(new Date(today.getTime() - spanDays * DAY_MS)), to: day(today) };
  const narrowed = (): AuditFilter => ({
    ...filter,
    ...(narrowing.document ? { document: narrowing.document.id } : {}),
    ...(narrowing.actor ? { actor: narrowing.actor.id } : {}),
  });
  const narrowingPlace = h('div', { class: 'audit-narrowing' });
  let tbody: HTMLTableSectionElement | undefined;
  /** Bumped by every new query: the answer of an older one, still in flight, is dropped rather than mixed in. */
  let generation = 0;

  const failed = sessionGuard(options.onSessionEnded);

  const input = (id: string, type: string, value: string | undefined) =>
    h('input', { id, name: id, type, value: value ?? '' });
  const fromInput = input('audit-from', 'date', filter.from);
  const toInput = input('audit-to', 'date', filter.to);
  const actionSelect = h(
    'select',
    { id: 'audit-action', name: 'action' },
    h('option', { value: '' }, t.anyAction),
    ...Object.entries(t.actions).map(([value, label]) => h('option', { value }, label)),
  );
  const customerSelect = h(
    'select',
    { id: 'audit-customer', name: 'customer' },
    h('option', { value: '' }, t.anyCustomer),
  );
  const exportLink = h(
    'a',
    { class: 'button button-secondary', href: '/api/admin/audit.csv', download: '' },
    t.exportCsv,
  );
  const labelled = (id: string, label: string, control: HTMLElement) =>
    h('div', { class: 'field filter-field' }, h('label', { for: id }, label), control);
  const form = h(
    'form',
    { class: 'audit-filters', novalidate: true },
    h(
      'fieldset',
      { class: 'documents-filters' },
      h('legend', {}, t.filtersLegend),
      labelled('audit-from', t.from, fromInput),
      labelled('audit-to', t.to, toInput),
      labelled('audit-action', t.action, actionSelect),
      labelled('audit-customer', t.customer, customerSelect),
      h('button', { type: 'submit', class: 'button button-primary' }, t.apply),
    ),
  );
  const updateExportLink = () => {
    exportLink.href = `/api/admin/audit.csv?${new URLSearchParams(auditQuery(narrowed()))}`;
  };

  /** The list again from its first page, after the filter or a narrowing changed; the address follows. */
  const reload = () => {
    const search = new URLSearchParams();
    if (narrowing.document) search.set(AUDIT_DOCUMENT_PARAM, narrowing.document.id);
    if (narrowing.actor) search.set(AUDIT_ACTOR_PARAM, narrowing.actor.id);
    const query = search.toString();
    window.history.replaceState(window.history.state, '', `${window.location.pathname}${query ? `?${query}` : ''}`);
    updateExportLink();
    renderNarrowing();
    tbody = undefined;
    generation += 1;
    void load();
  };

  const renderNarrowing = () => {
    const chip = (text: string, remove: () => void) => {
      const button = h('button', { type: 'button', class: 'button button-ghost' }, t.showAll);
      button.addEventListener('click', () => {
        remove();
        reload();
        actionSelect.focus();
      });
      return h('p', { class: 'message message-info narrowing' }, text, ' ', button);
    };
    replaceChildren(
      narrowingPlace,
      narrowing.document &&
        chip(t.onlyDocument(narrowing.document.label), () => {
          delete narrowing.document;
        }),
      narrowing.actor &&
        chip(t.onlyActor(narrowing.actor.label), () => {
          delete narrowing.actor;
        }),
    );
  };

  /** A cell's value as a button that narrows the list to it (a person, a document). */
  const narrowingButton = (text: string, label: string, narrow: () => void) => {
    const button = h('button', { type: 'button', class: 'link-button', 'aria-label': label }, text);
    button.addEventListener('click', () => {
      narrow();
      reload();
      heading.focus();
    });
    return button;
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    filter = {
      from: fromInput.value,
      to: toInput.value,
      action: actionSelect.value,
      customer: customerSelect.value,
    };
    reload();
  });
  updateExportLink();
  renderNarrowing();

  const actorText = (event: AuditEventSummary): string => {
    const kind = t.actors[event.actor.type] ?? event.actor.type;
    if (event.actor.name) return `${event.actor.name} (${kind.toLowerCase()})`;
    // People the portal has no name for show as their kind; API keys, operators and the system by their id.
    const byId = event.actor.id && !['contact', 'admin'].includes(event.actor.type);
    return byId ? `${kind}: ${event.actor.id}` : kind;
  };

  /** The facts an administrator reads in an event's details, in words; ids and technical keys are left out. */
  const detailsText = (event: AuditEventSummary): string => {
    const details = event.details ?? {};
    const said: string[] = [];
    if (event.subjectName) said.push(event.subjectName);
    const { from, to, reason, disposition, recipients, attempts, version } = details;
    // Settings name the fields they changed in `fields`, a contact's edit in `changed`.
    const fields = details.fields ?? details.changed;
    if (event.action === 'document.visibility_changed' && from !== undefined && to !== undefined) {
      const visibility = adminMessages.documents.visibility;
      said.push(`${visibility[String(from)] ?? from} → ${visibility[String(to)] ?? to}`);
    } else if (event.action === 'audit.exported' && from !== undefined && to !== undefined) {
      said.push(`${from} – ${to}`);
    }
    if (disposition !== undefined) said.push(t.disposition[String(disposition)] ?? String(disposition));
    if (version !== undefined) said.push(adminMessages.documents.version(Number(version)));
    if (recipients !== undefined) said.push(t.recipients(Number(recipients)));
    if (attempts !== undefined && Number(attempts) > 1) said.push(t.attempts(Number(attempts)));
    if (fields !== undefined) said.push(t.fields(String(fields)));
    if (reason !== undefined) said.push(adminMessages.documents.reason(String(reason)));
    return said.join(' · ');
  };

  const row = (event: AuditEventSummary): HTMLTableRowElement => {
    const actor = actorText(event);
    const { id: actorId } = event.actor;
    const { documentId, invoiceNumber } = event;
    const who =
      actorId && !narrowing.actor
        ? narrowingButton(actor, t.onlyActorLabel(actor), () => {
            narrowing.actor = { id: actorId, label: actor };
          })
        : actor;
    const what =
      documentId && invoiceNumber && !narrowing.document
        ? narrowingButton(invoiceNumber, t.onlyDocumentLabel(invoiceNumber), () => {
            narrowing.document = { id: documentId, label: invoiceNumber };
          })
        : (invoiceNumber ?? '');
    return h(
      'tr',
      {},
      h('td', { class: 'col-time' }, formatInstant(event.at)),
      h('th', { scope: 'row' }, t.actions[event.action] ?? event.action),
      h('td', {}, who),
      h('td', {}, event.customerName ?? ''),
      h('td', {}, what),
      h('td', { class: 'col-details' }, detailsText(event)),
      h(
        'td',
        {},
        h(
          'span',
          { class: event.outcome === 'success' ? 'badge badge-new' : 'badge badge-muted' },
          event.outcome === 'success' ? t.success : t.failure,
        ),
      ),
      h('td', {}, event.sourceIp ?? ''),
    );
  };

  const load = async (cursor?: string): Promise<void> => {
    content.setAttribute('aria-busy', 'true');
    const asked = generation;
    try {
      const page = await adminApi.listAudit(narrowed(), cursor);
      if (asked !== generation) return;
      // A narrowing that came with the address gets its name from the first event that carries one.
      const named = (narrowingOf: Narrowing | undefined, name: (event: AuditEventSummary) => string | undefined) => {
        if (!narrowingOf || narrowingOf.label) return;
        const found = page.items.map(name).find((label) => label !== undefined);
        if (found) {
          narrowingOf.label = found;
          renderNarrowing();
        }
      };
      named(narrowing.document, (event) => event.invoiceNumber);
      named(narrowing.actor, (event) => (event.actor.id === narrowing.actor?.id ? actorText(event) : undefined));
      if (!tbody) {
        if (page.items.length === 0) {
          replaceChildren(content, h('div', { class: 'empty-state' }, h('p', { class: 'empty-state-title' }, t.none)));
          replaceChildren(more);
          return;
        }
        tbody = h('tbody', {});
        replaceChildren(
          content,
          adminTable(
            t.caption(filter.from ?? '', filter.to ?? ''),
            [t.time, t.what, t.who, t.company, t.document, t.details, t.outcome, t.from_ip],
            tbody,
          ),
        );
      }
      tbody.append(...page.items.map(row));
      renderShowMore(more, page.nextCursor, (next) => void load(next));
    } catch (error) {
      if (failed(error) || asked !== generation) return;
      replaceChildren(content, h('div', { class: 'error-state', role: 'alert' }, h('p', {}, fallbackErrorText(error))));
    } finally {
      if (asked === generation) content.removeAttribute('aria-busy');
    }
  };

  const verify = async (): Promise<void> => {
    try {
      const result = await adminApi.verifyAudit();
      replaceChildren(
        integrity,
        result.intact
          ? h('p', { class: 'message message-info' }, t.intact(result.verified, result.anchoredUpTo))
          : h(
              'p',
              { class: 'message message-error' },
              t.broken(result.broken?.index ?? result.verified + 1, result.broken?.reason),
            ),
      );
    } catch (error) {
      if (failed(error)) return;
      replaceChildren(integrity, h('p', { class: 'message message-warning' }, fallbackErrorText(error)));
    }
  };

  const loadCustomers = async (): Promise<void> => {
    try {
      const customers = await adminApi.listCustomers();
      customerSelect.append(...customers.map((customer) => h('option', { value: customer.id }, customer.name)));
    } catch (error) {
      failed(error);
    }
  };

  return {
    title: t.title,
    element: h(
      'section',
      { class: 'admin-page', 'aria-labelledby': 'admin-audit-heading' },
      heading,
      h('p', {}, t.intro),
      integrity,
      form,
      narrowingPlace,
      h('p', { class: 'audit-export' }, exportLink),
      content,
      more,
    ),
    focusTarget: heading,
    onMount: () => {
      void verify();
      void loadCustomers();
      void load();
    },
  };
}
