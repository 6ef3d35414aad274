import { h, replaceChildren } from '../../dom';
import { setInvalid, submitButton } from '../../forms';
import { adminMessages } from '../../i18n/admin';
import type { View } from '../../views/view';
import { ApiError, adminApi, type Settings } from '../api';
import { writeControl } from '../write-controls';
import { fallbackErrorText, type MessageRegion, messageRegion, stepHeading } from './form-parts';

export interface SettingsViewOptions {
  readonly onSessionEnded: () => void;
}

/**
 * The clinic's settings: the logo (uploaded or removed on its own, after a preview), and the name, support text,
 * colours, contact details, contacts' login methods, session timeouts and default publishing rule, saved together.
 */
export function settingsView(options: SettingsViewOptions): View {
  const t = adminMessages.settings;
  const heading = stepHeading('admin-settings-heading', t.title);
  const messages = messageRegion('settings-messages');
  const adjusted = h('p', { class: 'message message-warning', hidden: true }, t.adjusted);

  const text = (id: string, type = 'text') => h('input', { id, name: id, type, autocomplete: 'off' });
  const inputs = {
    name: text('settings-name'),
    primaryColor: text('settings-primary-color'),
    accentColor: text('settings-accent-color'),
    phone: text('settings-phone', 'tel'),
    email: text('settings-email', 'email'),
    openingHours: text('settings-opening-hours'),
    idleMinutes: text('settings-idle-minutes', 'number'),
    absoluteHours: text('settings-absolute-hours', 'number'),
  };
  const supportText = h('textarea', { id: 'settings-support-text', name: 'supportText', rows: 3 });
  const checkbox = (id: string) => h('input', { id, name: id, type: 'checkbox' });
  const loginMethods = { bankId: checkbox('settings-login-bankid'), password: checkbox('settings-login-password') };
  const radio = (id: string, value: string) => h('input', { id, name: 'defaultPublishing', type: 'radio', value });
  const publishing = {
    automatic: radio('settings-publishing-automatic', 'automatic'),
    approval: radio('settings-publishing-approval', 'approval'),
  };
  const choice = (id: string, label: string, control: HTMLInputElement) =>
    h('label', { class: 'checkbox-field', for: id }, control, label);
  const labelled = (id: string, label: string, control: HTMLElement) =>
    h('div', { class: 'field' }, h('label', { for: id }, label), control);
  const group = (legend: string, ...fields: HTMLElement[]) =>
    h('fieldset', { class: 'settings-group' }, h('legend', {}, legend), ...fields);
  const submit = submitButton(t.save, t.saving);
  const form = h(
    'form',
    { class: 'card settings-form', novalidate: true, 'aria-labelledby': 'admin-settings-heading' },
    messages.element,
    group(
      t.clinic,
      labelled('settings-name', t.name, inputs.name),
      labelled('settings-support-text', t.supportText, supportText),
    ),
    group(
      t.colours,
      labelled('settings-primary-color', t.primaryColor, inputs.primaryColor),
      adjusted,
      labelled('settings-accent-color', t.accentColor, inputs.accentColor),
    ),
    group(
      t.contact,
      labelled('settings-phone', t.phone, inputs.phone),
      labelled('settings-email', t.email, inputs.email),
      labelled('settings-opening-hours', t.openingHours, inputs.openingHours),
    ),
    group(
      t.loginMethods,
      h('p', { class: 'field-hint' }, t.loginMethodsHint),
      choice('settings-login-bankid', t.bankId, loginMethods.bankId),
      choice('settings-login-password', t.password, loginMethods.password),
    ),
    group(
      t.sessions,
      labelled('settings-idle-minutes', t.idleMinutes, inputs.idleMinutes),
      labelled('settings-absolute-hours', t.absoluteHours, inputs.absoluteHours),
    ),
    group(
      t.defaultPublishing,
      h('p', { class: 'field-hint' }, t.defaultPublishingHint),
      choice('settings-publishing-automatic', t.publishingAutomatic, publishing.automatic),
      choice('settings-publishing-approval', t.publishingApproval, publishing.approval),
    ),
    writeControl(submit.button),
  );
  const logo = logoSection(options);

  const fill = (settings: Settings) => {
    inputs.name.value = settings.name;
    supportText.value = settings.supportText ?? '';
    inputs.primaryColor.value = settings.branding?.primaryColor ?? '';
    inputs.accentColor.value = settings.branding?.accentColor ?? '';
    inputs.phone.value = settings.branding?.contact?.phone ?? '';
    inputs.email.value = settings.branding?.contact?.email ?? '';
    inputs.openingHours.value = settings.branding?.contact?.openingHours ?? '';
    inputs.idleMinutes.value = settings.sessionTimeouts?.idleMinutes?.toString() ?? '';
    inputs.absoluteHours.value = settings.sessionTimeouts?.absoluteHours?.toString() ?? '';
    loginMethods.bankId.checked = settings.loginMethods.bankId;
    loginMethods.password.checked = settings.loginMethods.password;
    publishing.automatic.checked = settings.defaultPublishing === 'automatic';
    publishing.approval.checked = settings.defaultPublishing === 'approval';
    adjusted.hidden = !settings.primaryAdjusted;
    logo.show(settings);
  };

  /** The form as the API takes it: empty fields are left out, and an empty group clears what was there. */
  const change = () => {
    const value = (input: HTMLInputElement) => input.value.trim() || undefined;
    const number = (input: HTMLInputElement) => (input.value.trim() === '' ? undefined : Number(input.value));
    const contact = {
      phone: value(inputs.phone),
      email: value(inputs.email),
      openingHours: value(inputs.openingHours),
    };
    const hasContact = Object.values(contact).some((entry) => entry !== undefined);
    const branding = {
      primaryColor: value(inputs.primaryColor),
      accentColor: value(inputs.accentColor),
      ...(hasContact ? { contact } : {}),
    };
    const timeouts = { idleMinutes: number(inputs.idleMinutes), absoluteHours: number(inputs.absoluteHours) };
    return {
      name: inputs.name.value,
      supportText: supportText.value.trim() || null,
      branding: branding.primaryColor || branding.accentColor || hasContact ? branding : null,
      sessionTimeouts: timeouts.idleMinutes !== undefined || timeouts.absoluteHours !== undefined ? timeouts : null,
      loginMethods: { bankId: loginMethods.bankId.checked, password: loginMethods.password.checked },
      defaultPublishing: publishing.approval.checked ? 'approval' : 'automatic',
    };
  };

  /** The inputs a 400 names (the domain names colours and contact lines by their own field names). */
  const inputFor: Readonly<Record<string, HTMLInputElement>> = {
    name: inputs.name,
    primaryColor: inputs.primaryColor,
    accentColor: inputs.accentColor,
    'contact.phone': inputs.phone,
    'contact.email': inputs.email,
    'contact.openingHours': inputs.openingHours,
    idleMinutes: inputs.idleMinutes,
    absoluteHours: inputs.absoluteHours,
    // Both are off when the server refuses the choice: the first is marked and focused.
    loginMethods: loginMethods.bankId,
    defaultPublishing: publishing.automatic,
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.setBusy(form, true);
    messages.clear();
    for (const input of Object.values(inputFor)) setInvalid(input, false);
    try {
      fill(await adminApi.saveSettings(change()));
      messages.info(t.saved);
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 401) {
        options.onSessionEnded();
        return;
      }
      const details = caught instanceof ApiError ? (caught.details ?? {}) : {};
      const fields = { ...details, ...((details.fields as Record<string, unknown> | undefined) ?? {}) };
      const wrong = Object.keys(fields)
        .map((name) => inputFor[name])
        .filter((input) => input !== undefined);
      for (const input of wrong) setInvalid(input, true);
      messages.error(wrong.length > 0 ? t.invalid : fallbackErrorText(caught));
      wrong[0]?.focus();
    } finally {
      submit.setBusy(form, false);
    }
  });

  return {
    title: t.title,
    element: h(
      'section',
      { class: 'admin-page', 'aria-labelledby': 'admin-settings-heading' },
      heading,
      h('p', {}, t.intro),
      logo.element,
      form,
    ),
    focusTarget: heading,
    onMount: () => {
      adminApi.getSettings().then(fill, (caught: unknown) => {
        if (caught instanceof ApiError && caught.status === 401) options.onSessionEnded();
        else messages.error(fallbackErrorText(caught));
      });
    },
  };
}

interface LogoSection {
  readonly element: HTMLElement;
  /** Shows the logo the clinic has now (after loading, saving or removing). */
  show(settings: Settings): void;
}

/**
 * The logo, saved on its own (a file, not a form field): the current one, a file chooser that shows the chosen
 * image as a preview before anything is sent, and buttons to save it or to remove the current one. The server checks
 * the file (type by content, size, dimensions) and says what is wrong; the page says it in Swedish.
 */
function logoSection(options: SettingsViewOptions): LogoSection {
  const t = adminMessages.settings;
  const messages = messageRegion('settings-logo-messages');
  const current = h('div', { class: 'logo-current', id: 'settings-logo-current' });
  const file = h('input', {
    id: 'settings-logo-file',
    name: 'logo',
    type: 'file',
    accept: 'image/png,image/jpeg',
    'aria-describedby': 'settings-logo-hint',
  });
  const previewImage = h('img', { class: 'logo-image', id: 'settings-logo-preview', alt: t.logoPreviewAlt });
  const previewFacts = h('figcaption', {});
  const preview = h('figure', { class: 'logo-preview', hidden: true }, previewImage, previewFacts);
  const save = h('button', { type: 'button', class: 'button button-primary', disabled: true }, t.saveLogo);
  const remove = h('button', { type: 'button', class: 'button button-secondary', hidden: true }, t.removeLogo);
  let chosen: File | undefined;

  const show = (settings: Settings) => {
    replaceChildren(
      current,
      settings.logo
        ? h('img', { class: 'logo-image', src: settings.logo.url, alt: t.logoCurrentAlt })
        : h('p', {}, t.noLogo),
    );
    remove.hidden = settings.logo === undefined;
  };

  file.addEventListener('change', () => {
    messages.clear();
    setInvalid(file, false);
    chosen = file.files?.[0];
    save.disabled = chosen === undefined;
    preview.hidden = chosen === undefined;
    if (!chosen) return;
    const selected = chosen;
    const reader = new FileReader();
    // A data: URL (the page's policy allows data: images): what the portal will show, before anything is sent.
    reader.addEventListener('load', () => {
      if (chosen !== selected || typeof reader.result !== 'string') return;
      previewImage.src = reader.result;
    });
    previewImage.onload = () => {
      previewFacts.textContent = t.logoPreviewFacts(
        previewImage.naturalWidth,
        previewImage.naturalHeight,
        selected.size,
      );
    };
    previewImage.onerror = () => {
      previewFacts.textContent = t.logoPreviewUnreadable;
    };
    previewFacts.textContent = t.logoPreviewFacts(undefined, undefined, selected.size);
    reader.readAsDataURL(selected);
  });

  const act = async (button: HTMLButtonElement, busyLabel: string, run: () => Promise<Settings>, done: string) => {
    const label = button.textContent ?? '';
    button.disabled = true;
    button.textContent = busyLabel;
    messages.clear();
    try {
      // Only the logo changes here: the form below keeps what is typed in it and not saved yet.
      show(await run());
      chosen = undefined;
      file.value = '';
      preview.hidden = true;
      save.disabled = true;
      messages.info(done);
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 401) {
        options.onSessionEnded();
        return;
      }
      showLogoError(messages, caught);
      setInvalid(file, caught instanceof ApiError && [400, 413, 415].includes(caught.status));
      file.focus();
    } finally {
      button.textContent = label;
      button.disabled = button === save && chosen === undefined;
    }
  };
  save.addEventListener('click', () => {
    const selected = chosen;
    if (selected) void act(save, t.savingLogo, () => adminApi.uploadLogo(selected), t.logoSaved);
  });
  remove.addEventListener('click', () => {
    void act(remove, t.removingLogo, () => adminApi.removeLogo(), t.logoRemoved);
  });

  const element = h(
    'section',
    { class: 'card settings-form', 'aria-labelledby': 'settings-logo-heading' },
    h('h2', { id: 'settings-logo-heading' }, t.logo),
    messages.element,
    current,
    // Choosing and saving a logo changes the clinic: not for read-only administrators (./write-controls.ts).
    writeControl(
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'settings-logo-file' }, t.logoFile),
        h('p', { class: 'field-hint', id: 'settings-logo-hint' }, t.logoHint),
        file,
      ),
    ),
    preview,
    writeControl(h('div', { class: 'button-row' }, save, remove)),
  );
  return { element, show };
}

function showLogoError(messages: MessageRegion, caught: unknown): void {
  const t = adminMessages.settings;
  if (!(caught instanceof ApiError)) {
    messages.error(fallbackErrorText(caught));
  } else if (caught.status === 413) {
    messages.error(t.logoTooLarge);
  } else if (caught.status === 415) {
    messages.error(t.logoWrongType);
  } else if (caught.status === 400) {
    messages.error(t.logoBroken);
  } else {
    messages.error(fallbackErrorText(caught));
  }
}
