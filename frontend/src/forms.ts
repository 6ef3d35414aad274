import { type Child, h } from './dom';

/*
 * Form pieces the portal's pages and the admin pages share. Forms are `novalidate`: what is missing or wrong is said
 * in our own texts (the browser's follow the browser's language), and marked with aria-invalid for assistive
 * technology.
 */

/** The card a login-like page is (logging in, setting a password, the admin login steps), named by its heading. */
export function loginCard(heading: HTMLHeadingElement, ...content: Child[]): HTMLElement {
  return h('section', { class: 'card login-card', 'aria-labelledby': heading.id }, heading, ...content);
}

export function field(id: string, label: string, input: HTMLInputElement): HTMLElement {
  return h('div', { class: 'field' }, h('label', { for: id }, label), input);
}

export function setInvalid(input: HTMLInputElement, invalid: boolean): void {
  if (invalid) {
    input.setAttribute('aria-invalid', 'true');
  } else {
    input.removeAttribute('aria-invalid');
  }
}

/** Marks the required inputs left empty as invalid (and the others as valid again); returns the first empty one. */
export function firstMissing(inputs: readonly HTMLInputElement[]): HTMLInputElement | undefined {
  const missing = inputs.filter((input) => input.value.trim() === '');
  for (const input of inputs) {
    setInvalid(input, missing.includes(input));
  }
  return missing[0];
}

export interface SubmitButton {
  readonly button: HTMLButtonElement;
  /**
   * While the form waits for the server: the button is disabled (a second Enter sends nothing twice) and says what
   * is happening, and the form is aria-busy.
   */
  setBusy(form: HTMLFormElement, busy: boolean): void;
}

export function submitButton(label: string, busyLabel: string): SubmitButton {
  const button = h('button', { type: 'submit', class: 'button button-primary button-block' }, label);
  return {
    button,
    setBusy(form, busy) {
      button.disabled = busy;
      button.textContent = busy ? busyLabel : label;
      if (busy) {
        form.setAttribute('aria-busy', 'true');
      } else {
        form.removeAttribute('aria-busy');
      }
    },
  };
}
