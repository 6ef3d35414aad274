import { h, replaceChildren } from '../../dom';
import { field, firstMissing, setInvalid, submitButton } from '../../forms';
import { adminMessages } from '../../i18n/admin';
import { ApiError, adminApi, type ContactSummary } from '../api';
import { writeControl } from '../write-controls';
import { adminTable, fallbackErrorText, messageRegion, sessionGuard } from './form-parts';

export interface CustomerContactsOptions {
  readonly customerId: string;
  readonly customerName: string;
  readonly onSessionEnded: () => void;
}

/**
 * The contact persons of one customer company, on its page: who they are (BankID shown only as a masked personal
 * number), inviting and deactivating each, and a form to add one. A section of the customer page, loaded with it.
 */
export function customerContactsSection(options: CustomerContactsOptions): {
  readonly element: HTMLElement;
  load(): Promise<void>;
} {
  const t = adminMessages.contacts;
  const list = h('div', {});
  const status = messageRegion('contacts-status');
  let tbody: HTMLTableSectionElement | undefined;

  const failed = sessionGuard(options.onSessionEnded);

  const row = (initial: ContactSummary): HTMLTableRowElement => {
    let contact = initial;
    const statusCell = h('td', {});
    const actions = h('div', { class: 'row-actions' });
    const error = h('span', { class: 'row-error', role: 'alert' });
    const render = () => {
      replaceChildren(
        statusCell,
        h(
          'span',
          { class: contact.status === 'active' ? 'badge badge-new' : 'badge badge-muted' },
          contact.status === 'active' ? t.active : t.deactivated,
        ),
      );
      if (contact.status !== 'active') {
        replaceChildren(actions, error);
        return;
      }
      const invite = writeControl(
        h(
          'button',
          { type: 'button', class: 'button button-secondary', 'aria-label': t.inviteLabel(contact.name) },
          t.invite,
        ),
      );
      invite.addEventListener('click', async () => {
        invite.disabled = true;
        replaceChildren(error);
        try {
          const sent = await adminApi.inviteContact(contact.id);
          status.info(t.invited(sent.sentTo));
        } catch (caught) {
          if (failed(caught)) return;
          error.textContent = fallbackErrorText(caught);
        } finally {
          invite.disabled = false;
        }
      });
      const deactivate = writeControl(
        h(
          'button',
          { type: 'button', class: 'button button-ghost', 'aria-label': t.deactivateLabel(contact.name) },
          t.deactivate,
        ),
      );
      deactivate.addEventListener('click', async () => {
        if (!window.confirm(t.confirmDeactivate(contact.name))) return;
        deactivate.disabled = true;
        try {
          contact = await adminApi.deactivateContact(contact.id);
          render();
          status.info(t.deactivatedNotice(contact.name));
        } catch (caught) {
          if (failed(caught)) return;
          error.textContent = fallbackErrorText(caught);
          deactivate.disabled = false;
        }
      });
      replaceChildren(actions, invite, deactivate, error);
    };
    render();
    return h(
      'tr',
      {},
      h('th', { scope: 'row' }, contact.name),
      h('td', {}, contact.email),
      h('td', {}, contact.maskedPersonalNumber ?? t.noBankId),
      statusCell,
      h('td', {}, actions),
    );
  };

  const table = (contacts: readonly ContactSummary[]): HTMLElement => {
    tbody = h('tbody', {}, ...contacts.map(row));
    return adminTable(t.caption(options.customerName), [t.name, t.email, t.bankId, t.status, t.actions], tbody);
  };

  // Adding a contact: name and address required, a personal number optional; the server names what is wrong.
  const nameInput = h('input', { id: 'contact-name', name: 'name', type: 'text', autocomplete: 'off', required: true });
  const emailInput = h('input', {
    id: 'contact-email',
    name: 'email',
    type: 'email',
    autocomplete: 'off',
    required: true,
  });
  const numberInput = h('input', {
    id: 'contact-personal-number',
    name: 'personalNumber',
    type: 'text',
    inputmode: 'numeric',
    autocomplete: 'off',
    'aria-describedby': 'contact-personal-number-hint',
  });
  const formMessages = messageRegion('contact-form-messages');
  const submit = submitButton(t.add, t.adding);
  const form = writeControl(
    h(
      'form',
      { class: 'card contact-form', novalidate: true, 'aria-labelledby': 'contact-form-heading' },
      h('h2', { id: 'contact-form-heading' }, t.addTitle),
      formMessages.element,
      field('contact-name', t.addName, nameInput),
      field('contact-email', t.addEmail, emailInput),
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'contact-personal-number' }, t.addPersonalNumber),
        h('p', { class: 'field-hint', id: 'contact-personal-number-hint' }, t.addPersonalNumberHint),
        numberInput,
      ),
      submit.button,
    ),
  );
  const inputsByField: Readonly<Record<string, HTMLInputElement>> = {
    name: nameInput,
    email: emailInput,
    personalNumber: numberInput,
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const missing = firstMissing([nameInput, emailInput]);
    if (missing) {
      formMessages.error(t.missingFields);
      missing.focus();
      return;
    }
    submit.setBusy(form, true);
    formMessages.clear();
    for (const input of Object.values(inputsByField)) setInvalid(input, false);
    try {
      const personalNumber = numberInput.value.trim();
      const added = await adminApi.addContact({
        customerId: options.customerId,
        name: nameInput.value.trim(),
        email: emailInput.value.trim(),
        ...(personalNumber ? { personalNumber } : {}),
      });
      if (tbody) tbody.append(row(added));
      else replaceChildren(list, table([added]));
      form.reset();
      formMessages.info(t.added(added.name));
    } catch (caught) {
      if (failed(caught)) return;
      const fields =
        caught instanceof ApiError ? (caught.details?.fields as Record<string, string> | undefined) : undefined;
      const wrong = Object.keys(fields ?? {})
        .map((name) => inputsByField[name])
        .filter((input) => input !== undefined);
      for (const input of wrong) setInvalid(input, true);
      // Our own words for what the server names: the code of a conflict, else the first field it refused.
      const known =
        caught instanceof ApiError
          ? (t.errors[caught.code] ?? t.errors[Object.keys(fields ?? {})[0] ?? ''])
          : undefined;
      formMessages.error(known ?? fallbackErrorText(caught));
      wrong[0]?.focus();
    } finally {
      submit.setBusy(form, false);
    }
  });

  const load = async (): Promise<void> => {
    try {
      const contacts = await adminApi.listContacts(options.customerId);
      replaceChildren(list, contacts.length === 0 ? h('p', {}, t.none) : table(contacts));
    } catch (caught) {
      if (failed(caught)) return;
      replaceChildren(list, h('p', { class: 'message message-error', role: 'alert' }, fallbackErrorText(caught)));
    }
  };

  return {
    element: h(
      'section',
      { class: 'admin-section', 'aria-labelledby': 'contacts-heading' },
      h('h2', { id: 'contacts-heading' }, t.title),
      h('p', {}, t.intro),
      status.element,
      list,
      form,
    ),
    load,
  };
}
