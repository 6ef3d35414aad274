import { type Context, Hono } from 'hono';
import * as z from 'zod/mini';
import { ADMIN_ROLES, type ClinicAdmin, roleOf } from '../../domain/clinic-admin';
import {
  addClinicAdmin,
  changeClinicAdminRole,
  deactivateClinicAdmin,
  getClinicAdmin,
  inviteClinicAdmin,
  listClinicAdmins,
  resetClinicAdminTotp,
} from '../../use-cases/manage-clinic-admins';
import type {
  AdminInvitationResponse,
  AdminUserInvitedResponse,
  AdminUserListResponse,
  AdminUserSessionsEndedResponse,
  AdminUserSummary,
} from '../admin-api-contract';
import type { AppDeps, AppEnv } from '../app-types';
import { authenticateAdministrator } from '../middleware/authenticate';
import { parseJsonBody, uuidParam } from '../validation';

const role = z.enum(ADMIN_ROLES);
// Name and address are checked by the use case (the operator's command shares the rules); here only their types.
const inviteBody = z.object({ name: z.string(), email: z.string(), role });
const roleBody = z.object({ role });

function adminSummary(admin: ClinicAdmin, selfId: string): AdminUserSummary {
  return {
    id: admin.id,
    name: admin.name,
    email: admin.email,
    role: roleOf(admin),
    status: admin.status,
    totp: admin.totp.state,
    createdAt: admin.createdAt,
    self: admin.id === selfId,
  };
}

/**
 * The clinic's administrators, for its administrators (functions/use-cases/manage-clinic-admins.ts): the list,
 * inviting a further one, a new invitation, another role, deactivation and an authenticator reset. Every change is
 * audited under the acting administrator; the guard rails (not one's own account, never the last `admin`) are the
 * domain's. Read-only administrators see the list; the middleware refuses them every change.
 */
export function adminUserRoutes(deps: AppDeps) {
  const requireAdmin = authenticateAdministrator(deps);
  const manageDeps = (c: Context<AppEnv>) => ({ scope: c.var.scope, clock: deps.clock, ids: deps.ids });
  const by = (c: Context<AppEnv>) => ({ type: 'admin', id: c.var.adminPrincipal.adminId }) as const;
  const adminId = (c: Context<AppEnv>) => uuidParam(c.req.param('adminId') ?? '', 'The administrator');
  const summary = (c: Context<AppEnv>, admin: ClinicAdmin) => adminSummary(admin, c.var.adminPrincipal.adminId);

  return new Hono<AppEnv>()
    .get('/admin/admins', requireAdmin, async (c) => {
      const body: AdminUserListResponse = {
        admins: (await listClinicAdmins(c.var.scope)).map((admin) => summary(c, admin)),
      };
      return c.json(body);
    })
    .post('/admin/admins', requireAdmin, async (c) => {
      const input = await parseJsonBody(c, inviteBody);
      const { admin, invitation } = await addClinicAdmin(
        { ...manageDeps(c), mailer: deps.mailer },
        { ...input, origin: c.var.requestInfo.origin, by: by(c) },
      );
      const body: AdminUserInvitedResponse = {
        admin: summary(c, admin),
        invitation: { sentTo: admin.email, expiresAt: invitation.expiresAt },
      };
      return c.json(body, 201);
    })
    .post('/admin/admins/:adminId/invitation', requireAdmin, async (c) => {
      const admin = await getClinicAdmin(c.var.scope, adminId(c));
      const invitation = await inviteClinicAdmin(
        { ...manageDeps(c), mailer: deps.mailer },
        { admin, origin: c.var.requestInfo.origin, by: by(c) },
      );
      const body: AdminInvitationResponse = { sentTo: admin.email, expiresAt: invitation.expiresAt };
      return c.json(body);
    })
    .put('/admin/admins/:adminId/role', requireAdmin, async (c) => {
      const id = adminId(c);
      const input = await parseJsonBody(c, roleBody);
      const admin = await changeClinicAdminRole(manageDeps(c), { adminId: id, role: input.role, by: by(c) });
      return c.json(summary(c, admin));
    })
    .post('/admin/admins/:adminId/deactivate', requireAdmin, async (c) => {
      const result = await deactivateClinicAdmin(manageDeps(c), { adminId: adminId(c), by: by(c) });
      const body: AdminUserSessionsEndedResponse = {
        admin: summary(c, result.admin),
        revokedSessions: result.revokedSessions,
      };
      return c.json(body);
    })
    .post('/admin/admins/:adminId/totp-reset', requireAdmin, async (c) => {
      const result = await resetClinicAdminTotp(manageDeps(c), { adminId: adminId(c), by: by(c) });
      const body: AdminUserSessionsEndedResponse = {
        admin: summary(c, result.admin),
        revokedSessions: result.revokedSessions,
      };
      return c.json(body);
    });
}
