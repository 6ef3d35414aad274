import { h, replaceChildren } from '../../dom';
import { formatInstant } from '../../format';
import { field, submitButton } from '../../forms';
import { adminMessages } from '../../i18n/admin';
import type { View } from '../../views/view';
import { type AdminRole, type AdminUser, ApiError, adminApi } from '../api';
import { writeControl } from '../write-controls';
import {
  adminTable,
  fallbackErrorText,
  loadingPlace,
  messageRegion,
  reportMissing,
  sendAdminForm,
  sessionGuard,
  stepHeading,
} from './form-parts';

export interface AdminUsersViewOptions {
  readonly onSessionEnded: () => void;
}

const ROLES: readonly AdminRole[] = ['admin', 'read-only'];

/**
 * The clinic's administrators: who they are, their role, status and authenticator; inviting a further one; and for
 * each other active administrator a new invitation, another role, an authenticator reset and deactivation. The
 * administrator's own row has no actions (the server refuses them too: 409 `own_account`).
 */
export function adminUsersView(options: AdminUsersViewOptions): View {
  const t = adminMessages.admins;
  const heading = stepHeading('admin-users-heading', t.title);
  const status = messageRegion('admin-users-status');
  const list = loadingPlace();
  const failed = sessionGuard(options.onSessionEnded);
  const roleName = (role: string) => t.roles[role] ?? role;
  /** Our words for a refusal the server names by its code (guard rails, conflicts), else the generic ones. */
  const errorText = (caught: unknown) =>
    (caught instanceof ApiError ? t.errors[caught.code] : undefined) ?? fallbackErrorText(caught);

  /** Runs one row action: its button busy meanwhile, the outcome said in the page's status region. */
  const act = async (button: HTMLButtonElement, action: () => Promise<string>) => {
    button.disabled = true;
    status.clear();
    try {
      status.info(await action());
      await load();
    } catch (caught) {
      if (failed(caught)) return;
      status.error(errorText(caught));
      button.disabled = false;
    }
  };

  const actionsFor = (admin: AdminUser): HTMLElement => {
    const actions = h('div', { class: 'row-actions' });
    if (admin.self || admin.status !== 'active') return actions;
    const selectId = `admin-role-${admin.id}`;
    const select = h(
      'select',
      { id: selectId, name: 'role', 'aria-label': t.roleLabel(admin.name) },
      ...ROLES.map((role) => h('option', { value: role, selected: admin.role === role }, roleName(role))),
    );
    const saveRole = h(
      'button',
      { type: 'button', class: 'button button-secondary', 'aria-label': t.saveRoleLabel(admin.name) },
      t.saveRole,
    );
    saveRole.addEventListener('click', () =>
      act(saveRole, async () => {
        const changed = await adminApi.changeAdminRole(admin.id, select.value === 'read-only' ? 'read-only' : 'admin');
        return t.roleChanged(changed.name, roleName(changed.role));
      }),
    );
    const invite = h(
      'button',
      { type: 'button', class: 'button button-secondary', 'aria-label': t.inviteLabel(admin.name) },
      t.invite,
    );
    invite.addEventListener('click', () =>
      act(invite, async () => t.invited((await adminApi.reinviteAdmin(admin.id)).sentTo)),
    );
    const reset = h(
      'button',
      { type: 'button', class: 'button button-ghost', 'aria-label': t.resetTotpLabel(admin.name) },
      t.resetTotp,
    );
    reset.addEventListener('click', () => {
      if (!window.confirm(t.confirmResetTotp(admin.name))) return;
      void act(reset, async () => t.totpReset((await adminApi.resetAdminTotp(admin.id)).admin.name));
    });
    const deactivate = h(
      'button',
      { type: 'button', class: 'button button-ghost', 'aria-label': t.deactivateLabel(admin.name) },
      t.deactivate,
    );
    deactivate.addEventListener('click', () => {
      if (!window.confirm(t.confirmDeactivate(admin.name))) return;
      void act(deactivate, async () => t.deactivatedNotice((await adminApi.deactivateAdmin(admin.id)).admin.name));
    });
    actions.append(
      writeControl(h('div', { class: 'field field-inline role-choice' }, select, saveRole)),
      writeControl(invite),
      writeControl(reset),
      writeControl(deactivate),
    );
    return actions;
  };

  const row = (admin: AdminUser): HTMLTableRowElement =>
    h(
      'tr',
      {},
      h('th', { scope: 'row' }, admin.name, admin.self && h('span', { class: 'download-by' }, t.you)),
      h('td', {}, admin.email),
      h('td', {}, roleName(admin.role)),
      h(
        'td',
        {},
        h(
          'span',
          { class: admin.status === 'active' ? 'badge badge-new' : 'badge badge-muted' },
          admin.status === 'active' ? t.active : t.deactivated,
        ),
      ),
      h('td', {}, t.totpStates[admin.totp] ?? admin.totp),
      h('td', {}, formatInstant(admin.createdAt)),
      h('td', {}, actionsFor(admin)),
    );

  const load = async (): Promise<void> => {
    try {
      const admins = await adminApi.listAdmins();
      replaceChildren(
        list,
        adminTable(
          t.caption,
          [t.name, t.email, t.role, t.status, t.authenticator, t.created, t.actions],
          h('tbody', {}, ...admins.map(row)),
        ),
      );
    } catch (caught) {
      if (failed(caught)) return;
      replaceChildren(list, h('p', { class: 'message message-error', role: 'alert' }, fallbackErrorText(caught)));
    } finally {
      list.removeAttribute('aria-busy');
    }
  };

  // Inviting: name, address and role; the server names what is wrong, and mails the set-password link.
  const nameInput = h('input', { id: 'admin-name', name: 'name', type: 'text', autocomplete: 'off', required: true });
  const emailInput = h('input', {
    id: 'admin-email',
    name: 'email',
    type: 'email',
    autocomplete: 'off',
    required: true,
  });
  const roleSelect = h(
    'select',
    { id: 'admin-role', name: 'role' },
    ...ROLES.map((role) => h('option', { value: role }, roleName(role))),
  );
  const inputsByField: Readonly<Record<string, HTMLInputElement>> = { name: nameInput, email: emailInput };
  const formMessages = messageRegion('admin-form-messages');
  const submit = submitButton(t.add, t.adding);
  const form = writeControl(
    h(
      'form',
      { class: 'card contact-form', novalidate: true, 'aria-labelledby': 'admin-form-heading' },
      h('h2', { id: 'admin-form-heading' }, t.addTitle),
      formMessages.element,
      field('admin-name', t.addName, nameInput),
      field('admin-email', t.addEmail, emailInput),
      h('div', { class: 'field' }, h('label', { for: 'admin-role' }, t.addRole), roleSelect),
      submit.button,
    ),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (reportMissing([nameInput, emailInput], formMessages, t.missingFields)) return;
    await sendAdminForm(form, {
      submit,
      inputsByField,
      messages: formMessages,
      texts: t.errors,
      fallback: errorText,
      sessionEnded: failed,
      send: async () => {
        const invited = await adminApi.inviteAdmin({
          name: nameInput.value.trim(),
          email: emailInput.value.trim(),
          role: roleSelect.value === 'read-only' ? 'read-only' : 'admin',
        });
        form.reset();
        formMessages.info(t.added(invited.admin.name, invited.invitation.sentTo));
        await load();
      },
    });
  });

  return {
    title: t.title,
    element: h(
      'section',
      { class: 'admin-page', 'aria-labelledby': 'admin-users-heading' },
      heading,
      h('p', {}, t.intro),
      status.element,
      list,
      form,
    ),
    focusTarget: heading,
    onMount: () => void load(),
  };
}
