import { ConflictError, PortalError, UnauthenticatedError } from '../domain/errors';
import { accountGate, LOGIN_THROTTLING, locksAccount } from '../domain/login-throttling';
import { checkPassword, type PasswordRejection } from '../domain/password-policy';
import type { Clock, IdGenerator, PasswordHasher, TenantScope } from '../domain/ports';
import type { ContactPrincipal } from './contact-principal';

export interface ChangePasswordDeps {
  readonly scope: TenantScope;
  readonly hasher: PasswordHasher;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

export interface ChangePasswordInput {
  readonly principal: ContactPrincipal;
  readonly currentPassword: string;
  readonly newPassword: string;
  readonly sourceIp: string;
}

/** 400: the current password given was wrong (or the account is inside its login delay or locked). */
export class WrongCurrentPasswordError extends PortalError {
  constructor() {
    super('wrong_current_password', 'The current password is wrong.');
  }
}

/** 400: the new password breaks the password rules; `details.reasons` lists every rule it breaks. */
export class PasswordRejectedError extends PortalError {
  constructor(reasons: readonly PasswordRejection[]) {
    super('password_rejected', 'The new password does not meet the password rules.', { details: { reasons } });
  }
}

/** 409: the contact logs in with BankID only. */
export class NoPasswordError extends ConflictError {
  constructor() {
    super('You log in with BankID; there is no password to change.', { code: 'no_password' });
  }
}

/**
 * A logged-in contact changes their password:
 * 1. the contact's password identity is the one under their e-mail address (usernames are e-mail addresses; see
 *    the seed and the admin issue) and must belong to them — otherwise they log in with BankID only (409);
 * 2. the current password is checked like a login, on the same per-account failure counter (a stolen session
 *    cookie must not turn into unlimited password guessing): a delayed or locked account is refused like a wrong
 *    password, a wrong password counts as a failure (and the 100th locks the account), a right one resets it;
 * 3. the new password must pass the policy (functions/domain/password-policy.ts), every broken rule reported;
 * 4. it is hashed and stored, every OTHER session of the contact is revoked (the current one stays), and the change
 *    is an audit event `password.changed` — failures too — without any password data.
 */
export async function changePassword(deps: ChangePasswordDeps, input: ChangePasswordInput): Promise<void> {
  const { scope, hasher, clock, ids } = deps;
  const { principal } = input;
  const now = clock.now();
  const audit = (outcome: 'success' | 'failure', details: Record<string, string | number>) =>
    scope.audit.append({
      id: ids.newId(),
      at: now.toISOString(),
      action: 'password.changed',
      actor: { type: 'contact', id: principal.contactId },
      sourceIp: input.sourceIp,
      outcome,
      details,
    });

  const contact = await scope.contacts.get(principal.contactId);
  if (contact?.status !== 'active') throw new UnauthenticatedError();
  const identity = await scope.contacts.findPasswordIdentity(contact.email);
  if (!identity || identity.contactId !== contact.id) throw new NoPasswordError();

  const throttle = scope.loginThrottle;
  const seen = await throttle.getAccount(identity.username, now);
  const gate = accountGate(seen, now);
  const matches = await hasher.verify(input.currentPassword, identity.passwordHash);
  if (gate.state !== 'open' || !matches) {
    if (gate.state === 'open') {
      const counted = await throttle
        .recordAccountFailure(identity.username, now, {
          seen,
          forgetAfterSeconds: LOGIN_THROTTLING.account.forgetAfterSeconds,
        })
        .catch((error: unknown) => {
          // A parallel attempt moved the counter first: that one was counted; this one is refused all the same.
          if (error instanceof ConflictError) return undefined;
          throw error;
        });
      if (counted && locksAccount(counted.failures)) {
        await throttle.lockAccount(identity.username, now).catch((error: unknown) => {
          if (!(error instanceof ConflictError)) throw error;
        });
      }
    }
    await audit('failure', { reason: gate.state === 'open' ? 'wrong_current_password' : `account_${gate.state}` });
    throw new WrongCurrentPasswordError();
  }
  if (seen) await throttle.resetAccount(identity.username);

  const verdict = checkPassword(input.newPassword, { usernames: [identity.username, contact.email] });
  if (!verdict.accepted) {
    await audit('failure', { reason: 'password_rejected', rules: verdict.reasons.map((r) => r.code).join(',') });
    throw new PasswordRejectedError(verdict.reasons);
  }

  await scope.contacts.putPasswordIdentity({ ...identity, passwordHash: await hasher.hash(input.newPassword) });
  const revokedSessions = await scope.sessions.revokeAllExcept(contact.id, principal.sessionId);
  await audit('success', { revokedSessions });
}
