import { type ClinicAdmin, isActiveFullAdmin, ReadOnlyAdminError } from '../domain/clinic-admin';
import { UnauthenticatedError } from '../domain/errors';
import type { Tenant } from '../domain/identity';
import type { TenantScope } from '../domain/ports';
import { type AuthenticateSessionDeps, authenticateSession } from './authenticate-session';
import { type OpenedSession, openSession, type StartSessionDeps } from './start-session';

/** The authenticated caller of an admin request: which administrator, in which clinic, through which session. */
export interface AdminPrincipal {
  readonly tenantId: string;
  readonly adminId: string;
  readonly sessionId: string;
}

/** How the administrator proved the second factor (the audit event says which). */
export type SecondFactorMethod = 'totp' | 'recovery_code' | 'enrolment';

export interface AdminLoginResult extends OpenedSession {
  readonly admin: ClinicAdmin;
}

/**
 * An administrator's session, after both factors: the same session mechanism as contacts' (./start-session.ts), in
 * the administrators' partition and audience, and the audit event `admin.login.totp` (success).
 */
export async function startAdminSession(
  deps: StartSessionDeps,
  admin: ClinicAdmin,
  login: { readonly method: SecondFactorMethod; readonly sourceIp: string },
): Promise<AdminLoginResult> {
  const { scope, clock, ids } = deps;
  const [session] = await Promise.all([
    openSession(deps, 'admin', admin.id),
    scope.audit.append({
      id: ids.newId(),
      at: clock.now().toISOString(),
      action: 'admin.login.totp',
      actor: { type: 'admin', id: admin.id },
      sourceIp: login.sourceIp,
      outcome: 'success',
      details: { method: login.method },
    }),
  ]);
  return { ...session, admin };
}

/** An administrator's session (a contact's token is no administrator's session: another audience). */
export async function authenticateAdmin(
  deps: AuthenticateSessionDeps,
  token: string | undefined,
): Promise<AdminPrincipal> {
  const claims = await authenticateSession(deps, 'admin', token);
  return { tenantId: claims.tenantId, adminId: claims.subjectId, sessionId: claims.sessionId };
}

export async function logoutAdmin(scope: TenantScope, principal: AdminPrincipal): Promise<void> {
  await scope.adminSessions.revoke(principal.adminId, principal.sessionId);
}

export interface AdminProfile {
  readonly admin: ClinicAdmin;
  readonly clinic: Tenant | undefined;
}

/** Who is logged in, and at which clinic. A deactivated administrator's sessions are revoked, but check anyway. */
export async function getAdminProfile(scope: TenantScope, principal: AdminPrincipal): Promise<AdminProfile> {
  const [admin, clinic] = await Promise.all([scope.admins.get(principal.adminId), scope.tenant.get()]);
  if (admin?.status !== 'active') throw new UnauthenticatedError();
  return { admin, clinic };
}

/**
 * Refuses (403 `read_only`) an administrator who may not change things: a read-only one (or one deactivated a moment
 * ago, whose session is about to be refused anyway). Read from the record on each such request, so that a change of
 * role applies at once, without ending sessions.
 */
export async function assertMayChangeThings(scope: TenantScope, principal: AdminPrincipal): Promise<void> {
  const admin = await scope.admins.get(principal.adminId);
  if (!admin || !isActiveFullAdmin(admin)) throw new ReadOnlyAdminError();
}
