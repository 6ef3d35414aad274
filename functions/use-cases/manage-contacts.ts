import { ConflictError, NotFoundError, UnavailableError, ValidationError } from '../domain/errors';
import type { Contact } from '../domain/identity';
import { checkPersonalNumber, maskPersonalNumber } from '../domain/personal-number';
import type { Clock, IdGenerator, PersonalNumberKeys, TenantScope } from '../domain/ports';
import type { AdminPrincipal } from './admin-session';

/**
 * A clinic administrator's side of contact persons (issue 6): who the contacts of a customer company are, and adding
 * one. Inviting and deactivating are ./invite-contact.ts and ./deactivate-contact.ts, shared with the operator's
 * command. A personal number given for BankID is checked (12 digits, date, Luhn; samordningsnummer too), kept only
 * as its keyed hash (the login identity) and a masked form on the contact, and never logged or audited.
 */
export interface ManageContactsDeps {
  readonly scope: TenantScope;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** Absent where BankID is not configured: then no personal number can be taken. */
  readonly personalNumberKeys?: PersonalNumberKeys | undefined;
}

/** The contacts of one customer company, by name; NotFoundError for no such customer. */
export async function listCustomerContacts(scope: TenantScope, customerId: string): Promise<readonly Contact[]> {
  const [customer, memberships] = await Promise.all([
    scope.customers.get(customerId),
    scope.contacts.listOfCustomer(customerId),
  ]);
  if (!customer) throw new NotFoundError('The customer');
  const contacts = await Promise.all(memberships.map((membership) => scope.contacts.get(membership.contactId)));
  return contacts
    .filter((contact): contact is Contact => contact !== undefined)
    .sort((a, b) => a.name.localeCompare(b.name, 'sv'));
}

export interface NewContact {
  readonly customerId: string;
  readonly name: string;
  readonly email: string;
  readonly personalNumber?: string | undefined;
}

/**
 * Adds a contact person to a customer company, active, not yet invited (their first password comes with an
 * invitation; with a personal number they can log in with BankID at once). Everything is checked before anything is
 * written: the customer exists, the address is nobody's login yet, the personal number is valid and nobody else's.
 * Audited as `contact.created` (the contact's id; no name, address or number).
 */
export async function addContact(
  deps: ManageContactsDeps,
  request: { readonly principal: AdminPrincipal; readonly sourceIp: string; readonly contact: NewContact },
): Promise<Contact> {
  const { scope, clock, ids } = deps;
  const input = request.contact;
  const number =
    input.personalNumber === undefined ? undefined : checkPersonalNumber(input.personalNumber, clock.now());
  if (number && !number.valid) {
    throw new ValidationError(`Invalid contact: personalNumber ${number.reason}.`, {
      fields: { personalNumber: number.reason },
    });
  }
  if (number && !deps.personalNumberKeys) {
    throw new UnavailableError(
      'bankid_unavailable',
      'BankID is not set up for this portal; add the contact without a personal number.',
    );
  }
  const [customer, emailTaken, personalNumberKey] = await Promise.all([
    scope.customers.get(input.customerId),
    scope.contacts.findPasswordIdentity(input.email),
    number && deps.personalNumberKeys ? deps.personalNumberKeys.keyOf(number.normalised) : undefined,
  ]);
  if (!customer) throw new NotFoundError('The customer');
  if (emailTaken) {
    throw new ConflictError('Another contact already logs in with this e-mail address.', {
      code: 'email_in_use',
      details: { fields: { email: 'is already the login of another contact' } },
    });
  }
  if (personalNumberKey && (await scope.contacts.findBankIdIdentity(personalNumberKey))) {
    throw new ConflictError('Another contact already has this personal number.', {
      code: 'personal_number_in_use',
      details: { fields: { personalNumber: 'belongs to another contact' } },
    });
  }

  const contact: Contact = {
    id: ids.newId(),
    name: input.name,
    email: input.email,
    status: 'active',
    ...(number?.valid ? { maskedPersonalNumber: maskPersonalNumber(number.normalised) } : {}),
  };
  // The contact and membership first; the BankID identity, which lets them log in, last.
  await scope.contacts.put(contact);
  await scope.contacts.putMembership({ contactId: contact.id, customerId: customer.id, customerName: customer.name });
  if (personalNumberKey && contact.maskedPersonalNumber) {
    await scope.contacts.putBankIdIdentity({
      personalNumberKey,
      contactId: contact.id,
      maskedPersonalNumber: contact.maskedPersonalNumber,
    });
  }
  await scope.audit.append({
    id: ids.newId(),
    at: clock.now().toISOString(),
    action: 'contact.created',
    actor: { type: 'admin', id: request.principal.adminId },
    customerId: customer.id,
    sourceIp: request.sourceIp,
    outcome: 'success',
    details: { contactId: contact.id, bankId: personalNumberKey ? 'yes' : 'no' },
  });
  return contact;
}
