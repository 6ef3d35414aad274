import { ConflictError, NotFoundError, UnavailableError, ValidationError } from '../domain/errors';
import type { BankIdIdentity, Contact, Membership } from '../domain/identity';
import { checkPersonalNumber, maskPersonalNumber } from '../domain/personal-number';
import type { Clock, IdGenerator, PersonalNumberKeys, TenantScope } from '../domain/ports';
import type { AdminPrincipal } from './admin-session';

/**
 * A clinic administrator's side of contact persons (issue 6): who the contacts of a customer company are, adding
 * one and editing one. Inviting and deactivating are ./invite-contact.ts and ./deactivate-contact.ts, shared with the
 * operator's command. A personal number given for BankID is checked (12 digits, date, Luhn; samordningsnummer too),
 * kept only as its keyed hash (the login identity's key, also on the contact) and a masked form, and never logged;
 * the audit trail sees the mask at most.
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
  const [customer, emailTaken, bankId] = await Promise.all([
    scope.customers.get(input.customerId),
    scope.contacts.findPasswordIdentity(input.email),
    input.personalNumber === undefined ? undefined : bankIdIdentityFor(deps, input.personalNumber),
  ]);
  if (!customer) throw new NotFoundError('The customer');
  if (emailTaken) throw emailInUse();
  if (bankId && (await scope.contacts.findBankIdIdentity(bankId.personalNumberKey))) throw personalNumberInUse();

  const contact: Contact = {
    id: ids.newId(),
    name: input.name,
    email: input.email,
    status: 'active',
    ...(bankId
      ? { maskedPersonalNumber: bankId.maskedPersonalNumber, personalNumberKey: bankId.personalNumberKey }
      : {}),
  };
  // The contact and membership first; the BankID identity, which lets them log in, last.
  await scope.contacts.put(contact);
  await scope.contacts.putMembership({ contactId: contact.id, customerId: customer.id, customerName: customer.name });
  if (bankId) await scope.contacts.putBankIdIdentity({ ...bankId, contactId: contact.id });
  await scope.audit.append({
    id: ids.newId(),
    at: clock.now().toISOString(),
    action: 'contact.created',
    actor: { type: 'admin', id: request.principal.adminId },
    customerId: customer.id,
    sourceIp: request.sourceIp,
    outcome: 'success',
    details: { contactId: contact.id, bankId: bankId ? 'yes' : 'no' },
  });
  return contact;
}

/** A contact with the customer companies they belong to, by name (Swedish collation). */
export interface ContactWithCustomers {
  readonly contact: Contact;
  readonly memberships: readonly Membership[];
}

/** The contacts of a customer, each with all of their companies (what the admin's edit form starts from). */
export async function listCustomerContactsWithCustomers(
  scope: TenantScope,
  customerId: string,
): Promise<readonly ContactWithCustomers[]> {
  const contacts = await listCustomerContacts(scope, customerId);
  return Promise.all(
    contacts.map(async (contact) => ({ contact, memberships: await sortedMemberships(scope, contact.id) })),
  );
}

/**
 * What an administrator changes about a contact; what is left out stays as it is. `personalNumber: null` removes the
 * number (and with it the BankID login); `customerIds` is the whole new set of the contact's companies.
 */
export interface ContactEdit {
  readonly name?: string | undefined;
  readonly email?: string | undefined;
  readonly personalNumber?: string | null | undefined;
  readonly customerIds?: readonly string[] | undefined;
}

/**
 * Edits a contact person: name, e-mail address, personal number and the customer companies they belong to, with the
 * rules of {@link addContact} (an address nobody else logs in with, a valid personal number nobody else has), and
 * every new company a customer of this clinic (404 naming it otherwise: another clinic's ids are unknown here).
 * Everything is checked first and then written in ONE transaction (ContactRepository.update), so a failure leaves
 * nothing half-changed:
 * - a new address moves the password login with it (the old address no longer logs in; the password stays) and voids
 *   a set-password link still open, which went to the old address;
 * - a new personal number moves the BankID login (the old number no longer logs in); removing it removes the login;
 * - a company removed ends the contact's access to its documents with their next request (membership is checked on
 *   every request); a contact always keeps at least one company: one with none would be listed on no company's
 *   page, out of every administrator's reach — deactivating is how a contact loses all access.
 * Audited as `contact.updated` with what changed, before and after (the personal number only as its mask).
 */
export async function editContact(
  deps: ManageContactsDeps,
  request: {
    readonly principal: AdminPrincipal;
    readonly sourceIp: string;
    readonly contactId: string;
    readonly edit: ContactEdit;
  },
): Promise<ContactWithCustomers> {
  const { scope, clock, ids } = deps;
  const { edit } = request;
  if (edit.customerIds?.length === 0) {
    throw new ValidationError('Invalid contact: customerIds must name at least one customer company.', {
      fields: { customerIds: 'must name at least one company (deactivate the contact to end all their access)' },
    });
  }
  const [before, memberships, bankId] = await Promise.all([
    scope.contacts.get(request.contactId),
    scope.contacts.listMemberships(request.contactId),
    typeof edit.personalNumber === 'string' ? bankIdIdentityFor(deps, edit.personalNumber) : undefined,
  ]);
  if (!before) throw new NotFoundError('The contact');

  const email = edit.email ?? before.email;
  const emailChanges = email !== before.email;
  const [passwordIdentity, newEmailOwner, numberOwner] = await Promise.all([
    emailChanges ? scope.contacts.findPasswordIdentity(before.email) : undefined,
    emailChanges ? scope.contacts.findPasswordIdentity(email) : undefined,
    bankId ? scope.contacts.findBankIdIdentity(bankId.personalNumberKey) : undefined,
  ]);
  if (newEmailOwner && newEmailOwner.contactId !== before.id) throw emailInUse();
  if (numberOwner && numberOwner.contactId !== before.id) throw personalNumberInUse();
  const { add, remove } = await membershipChanges(scope, before.id, memberships, edit.customerIds);

  const numberChanges =
    edit.personalNumber === null
      ? before.maskedPersonalNumber !== undefined
      : bankId !== undefined && bankId.personalNumberKey !== before.personalNumberKey;
  const { maskedPersonalNumber: _mask, personalNumberKey: _key, ...withoutNumber } = before;
  const after: Contact = {
    ...(numberChanges ? withoutNumber : before),
    name: edit.name ?? before.name,
    email,
    ...(numberChanges && bankId
      ? { maskedPersonalNumber: bankId.maskedPersonalNumber, personalNumberKey: bankId.personalNumberKey }
      : {}),
  };
  const changed = {
    name: after.name !== before.name,
    email: emailChanges,
    personalNumber: numberChanges,
    customers: add.length > 0 || remove.length > 0,
  };
  if (!Object.values(changed).some(Boolean)) return { contact: before, memberships: sortByName(memberships) };

  await scope.contacts.update({
    before,
    after,
    // Only a login that is the contact's own moves (an address shared by mistake stays with its owner).
    passwordIdentity: passwordIdentity?.contactId === before.id ? passwordIdentity : undefined,
    bankIdIdentity: numberChanges && bankId ? { ...bankId, contactId: before.id } : undefined,
    addMemberships: add,
    removeMemberships: remove,
  });
  await scope.audit.append({
    id: ids.newId(),
    at: clock.now().toISOString(),
    action: 'contact.updated',
    actor: { type: 'admin', id: request.principal.adminId },
    sourceIp: request.sourceIp,
    outcome: 'success',
    details: {
      contactId: before.id,
      changed: Object.entries(changed)
        .filter(([, yes]) => yes)
        .map(([field]) => field)
        .join(','),
      ...(add.length > 0 ? { customersAdded: add.map((membership) => membership.customerId).join(',') } : {}),
      ...(remove.length > 0 ? { customersRemoved: remove.map((membership) => membership.customerId).join(',') } : {}),
    },
  });
  const kept = memberships.filter((membership) => !remove.some((gone) => gone.customerId === membership.customerId));
  return { contact: after, memberships: sortByName([...kept, ...add]) };
}

/** The memberships to add and to remove to make the contact's companies exactly `customerIds`. */
async function membershipChanges(
  scope: TenantScope,
  contactId: string,
  current: readonly Membership[],
  customerIds: readonly string[] | undefined,
): Promise<{ readonly add: readonly Membership[]; readonly remove: readonly Membership[] }> {
  if (customerIds === undefined) return { add: [], remove: [] };
  const wanted = new Set(customerIds);
  const newIds = [...wanted].filter((id) => !current.some((membership) => membership.customerId === id));
  const customers = await Promise.all(newIds.map((id) => scope.customers.get(id)));
  const add = newIds.map((id, index): Membership => {
    const customer = customers[index];
    // Named, so the administrator knows which one; another clinic's customer is as unknown here as a made-up id.
    if (!customer) throw new NotFoundError(`The customer ${id}`);
    return { contactId, customerId: customer.id, customerName: customer.name };
  });
  return { add, remove: current.filter((membership) => !wanted.has(membership.customerId)) };
}

async function sortedMemberships(scope: TenantScope, contactId: string): Promise<readonly Membership[]> {
  return sortByName(await scope.contacts.listMemberships(contactId));
}

function sortByName(memberships: readonly Membership[]): readonly Membership[] {
  return [...memberships].sort((a, b) => a.customerName.localeCompare(b.customerName, 'sv'));
}

/**
 * The BankID identity a personal number given by an administrator becomes: checked (ValidationError naming the
 * field, never quoting the number), then only its keyed hash and its mask are kept.
 */
async function bankIdIdentityFor(
  deps: ManageContactsDeps,
  personalNumber: string,
): Promise<Omit<BankIdIdentity, 'contactId'>> {
  const number = checkPersonalNumber(personalNumber, deps.clock.now());
  if (!number.valid) {
    throw new ValidationError(`Invalid contact: personalNumber ${number.reason}.`, {
      fields: { personalNumber: number.reason },
    });
  }
  if (!deps.personalNumberKeys) {
    throw new UnavailableError(
      'bankid_unavailable',
      'BankID is not set up for this portal; add the contact without a personal number.',
    );
  }
  return {
    personalNumberKey: await deps.personalNumberKeys.keyOf(number.normalised),
    maskedPersonalNumber: maskPersonalNumber(number.normalised),
  };
}

function emailInUse(): ConflictError {
  return new ConflictError('Another contact already logs in with this e-mail address.', {
    code: 'email_in_use',
    details: { fields: { email: 'is already the login of another contact' } },
  });
}

function personalNumberInUse(): ConflictError {
  return new ConflictError('Another contact already has this personal number.', {
    code: 'personal_number_in_use',
    details: { fields: { personalNumber: 'belongs to another contact' } },
  });
}
