import type { CustomerSummary, Session } from '../api';
import { h } from '../dom';
import { messages } from '../i18n';
import type { View } from './view';

export interface CompanyChoiceOptions {
  readonly session: Session;
  readonly onChosen: (customer: CustomerSummary) => void;
}

/**
 * After login, a contact person of several customer companies says which company they act for now (they can switch
 * later in the list). One button per company, in the order the server gives, so a keyboard user tabs through them.
 */
export function companyChoiceView(options: CompanyChoiceOptions): View {
  const t = messages.companyChoice;
  const heading = h('h1', { id: 'company-choice-heading', tabindex: -1 }, t.title);
  const buttons = options.session.customers.map((customer) => {
    const button = h('button', { type: 'button', class: 'button button-secondary button-block' }, customer.name);
    button.addEventListener('click', () => options.onChosen(customer));
    return h('li', {}, button);
  });
  return {
    title: t.title,
    element: h(
      'section',
      { class: 'card login-card', 'aria-labelledby': 'company-choice-heading' },
      heading,
      h('p', { class: 'lead' }, t.intro(options.session.contact.name)),
      h('ul', { class: 'company-choices', 'aria-labelledby': 'company-choice-heading' }, ...buttons),
      h('p', { class: 'hint' }, t.switchLater),
    ),
    focusTarget: heading,
  };
}
