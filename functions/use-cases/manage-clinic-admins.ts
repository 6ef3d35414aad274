import type { ClinicAdmin } from '../domain/clinic-admin';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors';
import type { Actor } from '../domain/identity';
import type { Clock, IdGenerator, Mailer, TenantScope } from '../domain/ports';
import {
  type IssuedPasswordLink,
  mailPasswordLink,
  type PasswordLinkAccount,
  type PasswordLinkAccounts,
  type PasswordSetWithLink,
  type SetPasswordWithLinkDeps,
  type SetPasswordWithLinkInput,
  setPasswordWithLink,
} from './password-links';

export interface ManageClinicAdminsDeps {
  readonly scope: TenantScope;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/** An e-mail address good enough to be a login name and a key part: one @, no spaces, no '#'. */
const EMAIL = /^[^\s@#]+@[^\s@#]+\.[^\s@#]+$/u;
const MAX_NAME_LENGTH = 200;
const MAX_EMAIL_LENGTH = 254;

function checkedNewAdmin(input: { readonly name: string; readonly email: string }) {
  const name = input.name.trim();
  const email = input.email.trim();
  const fields: Record<string, string> = {};
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) fields.name = `1 to ${MAX_NAME_LENGTH} characters`;
  if (email.length > MAX_EMAIL_LENGTH || !EMAIL.test(email)) fields.email = 'an e-mail address such as namn@klinik.se';
  if (Object.keys(fields).length > 0) {
    throw new ValidationError(
      `Invalid administrator: ${Object.entries(fields)
        .map(([field, expected]) => `${field} must be ${expected}`)
        .join('; ')}.`,
      { fields },
    );
  }
  return { name, email };
}

/**
 * A new clinic administrator (the operator's provisioning command now; other administrators with the admin issue):
 * active, without a password (it is set through the invitation link) and without an authenticator (enrolled at the
 * first login). The e-mail address is the login name and unique among the clinic's administrators (409
 * `admin_exists`); a contact with the same address is another account. Audited as `admin.created`.
 */
export async function createClinicAdmin(
  deps: ManageClinicAdminsDeps,
  input: { readonly name: string; readonly email: string; readonly by: Actor },
): Promise<ClinicAdmin> {
  const { scope, clock, ids } = deps;
  const { name, email } = checkedNewAdmin(input);
  const now = clock.now().toISOString();
  const admin: ClinicAdmin = {
    id: ids.newId(),
    name,
    email,
    status: 'active',
    createdAt: now,
    totp: { state: 'none' },
    recoveryCodeHashes: [],
  };
  await scope.admins.create(admin);
  await scope.audit.append({
    id: ids.newId(),
    at: now,
    action: 'admin.created',
    actor: input.by,
    outcome: 'success',
    details: { adminId: admin.id },
  });
  return admin;
}

/**
 * Mails the administrator an invitation: a single-use link (./password-links.ts) to the admin pages' set-password
 * page on the clinic's `origin`. A newer invitation invalidates the older one. Audited as `admin.invited`.
 */
export async function inviteClinicAdmin(
  deps: ManageClinicAdminsDeps & { readonly mailer: Mailer },
  input: { readonly admin: ClinicAdmin; readonly origin: string; readonly by: Actor },
): Promise<IssuedPasswordLink> {
  const { admin } = input;
  if (admin.status !== 'active') {
    throw new ConflictError('The administrator is deactivated; an invitation would not work.', {
      code: 'admin_deactivated',
    });
  }
  const issued = await mailPasswordLink(deps, {
    account: adminLinkAccount(admin),
    purpose: 'invitation',
    origin: input.origin,
  });
  await deps.scope.audit.append({
    id: deps.ids.newId(),
    at: deps.clock.now().toISOString(),
    action: 'admin.invited',
    actor: input.by,
    outcome: 'success',
    details: { adminId: admin.id, expiresAt: issued.expiresAt },
  });
  return issued;
}

/**
 * Deactivates an administrator: no login from now on (the password step refuses them like a wrong password) and
 * every session of theirs ends at once. Audited as `admin.deactivated`.
 */
export async function deactivateClinicAdmin(
  deps: ManageClinicAdminsDeps,
  input: { readonly adminId: string; readonly by: Actor },
): Promise<{ readonly admin: ClinicAdmin; readonly revokedSessions: number }> {
  const { scope, clock, ids } = deps;
  if (!(await scope.admins.get(input.adminId))) throw new NotFoundError('The administrator');
  const admin = await scope.admins.setStatus(input.adminId, 'deactivated');
  const revokedSessions = await scope.adminSessions.revokeAll(admin.id);
  await scope.audit.append({
    id: ids.newId(),
    at: clock.now().toISOString(),
    action: 'admin.deactivated',
    actor: input.by,
    outcome: 'success',
    details: { adminId: admin.id, revokedSessions },
  });
  return { admin, revokedSessions };
}

/** The administrator of this login name (e-mail address), if the clinic has one. */
export async function findClinicAdmin(scope: TenantScope, email: string): Promise<ClinicAdmin | undefined> {
  const identity = await scope.admins.findPasswordIdentity(email);
  return identity ? scope.admins.get(identity.adminId) : undefined;
}

/**
 * An administrator as a set-password link sees them. Administrators always log in with a second factor (there is
 * no administrator session without TOTP), so NIST SP 800-63B's shorter minimum for passwords with a second factor
 * applies (functions/domain/password-policy.ts).
 */
function adminLinkAccount(admin: ClinicAdmin): PasswordLinkAccount {
  return {
    subject: { kind: 'admin', id: admin.id },
    name: admin.name,
    email: admin.email,
    username: admin.email,
    active: admin.status === 'active',
    actor: { type: 'admin', id: admin.id },
    secondFactor: true,
  };
}

/** Administrators for the link use cases: their own login names, throttling counters and sessions. */
export function adminPasswordLinkAccounts(scope: TenantScope): PasswordLinkAccounts {
  return {
    kind: 'admin',
    async findByUsername(username) {
      const admin = await findClinicAdmin(scope, username);
      return admin ? adminLinkAccount(admin) : undefined;
    },
    async get(id) {
      const admin = await scope.admins.get(id);
      return admin ? adminLinkAccount(admin) : undefined;
    },
    async storePassword(account, passwordHash) {
      await scope.admins.setPasswordHash(account.username, account.subject.id, passwordHash);
    },
    unlockLogin: (account) => scope.adminLoginThrottle.unlockAccount(account.username),
    endSessions: (account) => scope.adminSessions.revokeAll(account.subject.id),
  };
}

/**
 * POST /api/admin/auth/set-password: an administrator sets a first password (invitation) or a new one (reset) with
 * a link. The second factor is untouched: the next login still asks for a code (a reset never bypasses it).
 */
export function setAdminPasswordWithLink(
  deps: SetPasswordWithLinkDeps,
  input: SetPasswordWithLinkInput,
): Promise<PasswordSetWithLink> {
  return setPasswordWithLink(deps, input, adminPasswordLinkAccounts(deps.scope));
}
