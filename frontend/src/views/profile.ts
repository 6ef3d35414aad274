import { ApiError, api, type Preferences, type Session, type SessionSummary } from '../api';
import { type Child, h, replaceChildren } from '../dom';
import { formatInstant } from '../format';
import { setInvalid } from '../forms';
import { messages } from '../i18n';
import { passwordWithToggle, setPasswordForm } from '../set-password-form';
import type { Notice, View } from './view';

/** The server's minimum without a second factor (functions/domain/password-policy.ts); only a hint here. */
const MIN_LENGTH = 15;

export interface ProfileViewOptions {
  readonly session: Session;
  readonly onBackToList: () => void;
  /** The session ended while the page was open (timeout, or ended from another device). */
  readonly onSessionEnded: () => void;
  /** This session was ended on purpose (logout, "log out everywhere"): the login page, saying so. */
  readonly onLoggedOut: (notice: Notice) => void;
  /** The header's logout, so both buttons behave the same. */
  readonly onLogout: () => void;
  readonly onPreferencesChanged: (preferences: Preferences) => void;
}

/**
 * "Min profil": who the contact is (the clinic keeps name and e-mail), their password, whether they want a mail
 * about new invoice bases, and where they are logged in, with a way to end any of those sessions.
 */
export function profileView(options: ProfileViewOptions): View {
  const t = messages.profile;
  const heading = h('h1', { id: 'profile-heading', tabindex: -1 }, t.title);
  // A link (it goes somewhere; open in a new tab works); a plain click returns to the list with its filters.
  const back = h('a', { href: '/', class: 'text-link' }, t.backToList);
  back.addEventListener('click', (event) => {
    if (event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey) {
      event.preventDefault();
      options.onBackToList();
    }
  });

  const sessions = sessionsSection(options);
  return {
    title: t.title,
    element: h(
      'div',
      { class: 'profile' },
      h('p', { class: 'profile-back' }, back),
      heading,
      detailsSection(options.session),
      passwordSection(options),
      notificationsSection(options),
      sessions.element,
      logoutSection(options),
    ),
    focusTarget: heading,
    onMount: () => void sessions.load(),
  };
}

/** A card of the profile page, named by its h2. */
function card(id: string, title: string, ...content: Child[]): HTMLElement {
  return h('section', { class: 'card profile-card', 'aria-labelledby': id }, h('h2', { id }, title), ...content);
}

function detailsSection(session: Session): HTMLElement {
  const t = messages.profile;
  return card(
    'profile-details-heading',
    t.detailsHeading,
    h(
      'dl',
      { class: 'profile-details' },
      h('dt', {}, t.name),
      h('dd', {}, session.contact.name),
      h('dt', {}, t.email),
      h('dd', {}, session.contact.email),
    ),
    h('p', { class: 'hint' }, t.detailsHint),
  );
}

function passwordSection(options: ProfileViewOptions): HTMLElement {
  const t = messages.profile;
  // Success is announced politely; failures are alerts (see showError).
  const status = h('div', { class: 'form-message', id: 'change-password-message', 'aria-live': 'polite' });
  const current = h('input', {
    id: 'current-password',
    name: 'current-password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const currentField = h(
    'div',
    { class: 'field' },
    h('label', { for: current.id }, t.currentPassword),
    passwordWithToggle(current, t),
  );
  /** An empty text says nothing: the page has already answered otherwise (another view, or the no-password line). */
  const showError = (text: string) =>
    replaceChildren(status, text && h('p', { class: 'message message-error', role: 'alert' }, text));

  const section = card(
    'change-password-heading',
    t.passwordHeading,
    h('p', { class: 'hint' }, t.passwordIntro),
    status,
  );
  const form = setPasswordForm({
    id: 'profile-new-password',
    minLength: MIN_LENGTH,
    texts: t,
    locale: messages.locale,
    leadingFields: [currentField],
    checkLeadingFields: () => {
      const missing = current.value === '';
      setInvalid(current, missing);
      if (missing) {
        showError(t.missingCurrentPassword);
        current.focus();
      }
      return !missing;
    },
    showError,
    clearMessage: () => replaceChildren(status),
    send: async (newPassword) => {
      setInvalid(current, false);
      await api.me.changePassword(current.value, newPassword);
      replaceChildren(status, h('p', { class: 'message message-info' }, t.passwordChanged));
    },
    errorText: (error) => {
      if (!(error instanceof ApiError)) {
        return messages.genericError;
      }
      if (error.isUnauthenticated) {
        options.onSessionEnded();
        return '';
      }
      if (error.code === 'wrong_current_password') {
        setInvalid(current, true);
        current.focus();
        return t.wrongCurrentPassword;
      } else if (error.code === 'no_password') {
        // A BankID-only contact: there is nothing to change, so the form gives way to a sentence.
        form.replaceWith(h('p', {}, t.noPassword));
        return '';
      } else if (error.status === 429) {
        return t.tooManyAttempts;
      }
      return error.code === 'network_error' ? messages.networkError : messages.genericError;
    },
  });
  section.append(form);
  return section;
}

function notificationsSection(options: ProfileViewOptions): HTMLElement {
  const t = messages.profile;
  const status = h('div', { class: 'form-message', role: 'status' });
  const checkbox = h('input', {
    id: 'notify-on-new-document',
    type: 'checkbox',
    class: 'checkbox-input',
    'aria-describedby': 'notify-hint',
    checked: options.session.preferences.notifyOnNewDocument,
  });
  // Saved at once: a checkbox that needs a separate "save" is easy to leave unsaved.
  checkbox.addEventListener('change', async () => {
    const wanted = checkbox.checked;
    checkbox.disabled = true;
    replaceChildren(status);
    try {
      const preferences = await api.me.updatePreferences({ notifyOnNewDocument: wanted });
      options.onPreferencesChanged(preferences);
      replaceChildren(
        status,
        h('p', { class: 'message message-info' }, preferences.notifyOnNewDocument ? t.notifyOn : t.notifyOff),
      );
    } catch (error) {
      if (error instanceof ApiError && error.isUnauthenticated) {
        options.onSessionEnded();
        return;
      }
      checkbox.checked = !wanted;
      replaceChildren(status, h('p', { class: 'message message-error' }, t.notifyError));
    } finally {
      checkbox.disabled = false;
    }
  });
  return card(
    'notifications-heading',
    t.notificationsHeading,
    h('div', { class: 'checkbox-field' }, checkbox, h('label', { for: checkbox.id }, t.notifyOnNewDocument)),
    h('p', { class: 'hint', id: 'notify-hint' }, t.notifyHint),
    status,
  );
}

function sessionsSection(options: ProfileViewOptions): { element: HTMLElement; load: () => Promise<void> } {
  const t = messages.profile;
  const status = h('div', { class: 'form-message', role: 'status' });
  const list = h('div', { class: 'session-list' }, h('p', { class: 'hint' }, t.sessionsLoading));
  const endOthers = h('button', { type: 'button', class: 'button button-secondary' }, t.endOthers);
  const endAll = h(
    'button',
    { type: 'button', class: 'button button-secondary', 'aria-describedby': 'end-all-hint' },
    t.endAll,
  );
  const actions = h(
    'div',
    { class: 'session-actions' },
    endOthers,
    endAll,
    h('p', { class: 'hint', id: 'end-all-hint' }, t.endAllHint),
  );

  const say = (text: string, kind: 'info' | 'error') =>
    replaceChildren(status, h('p', { class: `message message-${kind}` }, text));
  /** Runs a change; a lost session leads to the login page, anything else is said in the status line. */
  const attempt = async (button: HTMLButtonElement, action: () => Promise<void>, errorText: string) => {
    button.disabled = true;
    try {
      await action();
    } catch (error) {
      if (error instanceof ApiError && error.isUnauthenticated) {
        options.onSessionEnded();
        return;
      }
      say(errorText, 'error');
    } finally {
      button.disabled = false;
    }
  };

  const render = (sessions: readonly SessionSummary[]) => {
    const others = sessions.filter((session) => !session.current);
    endOthers.hidden = others.length === 0;
    replaceChildren(
      list,
      h(
        'ul',
        { class: 'sessions', 'aria-label': t.sessionsCaption },
        ...sessions.map((session) => sessionItem(session)),
      ),
    );
  };
  const sessionItem = (session: SessionSummary): HTMLElement => {
    const loggedInAt = formatInstant(session.createdAt);
    const item = h(
      'li',
      { class: session.current ? 'session session-current' : 'session' },
      h(
        'div',
        { class: 'session-text' },
        h('p', { class: 'session-name' }, session.current ? t.thisDevice : t.otherDevice),
        h(
          'p',
          { class: 'hint' },
          `${t.loggedInAt} ${loggedInAt} · ${t.lastSeenAt} ${formatInstant(session.lastSeenAt)}`,
        ),
      ),
    );
    if (!session.current) {
      const end = h(
        'button',
        { type: 'button', class: 'button button-ghost', 'aria-label': t.endSessionLabel(loggedInAt) },
        t.endSession,
      );
      end.addEventListener('click', () =>
        attempt(
          end,
          async () => {
            await api.me.endSession(session.id);
            item.remove();
            endOthers.hidden = list.querySelectorAll('.session:not(.session-current)').length === 0;
            say(t.sessionEnded, 'info');
            // The removed button had focus: the list's section keeps the keyboard user in place.
            heading.focus();
          },
          t.sessionEndError,
        ),
      );
      item.append(end);
    }
    return item;
  };

  endOthers.addEventListener('click', () =>
    attempt(
      endOthers,
      async () => {
        const { revokedSessions } = await api.me.endOtherSessions();
        await load();
        say(t.othersEnded(revokedSessions), 'info');
      },
      t.sessionEndError,
    ),
  );
  endAll.addEventListener('click', () =>
    attempt(
      endAll,
      async () => {
        await api.me.endAllSessions();
        options.onLoggedOut({ kind: 'info', text: t.loggedOutEverywhere });
      },
      t.sessionEndError,
    ),
  );

  const load = async (): Promise<void> => {
    try {
      render(await api.me.listSessions());
    } catch (error) {
      if (error instanceof ApiError && error.isUnauthenticated) {
        options.onSessionEnded();
        return;
      }
      replaceChildren(list, h('p', { class: 'message message-error' }, t.sessionsError));
    }
  };

  const element = card(
    'sessions-heading',
    t.sessionsHeading,
    h('p', { class: 'hint' }, t.sessionsIntro),
    status,
    list,
    actions,
  );
  const heading = element.querySelector('h2') as HTMLHeadingElement;
  heading.tabIndex = -1;
  return { element, load };
}

function logoutSection(options: ProfileViewOptions): HTMLElement {
  const t = messages.profile;
  const logout = h('button', { type: 'button', class: 'button button-primary' }, t.logout);
  logout.addEventListener('click', options.onLogout);
  return card('logout-heading', t.logoutHeading, logout);
}
