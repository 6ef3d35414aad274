import { h, replaceChildren } from '../../dom';
import { formatInstant } from '../../format';
import { field, firstMissing, submitButton } from '../../forms';
import { adminMessages } from '../../i18n/admin';
import type { View } from '../../views/view';
import { type ApiKeySummary, adminApi, type IssuedApiKey } from '../api';
import { writeControl } from '../write-controls';
import { adminTable, fallbackErrorText, loadingPlace, messageRegion, sessionGuard, stepHeading } from './form-parts';

export interface ApiKeysViewOptions {
  readonly onSessionEnded: () => void;
}

/**
 * The clinic's API keys for its practice system: which exist (never the key itself), creating one and rotating one
 * (the new key shown once, in a box to copy from), revoking one.
 */
export function apiKeysView(options: ApiKeysViewOptions): View {
  const t = adminMessages.apiKeys;
  const heading = stepHeading('admin-api-keys-heading', t.title);
  const status = messageRegion('api-keys-status');
  const secretPlace = h('div', {});
  const list = loadingPlace();

  const failed = sessionGuard(options.onSessionEnded);

  /** The new key, this once: selected in a read-only field, with focus, so it can be copied at once. */
  const showSecret = (issued: IssuedApiKey) => {
    const secret = h('input', {
      id: 'api-key-secret',
      type: 'text',
      readonly: true,
      class: 'secret-key',
      value: issued.secret,
      spellcheck: 'false',
    });
    replaceChildren(
      secretPlace,
      h(
        'section',
        { class: 'card secret-card', 'aria-labelledby': 'api-key-secret-heading' },
        h('h2', { id: 'api-key-secret-heading' }, t.secretTitle),
        h('p', {}, t.secretIntro),
        h('label', { for: 'api-key-secret' }, `${t.secretLabel}: ${issued.key.name}`),
        secret,
      ),
    );
    secret.focus();
    secret.select();
  };

  const row = (key: ApiKeySummary): HTMLTableRowElement => {
    const actions = h('div', { class: 'row-actions' });
    if (key.state === 'active') {
      const rotate = writeControl(
        h(
          'button',
          { type: 'button', class: 'button button-secondary', 'aria-label': t.rotateLabel(key.name) },
          t.rotate,
        ),
      );
      rotate.addEventListener('click', async () => {
        if (!window.confirm(t.confirmRotate(key.name))) return;
        rotate.disabled = true;
        try {
          showSecret(await adminApi.rotateApiKey(key.id));
          await load();
        } catch (caught) {
          if (failed(caught)) return;
          status.error(fallbackErrorText(caught));
          rotate.disabled = false;
        }
      });
      actions.append(rotate);
    }
    if (key.state === 'active' || key.state === 'expiring') {
      const revoke = writeControl(
        h('button', { type: 'button', class: 'button button-ghost', 'aria-label': t.revokeLabel(key.name) }, t.revoke),
      );
      revoke.addEventListener('click', async () => {
        if (!window.confirm(t.confirmRevoke(key.name))) return;
        revoke.disabled = true;
        try {
          await adminApi.revokeApiKey(key.id);
          status.info(t.revoked(key.name));
          await load();
        } catch (caught) {
          if (failed(caught)) return;
          status.error(fallbackErrorText(caught));
          revoke.disabled = false;
        }
      });
      actions.append(revoke);
    }
    const state = t.states[key.state] ?? key.state;
    return h(
      'tr',
      {},
      h('th', { scope: 'row' }, key.name),
      h('td', {}, h('code', {}, `${key.displayPrefix}…`)),
      h('td', {}, formatInstant(key.createdAt), h('span', { class: 'download-by' }, key.createdBy)),
      h('td', {}, key.lastUsedAt ? formatInstant(key.lastUsedAt) : t.never),
      h(
        'td',
        {},
        h('span', { class: key.state === 'active' ? 'badge badge-new' : 'badge badge-muted' }, state),
        key.state === 'expiring' &&
          key.expiresAt &&
          h('span', { class: 'download-by' }, t.until(formatInstant(key.expiresAt))),
      ),
      h('td', {}, actions),
    );
  };

  const load = async (): Promise<void> => {
    try {
      const keys = await adminApi.listApiKeys();
      replaceChildren(
        list,
        keys.length === 0
          ? h('p', {}, t.none)
          : adminTable(
              t.caption,
              [t.name, t.prefix, t.created, t.lastUsed, t.state, t.actions],
              h('tbody', {}, ...keys.map(row)),
            ),
      );
    } catch (caught) {
      if (failed(caught)) return;
      replaceChildren(list, h('p', { class: 'message message-error', role: 'alert' }, fallbackErrorText(caught)));
    } finally {
      list.removeAttribute('aria-busy');
    }
  };

  const nameInput = h('input', {
    id: 'api-key-name',
    name: 'name',
    type: 'text',
    autocomplete: 'off',
    required: true,
    maxlength: 100,
  });
  const formMessages = messageRegion('api-key-form-messages');
  const submit = submitButton(t.create, t.creating);
  const form = writeControl(
    h(
      'form',
      { class: 'card contact-form', novalidate: true, 'aria-labelledby': 'api-key-form-heading' },
      h('h2', { id: 'api-key-form-heading' }, t.createTitle),
      formMessages.element,
      field('api-key-name', t.createName, nameInput),
      submit.button,
    ),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (firstMissing([nameInput])) {
      formMessages.error(t.missingName);
      nameInput.focus();
      return;
    }
    submit.setBusy(form, true);
    formMessages.clear();
    try {
      showSecret(await adminApi.createApiKey(nameInput.value.trim()));
      form.reset();
      await load();
    } catch (caught) {
      if (failed(caught)) return;
      formMessages.error(fallbackErrorText(caught));
    } finally {
      submit.setBusy(form, false);
    }
  });

  return {
    title: t.title,
    element: h(
      'section',
      { class: 'admin-page', 'aria-labelledby': 'admin-api-keys-heading' },
      heading,
      h('p', {}, t.intro),
      status.element,
      secretPlace,
      list,
      form,
    ),
    focusTarget: heading,
    onMount: () => void load(),
  };
}
