import { ConflictError, NotFoundError } from '../domain/errors';
import type { Actor } from '../domain/identity';
import type { IdGenerator } from '../domain/ports';
import { contactLinkAccount } from './contact-password-links';
import { type MailPasswordLinkDeps, mailPasswordLink } from './password-links';

export interface InviteContactDeps extends MailPasswordLinkDeps {
  readonly ids: IdGenerator;
}

export interface InviteContactInput {
  readonly contactId: string;
  /** Who invites: a clinic administrator, or the operator through `npm run contact -- invite`. */
  readonly actor: Actor;
  /** The clinic's origin the link points at (scheme and host, e.g. `https://halsan.foretagsportal.se`). */
  readonly origin: string;
  readonly sourceIp?: string;
}

export interface InvitationSent {
  /** The address the invitation went to (the contact's). */
  readonly sentTo: string;
  /** The link works until then, once. */
  readonly expiresAt: string;
}

/** 409: a deactivated contact cannot be invited; reactivate them first. */
export class ContactDeactivatedError extends ConflictError {
  constructor() {
    super('The contact is deactivated; reactivate them before inviting them.', { code: 'contact_deactivated' });
  }
}

/**
 * Invites an active contact: mails them a single-use link (./password-links.ts) with which they set their first
 * password, or a new one if they have one already (the link works like a reset: it replaces any earlier link and
 * ends their sessions when used). Audited as `contact.invited` under the inviting actor.
 */
export async function inviteContact(deps: InviteContactDeps, input: InviteContactInput): Promise<InvitationSent> {
  const { scope, clock, ids } = deps;
  const contact = await scope.contacts.get(input.contactId);
  if (!contact) throw new NotFoundError('The contact');
  if (contact.status !== 'active') throw new ContactDeactivatedError();

  const issued = await mailPasswordLink(deps, {
    account: contactLinkAccount(contact),
    purpose: 'invitation',
    origin: input.origin,
  });
  await scope.audit.append({
    id: ids.newId(),
    at: clock.now().toISOString(),
    action: 'contact.invited',
    actor: input.actor,
    ...(input.sourceIp ? { sourceIp: input.sourceIp } : {}),
    outcome: 'success',
    details: { contactId: contact.id, expiresAt: issued.expiresAt },
  });
  return { sentTo: contact.email, expiresAt: issued.expiresAt };
}
