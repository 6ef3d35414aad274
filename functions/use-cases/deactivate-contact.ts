import { NotFoundError } from '../domain/errors';
import type { Actor, Contact } from '../domain/identity';
import type { Clock, IdGenerator, TenantScope } from '../domain/ports';

export interface DeactivateContactDeps {
  readonly scope: TenantScope;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/**
 * Deactivates a contact person (they left the company, or the clinic withdrew their access): from now on neither
 * password nor BankID logs them in and no set-password link works for them, and every session of theirs ends at
 * once — sessions are checked against their server-side record on every request, so nothing waits for a token to
 * expire. Deactivating an already deactivated contact changes nothing but still ends any session left. Audited as
 * `contact.deactivated`, with how many sessions it ended.
 */
export async function deactivateContact(
  deps: DeactivateContactDeps,
  input: { readonly contactId: string; readonly by: Actor },
): Promise<{ readonly contact: Contact; readonly revokedSessions: number }> {
  const { scope, clock, ids } = deps;
  const found = await scope.contacts.get(input.contactId);
  if (!found) throw new NotFoundError('The contact');
  const contact: Contact = { ...found, status: 'deactivated' };
  // The status first: a login racing with this sees the deactivation, and any session it began is revoked below.
  if (found.status !== 'deactivated') await scope.contacts.put(contact);
  const revokedSessions = await scope.sessions.revokeAll(contact.id);
  await scope.audit.append({
    id: ids.newId(),
    at: clock.now().toISOString(),
    action: 'contact.deactivated',
    actor: input.by,
    outcome: 'success',
    details: { contactId: contact.id, revokedSessions },
  });
  return { contact, revokedSessions };
}
