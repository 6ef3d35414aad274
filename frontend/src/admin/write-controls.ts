import type { AdminRoleName } from '../../../functions/http/admin-api-contract';

/**
 * Read-only administrators see every admin page but no control that would change something (the server refuses
 * such requests anyway, with 403 `read_only`). The pages mark those controls once, here; admin.css hides the marked
 * ones while the signed-in administrator's role, set on the body by {@link showRole}, is `read-only`. Hidden with
 * `display: none`, so they are neither seen, nor focusable, nor read out.
 */
export function writeControl<T extends HTMLElement>(element: T): T {
  element.dataset.write = '';
  return element;
}

/** Tells the pages (through admin.css) what the signed-in administrator may do; nobody signed in: nothing. */
export function showRole(role: AdminRoleName | undefined): void {
  if (role) document.body.dataset.role = role;
  else delete document.body.dataset.role;
}
