import { h, replaceChildren } from '../../dom';
import { field, submitButton } from '../../forms';
import { adminMessages } from '../../i18n/admin';
import { adminApi, type ContactSummary, type CustomerSummary } from '../api';
import { writeControl } from '../write-controls';
import { adminTable, fallbackErrorText, messageRegion, reportMissing, sendAdminForm, sessionGuard } from './form-parts';

export interface CustomerContactsOptions {
  readonly customerId: string;
  readonly customerName: string;
  readonly onSessionEnded: () => void;
}

/**
 * The contact persons of one customer company, on its page: who they are (BankID shown only as a masked personal
 * number) and which companies they belong to, editing, inviting (again) and deactivating each, and a form to add one. A section of the customer page, loaded with it.
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
    const nameCell = h('th', { scope: 'row' });
    const emailCell = h('td', {});
    const numberCell = h('td', {});
    const companiesCell = h('td', {});
    const statusCell = h('td', {});
    const actions = h('div', { class: 'row-actions' });
    const error = h('span', { class: 'row-error', role: 'alert' });
    const edit = h(
      'button',
      { type: 'button', class: 'button button-secondary', 'aria-label': t.editLabel(contact.name) },
      t.edit,
    );
    edit.addEventListener('click', () => {
      void openEditor(contact, edit, (changed) => {
        if (!changed.customers.some((company) => company.id === options.customerId)) {
          tr.remove();
          status.info(t.movedAway(changed.name, options.customerName));
          return;
        }
        contact = changed;
        render();
        status.info(t.saved(changed.name));
      });
    });
    const render = () => {
      edit.setAttribute('aria-label', t.editLabel(contact.name));
      replaceChildren(nameCell, contact.name);
      replaceChildren(emailCell, contact.email);
      replaceChildren(numberCell, contact.maskedPersonalNumber ?? t.noBankId);
      replaceChildren(companiesCell, contact.customers.map((company) => company.name).join(', '));
      replaceChildren(
        statusCell,
        h(
          'span',
          { class: contact.status === 'active' ? 'badge badge-new' : 'badge badge-muted' },
          contact.status === 'active' ? t.active : t.deactivated,
        ),
      );
      if (contact.status !== 'active') {
        replaceChildren(actions, edit, error);
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
      replaceChildren(actions, edit, invite, deactivate, error);
    };
    const tr = h('tr', {}, nameCell, emailCell, numberCell, companiesCell, statusCell, h('td', {}, actions));
    render();
    return tr;
  };

  const table = (contacts: readonly ContactSummary[]): HTMLElement => {
    tbody = h('tbody', {}, ...contacts.map(row));
    return adminTable(
      t.caption(options.customerName),
      [t.name, t.email, t.bankId, t.companies, t.status, t.actions],
      tbody,
    );
  };

  /**
   * Editing a contact in a modal dialog: name, address, a new personal number or none, and the companies as
   * checkboxes (every customer of the clinic, the contact's own first; a search narrows a long list). Only what
   * changed is sent; the server checks it all and changes all of it or nothing, and its refusal is said in the form.
   */
  const openEditor = async (
    contact: ContactSummary,
    opener: HTMLButtonElement,
    onSaved: (changed: ContactSummary) => void,
  ): Promise<void> => {
    opener.disabled = true;
    let customers: readonly CustomerSummary[];
    try {
      customers = await adminApi.listCustomers();
    } catch (caught) {
      if (!failed(caught)) status.error(fallbackErrorText(caught));
      return;
    } finally {
      opener.disabled = false;
    }
    const own = new Set(contact.customers.map((company) => company.id));
    const ordered = [...customers].sort((a, b) => Number(own.has(b.id)) - Number(own.has(a.id)));
    const nameInput = h('input', { id: 'edit-contact-name', type: 'text', autocomplete: 'off', required: true });
    nameInput.value = contact.name;
    const emailInput = h('input', { id: 'edit-contact-email', type: 'email', autocomplete: 'off', required: true });
    emailInput.value = contact.email;
    const numberInput = h('input', {
      id: 'edit-contact-personal-number',
      type: 'text',
      inputmode: 'numeric',
      autocomplete: 'off',
      'aria-describedby': 'edit-contact-personal-number-hint',
    });
    const removeNumber = h('input', { id: 'edit-contact-remove-number', type: 'checkbox' });
    removeNumber.addEventListener('change', () => {
      numberInput.disabled = removeNumber.checked;
    });
    const boxes = ordered.map((customer) =>
      h('input', {
        id: `edit-contact-company-${customer.id}`,
        type: 'checkbox',
        name: 'customerIds',
        value: customer.id,
        checked: own.has(customer.id),
      }),
    );
    const companyRows = ordered.map((customer, index) =>
      h(
        'div',
        { class: 'checkbox-field', 'data-search': `${customer.name} ${customer.customerNumber}`.toLowerCase() },
        boxes[index],
        h('label', { for: `edit-contact-company-${customer.id}` }, `${customer.name} (${customer.customerNumber})`),
      ),
    );
    const search = h('input', { id: 'edit-contact-company-search', type: 'search', autocomplete: 'off' });
    search.addEventListener('input', () => {
      const wanted = search.value.trim().toLowerCase();
      companyRows.forEach((companyRow, index) => {
        // The contact's own companies stay in sight, so what will be saved is always visible.
        companyRow.hidden = !boxes[index]?.checked && !companyRow.dataset.search?.includes(wanted);
      });
    });
    const messages = messageRegion('edit-contact-messages');
    const save = submitButton(t.save, t.saving);
    const cancel = h('button', { type: 'button', class: 'button button-ghost' }, t.cancel);
    const form = h(
      'form',
      { method: 'dialog', class: 'contact-form', novalidate: true },
      h('h2', { id: 'edit-contact-heading' }, t.editTitle(contact.name)),
      messages.element,
      field('edit-contact-name', t.addName, nameInput),
      field('edit-contact-email', t.addEmail, emailInput),
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'edit-contact-personal-number' }, t.editPersonalNumber),
        h(
          'p',
          { class: 'field-hint', id: 'edit-contact-personal-number-hint' },
          t.editPersonalNumberHint(contact.maskedPersonalNumber),
        ),
        numberInput,
      ),
      contact.maskedPersonalNumber &&
        h(
          'div',
          { class: 'checkbox-field' },
          removeNumber,
          h('label', { for: removeNumber.id }, t.removePersonalNumber),
        ),
      h(
        'fieldset',
        { class: 'company-choices', 'aria-describedby': 'edit-contact-companies-hint' },
        h('legend', {}, t.companiesLegend),
        h('p', { class: 'field-hint', id: 'edit-contact-companies-hint' }, t.companiesHint),
        customers.length > 10 && field('edit-contact-company-search', adminMessages.customers.search, search),
        h('div', { class: 'company-choice-list' }, ...companyRows),
      ),
      h('div', { class: 'row-actions' }, save.button, cancel),
    );
    const dialog = h('dialog', { class: 'card edit-dialog', 'aria-labelledby': 'edit-contact-heading' }, form);
    const close = () => {
      dialog.close();
      dialog.remove();
      opener.focus();
    };
    cancel.addEventListener('click', close);
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      close();
    });
    const inputsByField: Readonly<Record<string, HTMLInputElement>> = {
      name: nameInput,
      email: emailInput,
      personalNumber: numberInput,
    };
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (reportMissing([nameInput, emailInput], messages, t.missingFields)) return;
      const customerIds = boxes.filter((box) => box.checked).map((box) => box.value);
      if (customerIds.length === 0) {
        messages.error(t.errors.customerIds ?? t.missingFields);
        boxes[0]?.focus();
        return;
      }
      const name = nameInput.value.trim();
      const email = emailInput.value.trim().toLowerCase();
      const number = numberInput.value.trim();
      const companiesChanged = customerIds.length !== own.size || customerIds.some((id) => !own.has(id));
      const change = {
        ...(name === contact.name ? {} : { name }),
        ...(email === contact.email ? {} : { email }),
        ...(removeNumber.checked ? { personalNumber: null } : number ? { personalNumber: number } : {}),
        ...(companiesChanged ? { customerIds } : {}),
      };
      if (Object.keys(change).length === 0) {
        close();
        return;
      }
      await sendAdminForm(form, {
        submit: save,
        inputsByField,
        messages,
        texts: t.errors,
        // The session is gone: the dialog closes over the login the page now shows.
        sessionEnded: (caught) => {
          if (!failed(caught)) return false;
          close();
          return true;
        },
        send: async () => {
          const changed = await adminApi.editContact(contact.id, change);
          close();
          onSaved(changed);
        },
      });
    });
    document.body.append(dialog);
    dialog.showModal();
    nameInput.focus();
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
    if (reportMissing([nameInput, emailInput], formMessages, t.missingFields)) return;
    await sendAdminForm(form, {
      submit,
      inputsByField,
      messages: formMessages,
      texts: t.errors,
      sessionEnded: failed,
      send: async () => {
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
      },
    });
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
      h('p', { class: 'field-hint' }, t.inviteHint),
      status.element,
      list,
      form,
    ),
    load,
  };
}
