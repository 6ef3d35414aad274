import type { CustomerSummary } from './api';

/** Remembers the chosen company across reloads in this tab. Holds only a random id. */
const CHOSEN_CUSTOMER_KEY = 'foretagsportal.customerId';

/** The company chosen earlier in this tab, if the contact may still act for it. */
export function chosenCompany(customers: readonly CustomerSummary[]): CustomerSummary | undefined {
  try {
    const id = sessionStorage.getItem(CHOSEN_CUSTOMER_KEY);
    return customers.find((customer) => customer.id === id);
  } catch {
    return undefined;
  }
}

export function rememberChosenCompany(id: string): void {
  try {
    sessionStorage.setItem(CHOSEN_CUSTOMER_KEY, id);
  } catch {
    // Storage can be unavailable (private mode, policies); the choice then lasts until reload.
  }
}
