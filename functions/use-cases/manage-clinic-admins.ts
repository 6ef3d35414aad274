import type { AuditAction } from '../domain/audit-actions';
import {
  ADMIN_ROLES,
  type AdminAccountChange,
  type AdminRole,
  type ClinicAdmin,
  checkAdminAccountChange,
  roleOf,
} from '../domain/clinic-admin';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors';
import type { Actor } from '../domain/identity';
import type { AdminWriteGuard, Clock, IdGenerator, Mailer, TenantScope } from '../domain/ports';
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

/**
 * A new administrator's name, e-mail address and role, trimmed and checked: ValidationError naming every bad field.
 * Exported for the clinic's provisioning, which checks everything before it writes anything.
 */
export function checkedNewAdmin(input: { readonly name: string; readonly email: string; readonly role?: string }) {
  const name = input.name.trim();
  const email = input.email.trim();
  const role = input.role ?? 'admin';
  const fields: Record<string, string> = {};
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) fields.name = `1 to ${MAX_NAME_LENGTH} characters`;
  if (email.length > MAX_EMAIL_LENGTH || !EMAIL.test(email)) fields.email = 'an e-mail address such as namn@klinik.se';
  if (!isAdminRole(role)) fields.role = `one of ${ADMIN_ROLES.join(', ')}`;
  if (Object.keys(fields).length > 0) {
    throw new ValidationError(
      `Invalid administrator: ${Object.entries(fields)
        .map(([field, expected]) => `${field} must be ${expected}`)
        .join('; ')}.`,
      { fields },
    );
  }
  return { name, email, role: isAdminRole(role) ? role : 'admin' };
}

function isAdminRole(value: string): value is AdminRole {
  return (ADMIN_ROLES as readonly string[]).includes(value);
}

/**
 * A new clinic administrator (by the operator's provisioning command, or by another administrator): active, with
 * the given role (default `admin`), without a password (it is set through the invitation link) and without an
 * authenticator (enrolled at the first login). The e-mail address is the login name and unique among the clinic's
 * administrators (409 `admin_exists`); a contact with the same address is another account. Audited as
 * `admin.created`.
 */
export async function createClinicAdmin(
  deps: ManageClinicAdminsDeps,
  input: { readonly name: string; readonly email: string; readonly role?: string; readonly by: Actor },
): Promise<ClinicAdmin> {
  const { scope, clock, ids } = deps;
  const { name, email, role } = checkedNewAdmin(input);
  const now = clock.now().toISOString();
  const admin: ClinicAdmin = {
    id: ids.newId(),
    name,
    email,
    status: 'active',
    role,
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
    details: { adminId: admin.id, role },
  });
  return admin;
}

/** {@link createClinicAdmin}, then {@link inviteClinicAdmin}: how a further administrator joins the clinic. */
export async function addClinicAdmin(
  deps: ManageClinicAdminsDeps & { readonly mailer: Mailer },
  input: {
    readonly name: string;
    readonly email: string;
    readonly role?: string;
    readonly origin: string;
    readonly by: Actor;
  },
): Promise<{ readonly admin: ClinicAdmin; readonly invitation: IssuedPasswordLink }> {
  const admin = await createClinicAdmin(deps, input);
  const invitation = await inviteClinicAdmin(deps, { admin, origin: input.origin, by: input.by });
  return { admin, invitation };
}

/** The clinic's administrators, by name (Swedish collation), active or not. */
export async function listClinicAdmins(scope: TenantScope): Promise<readonly ClinicAdmin[]> {
  const collator = new Intl.Collator('sv');
  return [...(await scope.admins.list())].sort(
    (a, b) => collator.compare(a.name, b.name) || collator.compare(a.email, b.email),
  );
}

/** The administrator of this clinic with this id; 404 for an unknown id or another clinic's (never reachable). */
export async function getClinicAdmin(scope: TenantScope, adminId: string): Promise<ClinicAdmin> {
  const admin = await scope.admins.get(adminId);
  if (!admin) throw new NotFoundError('The administrator');
  return admin;
}

/**
 * Checks an administrator's change to another's account (the guard rails of functions/domain/clinic-admin.ts) and
 * returns the guard its write carries; the operator (`by` not an administrator) is not held to them.
 */
async function guardedChange(
  scope: TenantScope,
  target: ClinicAdmin,
  change: AdminAccountChange,
  by: Actor,
): Promise<AdminWriteGuard | undefined> {
  if (by.type !== 'admin') return undefined;
  checkAdminAccountChange({ actorId: by.id, target, change, admins: await scope.admins.list() });
  return { actingAdminId: by.id };
}

/**
 * Gives an administrator another role. It applies from their next request on (the role is read on every request
 * that changes something), so no session needs to end. Audited as `admin.role_changed` with both roles.
 */
export async function changeClinicAdminRole(
  deps: ManageClinicAdminsDeps,
  input: { readonly adminId: string; readonly role: AdminRole; readonly by: Actor },
): Promise<ClinicAdmin> {
  const { scope } = deps;
  const target = await getClinicAdmin(scope, input.adminId);
  const guard = await guardedChange(scope, target, { kind: 'role', role: input.role }, input.by);
  const admin = await scope.admins.setRole(target.id, input.role, guard);
  await auditAdminChange(deps, 'admin.role_changed', input.by, {
    adminId: admin.id,
    from: roleOf(target),
    to: input.role,
  });
  return admin;
}

/**
 * Resets an administrator's authenticator (a lost or replaced phone): the authenticator and every recovery code are
 * forgotten and every session of theirs ends, so their next login (password first) enrols a new authenticator.
 * Audited as `admin.totp.reset`.
 */
export async function resetClinicAdminTotp(
  deps: ManageClinicAdminsDeps,
  input: { readonly adminId: string; readonly by: Actor },
): Promise<{ readonly admin: ClinicAdmin; readonly revokedSessions: number }> {
  const { scope } = deps;
  const target = await getClinicAdmin(scope, input.adminId);
  const guard = await guardedChange(scope, target, { kind: 'reset-totp' }, input.by);
  const admin = await scope.admins.resetTotp(target.id, guard);
  const revokedSessions = await scope.adminSessions.revokeAll(admin.id);
  await auditAdminChange(deps, 'admin.totp.reset', input.by, {
    adminId: admin.id,
    revokedSessions,
    previousState: target.totp.state,
  });
  return { admin, revokedSessions };
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
  await auditAdminChange(deps, 'admin.invited', input.by, { adminId: admin.id, expiresAt: issued.expiresAt });
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
  const { scope } = deps;
  const target = await getClinicAdmin(scope, input.adminId);
  const guard = await guardedChange(scope, target, { kind: 'deactivate' }, input.by);
  const admin = await scope.admins.setStatus(target.id, 'deactivated', guard);
  const revokedSessions = await scope.adminSessions.revokeAll(admin.id);
  await auditAdminChange(deps, 'admin.deactivated', input.by, { adminId: admin.id, revokedSessions });
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

/** An administrator change that succeeded, as an audit event under whoever made it (an administrator or the operator). */
async function auditAdminChange(
  deps: ManageClinicAdminsDeps,
  action: AuditAction,
  actor: Actor,
  details: Readonly<Record<string, string | number>>,
): Promise<void> {
  await deps.scope.audit.append({
    id: deps.ids.newId(),
    at: deps.clock.now().toISOString(),
    action,
    actor,
    outcome: 'success',
    details,
  });
}
