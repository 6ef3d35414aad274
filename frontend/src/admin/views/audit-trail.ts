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
 * The clinic's audit trail: whether the hash chain is intact (checked when the page opens), the events of a span
 * filtered by kind and company, newest first, and the same as a CSV file.
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
  let filter: AuditFilter = { from: day(new Date(today.getTime() - 29 * DAY_MS)), to: day(today) };
  let tbody: HTMLTableSectionElement | undefined;

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
    exportLink.href = `/api/admin/audit.csv?${new URLSearchParams(auditQuery(filter))}`;
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    filter = {
      from: fromInput.value,
      to: toInput.value,
      action: actionSelect.value,
      customer: customerSelect.value,
    };
    updateExportLink();
    tbody = undefined;
    void load();
  });
  updateExportLink();

  const actorText = (event: AuditEventSummary): string => {
    const kind = t.actors[event.actor.type] ?? event.actor.type;
    if (event.actor.name) return `${event.actor.name} (${kind.toLowerCase()})`;
    // People the portal has no name for show as their kind; API keys, operators and the system by their id.
    const byId = event.actor.id && !['contact', 'admin'].includes(event.actor.type);
    return byId ? `${kind}: ${event.actor.id}` : kind;
  };

  const row = (event: AuditEventSummary): HTMLTableRowElement =>
    h(
      'tr',
      {},
      h('td', { class: 'col-time' }, formatInstant(event.at)),
      h('th', { scope: 'row' }, t.actions[event.action] ?? event.action),
      h('td', {}, actorText(event)),
      h('td', {}, event.customerName ?? ''),
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

  const load = async (cursor?: string): Promise<void> => {
    content.setAttribute('aria-busy', 'true');
    try {
      const page = await adminApi.listAudit(filter, cursor);
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
            [t.time, t.what, t.who, t.company, t.outcome, t.from_ip],
            tbody,
          ),
        );
      }
      tbody.append(...page.items.map(row));
      renderShowMore(more, page.nextCursor, (next) => void load(next));
    } catch (error) {
      if (failed(error)) return;
      replaceChildren(content, h('div', { class: 'error-state', role: 'alert' }, h('p', {}, fallbackErrorText(error))));
    } finally {
      content.removeAttribute('aria-busy');
    }
  };

  const verify = async (): Promise<void> => {
    try {
      const result = await adminApi.verifyAudit();
      replaceChildren(
        integrity,
        result.intact
          ? h('p', { class: 'message message-info' }, t.intact(result.verified))
          : h('p', { class: 'message message-error' }, t.broken(result.broken?.index ?? result.verified + 1)),
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
