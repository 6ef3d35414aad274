import { h } from '../../dom';
import { setInvalid, submitButton } from '../../forms';
import { adminMessages } from '../../i18n/admin';
import type { View } from '../../views/view';
import { ApiError, adminApi, type Settings } from '../api';
import { writeControl } from '../write-controls';
import { fallbackErrorText, messageRegion, stepHeading } from './form-parts';

export interface SettingsViewOptions {
  readonly onSessionEnded: () => void;
}

/** The clinic's settings: name, support text, colours, contact details and session timeouts, saved together. */
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
      t.sessions,
      labelled('settings-idle-minutes', t.idleMinutes, inputs.idleMinutes),
      labelled('settings-absolute-hours', t.absoluteHours, inputs.absoluteHours),
    ),
    writeControl(submit.button),
  );

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
    adjusted.hidden = !settings.primaryAdjusted;
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
