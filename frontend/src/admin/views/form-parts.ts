import { type Child, h, replaceChildren } from '../../dom';
import { firstMissing, type SubmitButton, setInvalid } from '../../forms';
import { adminMessages } from '../../i18n/admin';
import { ApiError } from '../api';

/*
 * Pieces of the admin pages' forms, beside those they share with the portal's (../../forms.ts): the step heading, a
 * region for the form's messages (errors are role=alert, so they are announced at once), and the code input with
 * what sending a code for a login challenge does.
 */

/** A step's heading: focus moves to it when the step appears, so screen-reader users hear where they are. */
export function stepHeading(id: string, text: string): HTMLHeadingElement {
  return h('h1', { id, tabindex: -1 }, text);
}

export interface MessageRegion {
  readonly element: HTMLElement;
  error(text: string): void;
  info(text: string, kind?: 'info' | 'warning'): void;
  clear(): void;
}

export function messageRegion(id: string): MessageRegion {
  const element = h('div', { class: 'form-message', id });
  return {
    element,
    error: (text) => replaceChildren(element, h('p', { class: 'message message-error', role: 'alert' }, text)),
    info: (text, kind = 'info') =>
      replaceChildren(element, h('p', { class: `message message-${kind}`, role: 'status' }, text)),
    clear: () => replaceChildren(element),
  };
}

/** The input for a code from an authenticator app: digits, and the browser may offer a code it received. */
export function oneTimeCodeInput(id: string): HTMLInputElement {
  return h('input', {
    id,
    name: 'code',
    type: 'text',
    class: 'code-input',
    inputmode: 'numeric',
    autocomplete: 'one-time-code',
    pattern: '[0-9 ]*',
    maxlength: 7,
    spellcheck: 'false',
    required: true,
  });
}

/** The text for an error without a more specific one: too many attempts, the network, a read-only role, or something else. */
export function fallbackErrorText(error: unknown): string {
  if (error instanceof ApiError && error.status === 429) {
    return adminMessages.login.tooManyAttempts;
  }
  if (error instanceof ApiError && error.code === 'network_error') {
    return adminMessages.networkError;
  }
  // A role changed to read-only during the session: the page still showed a control the server now refuses.
  if (error instanceof ApiError && error.code === 'read_only') {
    return adminMessages.readOnly;
  }
  return adminMessages.genericError;
}

export interface CodeSubmission {
  readonly form: HTMLFormElement;
  readonly submit: SubmitButton;
  readonly messages: MessageRegion;
  /** The input the code is typed in, asked when the form is sent (the code step switches between two). */
  readonly input: () => HTMLInputElement;
  /** What to say when the server answers that the code is wrong. */
  readonly invalidCodeText: () => string;
  /** Sends the code; when it resolves, the login has moved on to another view. */
  readonly send: (code: string) => Promise<void>;
  /** The login challenge is gone (expired, used, too many wrong codes): the login starts again. */
  readonly onChallengeExpired: () => void;
}

/**
 * Sending a code for a login challenge (the code step, and confirming a new authenticator): an empty or a wrong code
 * is said in the form's messages and marked on the input, and a wrong one is selected, ready to be typed again.
 */
export function onCodeSubmit(submission: CodeSubmission): void {
  const { form, submit, messages } = submission;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.button.disabled) {
      return;
    }
    const input = submission.input();
    if (firstMissing([input])) {
      messages.error(adminMessages.code.missingCode);
      input.focus();
      return;
    }
    messages.clear();
    submit.setBusy(form, true);
    try {
      await submission.send(input.value.trim());
    } catch (error) {
      if (error instanceof ApiError && error.code === 'challenge_expired') {
        submission.onChallengeExpired();
        return;
      }
      const wrong = error instanceof ApiError && error.code === 'invalid_code';
      setInvalid(input, wrong);
      messages.error(wrong ? submission.invalidCodeText() : fallbackErrorText(error));
      submit.setBusy(form, false);
      input.select();
      input.focus();
    }
  });
}

/**
 * What the admin pages do with an error of a call: a session that ended sends the administrator to the login step
 * (`true`: nothing more to do); any other error is the caller's to show (`false`).
 */
export function sessionGuard(onSessionEnded: () => void): (error: unknown) => boolean {
  return (error) => {
    if (error instanceof ApiError && error.status === 401) {
      onSessionEnded();
      return true;
    }
    return false;
  };
}

/** A list's place while it loads: it fills the screen (no layout shift when the rows arrive) and is aria-busy. */
export function loadingPlace(): HTMLElement {
  return h(
    'div',
    { class: 'admin-content', 'aria-busy': 'true' },
    h('p', { class: 'loading' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), adminMessages.loading),
  );
}

/** An admin list: a captioned table with column headers, in the portal's table frame. */
export function adminTable(caption: string, headers: readonly Child[], body: HTMLTableSectionElement): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'admin-table' },
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, ...headers.map((label) => h('th', { scope: 'col' }, label)))),
      body,
    ),
  );
}

/** The "show more" of a paged list: a button that loads the page after `nextCursor`, or nothing on the last page. */
export function renderShowMore(
  place: HTMLElement,
  nextCursor: string | undefined,
  loadMore: (cursor: string) => void,
): void {
  if (nextCursor === undefined) {
    replaceChildren(place);
    return;
  }
  const button = h('button', { type: 'button', class: 'button button-secondary' }, adminMessages.showMore);
  button.addEventListener('click', () => loadMore(nextCursor));
  replaceChildren(place, button);
}

export interface FieldRefusalOptions {
  /** The form's inputs by the field names the API uses in `details.fields`. */
  readonly inputsByField: Readonly<Record<string, HTMLInputElement>>;
  readonly messages: MessageRegion;
  /** Our own words for what the server names: by a conflict's error code, or by the first field it refused. */
  readonly texts: Readonly<Record<string, string>>;
  /** The text when none of `texts` fits; {@link fallbackErrorText} unless given. */
  readonly fallback?: (caught: unknown) => string;
}

/**
 * Shows the server's refusal of a form: marks the inputs of the fields it named (`details.fields` of a 400), says
 * in our own words what it named, and moves focus to the first marked input, so a keyboard user lands on it.
 */
export function showFieldRefusal(caught: unknown, options: FieldRefusalOptions): void {
  const fields =
    caught instanceof ApiError ? (caught.details?.fields as Record<string, string> | undefined) : undefined;
  const named = Object.keys(fields ?? {});
  const wrong = named.map((name) => options.inputsByField[name]).filter((input) => input !== undefined);
  for (const input of wrong) setInvalid(input, true);
  const known = caught instanceof ApiError ? (options.texts[caught.code] ?? options.texts[named[0] ?? '']) : undefined;
  options.messages.error(known ?? (options.fallback ?? fallbackErrorText)(caught));
  wrong[0]?.focus();
}

/**
 * True (and the message said, focus on the field) when one of the required inputs is empty: the check every admin
 * form makes before it sends anything.
 */
export function reportMissing(required: readonly HTMLInputElement[], messages: MessageRegion, text: string): boolean {
  const missing = firstMissing(required);
  if (!missing) return false;
  messages.error(text);
  missing.focus();
  return true;
}

/**
 * Sends an admin form: the button busy while it waits, earlier marks and messages cleared, and a refusal shown on
 * its fields ({@link showFieldRefusal}) — unless `sessionEnded` takes the error (the session is gone: the caller has
 * shown the login).
 */
export async function sendAdminForm(
  form: HTMLFormElement,
  options: FieldRefusalOptions & {
    readonly submit: SubmitButton;
    readonly sessionEnded: (caught: unknown) => boolean;
    readonly send: () => Promise<void>;
  },
): Promise<void> {
  options.submit.setBusy(form, true);
  options.messages.clear();
  for (const input of Object.values(options.inputsByField)) setInvalid(input, false);
  try {
    await options.send();
  } catch (caught) {
    if (options.sessionEnded(caught)) return;
    showFieldRefusal(caught, options);
  } finally {
    options.submit.setBusy(form, false);
  }
}
