import { ConflictError } from '../domain/errors';
import { type Contact, contactPreferences } from '../domain/identity';
import type { TenantScope } from '../domain/ports';
import {
  type PasswordLinkAccount,
  type PasswordLinkAccounts,
  type PasswordSetWithLink,
  type RequestPasswordResetDeps,
  type RequestPasswordResetInput,
  requestPasswordReset,
  type SetPasswordWithLinkDeps,
  type SetPasswordWithLinkInput,
  setPasswordWithLink,
} from './password-links';

/** A contact as a set-password link sees it: the password login is named by the contact's e-mail address. */
export function contactLinkAccount(contact: Contact): PasswordLinkAccount {
  return {
    subject: { kind: 'contact', id: contact.id },
    name: contact.name,
    email: contact.email,
    username: contact.email,
    active: contact.status === 'active',
    actor: { type: 'contact', id: contact.id },
    // The language the contact chose in the portal (Swedish until they choose).
    language: contactPreferences(contact).language,
  };
}

/**
 * Contact persons for the link use cases (./password-links.ts): found by their password login, which is named by
 * their e-mail address (as in ./change-password.ts), and throttled at login under that username.
 */
export function contactPasswordLinkAccounts(scope: TenantScope): PasswordLinkAccounts {
  const { contacts } = scope;
  return {
    kind: 'contact',
    async findByUsername(username) {
      // A contact without a password login (BankID only) cannot reset a password: an administrator invites them.
      const identity = await contacts.findPasswordIdentity(username);
      const contact = identity && (await contacts.get(identity.contactId));
      return contact ? contactLinkAccount(contact) : undefined;
    },
    async get(id) {
      const contact = await contacts.get(id);
      if (!contact) return undefined;
      const identity = await contacts.findPasswordIdentity(contact.email);
      if (identity && identity.contactId !== contact.id) {
        // Two contacts with one address: setting this password would take over the other one's login.
        throw new ConflictError('Another contact already logs in with this e-mail address; ask the clinic.', {
          code: 'username_taken',
        });
      }
      return contactLinkAccount(contact);
    },
    async storePassword(account, passwordHash) {
      await contacts.putPasswordIdentity({ username: account.username, contactId: account.subject.id, passwordHash });
    },
    unlockLogin: (account) => scope.loginThrottle.unlockAccount(account.username),
    endSessions: (account) => scope.sessions.revokeAll(account.subject.id),
  };
}

/** POST /api/auth/password-reset: mails a reset link to the active contact with this username, if there is one. */
export function requestContactPasswordReset(
  deps: RequestPasswordResetDeps,
  input: RequestPasswordResetInput,
): Promise<void> {
  return requestPasswordReset(deps, input, contactPasswordLinkAccounts(deps.scope));
}

/** POST /api/auth/set-password: a contact sets a first password (invitation) or a new one (reset) with a link. */
export function setContactPasswordWithLink(
  deps: SetPasswordWithLinkDeps,
  input: SetPasswordWithLinkInput,
): Promise<PasswordSetWithLink> {
  return setPasswordWithLink(deps, input, contactPasswordLinkAccounts(deps.scope));
}
