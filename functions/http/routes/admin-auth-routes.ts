import { type Context, Hono } from 'hono';
import * as z from 'zod/mini';
import { type ClinicAdmin, roleOf } from '../../domain/clinic-admin';
import { ValidationError } from '../../domain/errors';
import type { Tenant } from '../../domain/identity';
import { isUuid } from '../../domain/ids';
import {
  type AdminLoginDeps,
  adminPasswordStep,
  adminSecondFactorStep,
  completeAdminEnrolment,
  regenerateRecoveryCodes,
} from '../../use-cases/admin-login';
import { type AdminLoginResult, getAdminProfile, logoutAdmin } from '../../use-cases/admin-session';
import { setAdminPasswordWithLink } from '../../use-cases/manage-clinic-admins';
import type {
  AdminEnrolmentResponse,
  AdminPasswordStepResponse,
  AdminProfileResponse,
  AdminRecoveryCodesResponse,
} from '../admin-api-contract';
import type { AppDeps, AppEnv } from '../app-types';
import { authenticateAdministrator } from '../middleware/authenticate';
import { ADMIN_SESSION_COOKIE, deleteSessionCookie, setSessionCookie } from '../session-cookies';
import { parseJsonBody } from '../validation';
import { passwordLoginBody, setPasswordWithLinkHandler } from './password-requests';

const challengeId = z.string().check(z.refine(isUuid, 'This is not a login challenge of this portal.'));
// Typed codes are short; the bounds only keep nonsense from being read. What a code must look like is the use
// case's business: a malformed code is simply a wrong one.
const code = z.string().check(z.minLength(1, 'Enter the code.'), z.maxLength(32));
const secondFactorBody = z.object({
  challengeId,
  code: z.optional(code),
  recoveryCode: z.optional(code),
});
const enrolBody = z.object({ challengeId, code });
const codeBody = z.object({ code });

/** What the admin pages learn about the administrator: their role, no hashes, no authenticator state. */
function profileResponse(admin: ClinicAdmin, clinic: Pick<Tenant, 'name'> | undefined): AdminProfileResponse {
  return {
    admin: { id: admin.id, name: admin.name, email: admin.email, role: roleOf(admin) },
    clinic: { name: clinic?.name ?? '' },
  };
}

/**
 * Clinic administrators' login (password, then a TOTP code or a recovery code; the first time, enrolling an
 * authenticator), session and invitation (functions/use-cases/admin-login.ts, manage-clinic-admins.ts). Every write
 * is subject to the app's same-origin check (CSRF), like the contacts' routes.
 */
export function adminAuthRoutes(deps: AppDeps) {
  const requireAdmin = authenticateAdministrator(deps);
  /** The caller's own account: open to read-only administrators too. */
  const requireAdminForOwnAccount = authenticateAdministrator(deps, { readOnlyToo: true });
  const loginDeps = (c: Context<AppEnv>): AdminLoginDeps => ({
    scope: c.var.scope,
    hasher: deps.hasher,
    tokens: deps.tokens,
    clock: deps.clock,
    ids: deps.ids,
    totp: deps.totp,
    secrets: deps.adminSecrets,
  });
  const loggedIn = async (c: Context<AppEnv>, result: AdminLoginResult) => {
    setSessionCookie(c, ADMIN_SESSION_COOKIE, result);
    return profileResponse(result.admin, await c.var.scope.tenant.get());
  };

  return new Hono<AppEnv>()
    .post('/admin/auth/login', async (c) => {
      const body = await parseJsonBody(c, passwordLoginBody);
      const step = await adminPasswordStep(loginDeps(c), { ...body, sourceIp: c.var.requestInfo.sourceIp });
      const response: AdminPasswordStepResponse =
        step.status === 'enrolment_required'
          ? {
              status: step.status,
              challengeId: step.challengeId,
              expiresAt: step.expiresAt,
              enrolment: { otpauthUri: step.enrolment.uri, secret: step.enrolment.base32Secret },
            }
          : step;
      return c.json(response);
    })
    .post('/admin/auth/verify', async (c) => {
      const body = await parseJsonBody(c, secondFactorBody);
      const sourceIp = c.var.requestInfo.sourceIp;
      if ((body.code === undefined) === (body.recoveryCode === undefined)) {
        throw new ValidationError('Give either a code from the app or a recovery code.', {
          fields: { code: 'exactly one of code and recoveryCode' },
        });
      }
      const result = await adminSecondFactorStep(
        loginDeps(c),
        body.recoveryCode !== undefined
          ? { challengeId: body.challengeId, recoveryCode: body.recoveryCode, sourceIp }
          : { challengeId: body.challengeId, code: body.code ?? '', sourceIp },
      );
      return c.json(await loggedIn(c, result));
    })
    .post('/admin/auth/enrol', async (c) => {
      const body = await parseJsonBody(c, enrolBody);
      const result = await completeAdminEnrolment(loginDeps(c), { ...body, sourceIp: c.var.requestInfo.sourceIp });
      return c.json({
        ...(await loggedIn(c, result)),
        recoveryCodes: result.recoveryCodes,
      } satisfies AdminEnrolmentResponse);
    })
    .post('/admin/auth/set-password', setPasswordWithLinkHandler(deps, setAdminPasswordWithLink))
    .post('/admin/auth/logout', requireAdminForOwnAccount, async (c) => {
      await logoutAdmin(c.var.scope, c.var.adminPrincipal);
      deleteSessionCookie(c, ADMIN_SESSION_COOKIE);
      return c.body(null, 204);
    })
    .get('/admin/me', requireAdmin, async (c) => {
      const profile = await getAdminProfile(c.var.scope, c.var.adminPrincipal);
      return c.json(profileResponse(profile.admin, profile.clinic));
    })
    .post('/admin/me/recovery-codes', requireAdminForOwnAccount, async (c) => {
      const body = await parseJsonBody(c, codeBody);
      const recoveryCodes = await regenerateRecoveryCodes(loginDeps(c), {
        principal: c.var.adminPrincipal,
        code: body.code,
        sourceIp: c.var.requestInfo.sourceIp,
      });
      return c.json({ recoveryCodes } satisfies AdminRecoveryCodesResponse);
    });
}
