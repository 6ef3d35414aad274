import { type Context, Hono } from 'hono';
import * as z from 'zod/mini';
import { BankIdUnavailableError } from '../../domain/bankid';
import { type Contact, contactPreferences, type Membership } from '../../domain/identity';
import { isUuid } from '../../domain/ids';
import { logout } from '../../use-cases/authenticate-session';
import { cancelBankIdLogin, pollBankIdLogin, startBankIdLogin } from '../../use-cases/bankid-login';
import { changePassword } from '../../use-cases/change-password';
import { requestContactPasswordReset, setContactPasswordWithLink } from '../../use-cases/contact-password-links';
import { getContactProfile } from '../../use-cases/get-contact-profile';
import { loginWithPassword } from '../../use-cases/login-with-password';
import { PASSWORD_LINK } from '../../use-cases/password-links';
import type {
  BankIdProgressResponse,
  BankIdStartResponse,
  PasswordResetRequestedResponse,
  ProfileResponse,
} from '../api-contract';
import type { AppDeps, AppEnv } from '../app-types';
import { authenticate } from '../middleware/authenticate';
import { requireLoginMethod } from '../middleware/login-method';
import { deleteSessionCookie, SESSION_COOKIE, setSessionCookie } from '../session-cookies';
import { parseJsonBody, parseOptionalJsonBody, uuidParam } from '../validation';
import { passwordLoginBody, setPasswordWithLinkHandler } from './password-requests';

/** What the frontend learns about the logged-in contact: no ids of other people, no hashes. */
function profileResponse(contact: Contact, customers: readonly Membership[]): ProfileResponse {
  return {
    contact: { id: contact.id, name: contact.name, email: contact.email },
    customers: customers.map((membership) => ({ id: membership.customerId, name: membership.customerName })),
    preferences: contactPreferences(contact),
  };
}

const changePasswordBody = z.object({
  currentPassword: z.string().check(z.minLength(1, 'Enter your current password.'), z.maxLength(1024)),
  // Not limited here: the password policy answers a too long one with its reason, before anything is hashed.
  newPassword: z.string(),
});

const bankIdStartBody = z.object({ method: z.enum(['qr', 'autostart']) });

// Password reset links (functions/use-cases/password-links.ts).
const passwordResetBody = z.object({
  email: z
    .string()
    .check(
      z.trim(),
      z.minLength(1, 'Enter your e-mail address.'),
      z.maxLength(254),
      z.regex(/^[^\s#@]+@[^\s#@]+$/u, 'Enter an e-mail address such as name@company.se.'),
    ),
});
/** The nonce is a UUID (see startBankIdLogin); anything else cannot be it. Polls without a return send `{}`. */
const bankIdCollectBody = z.object({
  returnNonce: z.optional(z.string().check(z.refine(isUuid, 'This is not the nonce of a BankID return.'))),
});

export function authRoutes(deps: AppDeps) {
  const requireSession = authenticate(deps);
  const passwordLogins = requireLoginMethod('password');
  const bankIdLogins = requireLoginMethod('bankId');
  const bankIdDeps = (c: Context<AppEnv>) => {
    if (!deps.bankId) throw new BankIdUnavailableError();
    return { scope: c.var.scope, bankId: deps.bankId, tokens: deps.tokens, clock: deps.clock, ids: deps.ids };
  };
  return new Hono<AppEnv>()
    .post('/auth/login', passwordLogins, async (c) => {
      const body = await parseJsonBody(c, passwordLoginBody);
      const result = await loginWithPassword(
        { scope: c.var.scope, hasher: deps.hasher, tokens: deps.tokens, clock: deps.clock, ids: deps.ids },
        { ...body, sourceIp: c.var.requestInfo.sourceIp },
      );
      setSessionCookie(c, SESSION_COOKIE, result);
      return c.json(profileResponse(result.contact, result.customers));
    })
    .post('/auth/bankid', bankIdLogins, async (c) => {
      const { method } = await parseJsonBody(c, bankIdStartBody);
      const { sourceIp, origin } = c.var.requestInfo;
      const started = await startBankIdLogin(bankIdDeps(c), { method, endUserIp: sourceIp, origin });
      return c.json(started satisfies BankIdStartResponse, 201);
    })
    .post('/auth/bankid/:loginId/collect', bankIdLogins, async (c) => {
      const loginId = uuidParam(c.req.param('loginId'), 'The BankID login');
      const { returnNonce } = await parseOptionalJsonBody(c, bankIdCollectBody);
      const progress = await pollBankIdLogin(bankIdDeps(c), {
        loginId,
        sourceIp: c.var.requestInfo.sourceIp,
        returnNonce,
      });
      if (progress.status !== 'complete') return c.json(progress satisfies BankIdProgressResponse);
      setSessionCookie(c, SESSION_COOKIE, progress.session);
      const body: BankIdProgressResponse = {
        status: 'complete',
        profile: profileResponse(progress.session.contact, progress.session.customers),
      };
      return c.json(body);
    })
    .post('/auth/bankid/:loginId/cancel', async (c) => {
      await cancelBankIdLogin(bankIdDeps(c), uuidParam(c.req.param('loginId'), 'The BankID login'));
      return c.body(null, 204);
    })
    .post('/auth/password-reset', passwordLogins, async (c) => {
      const { email } = await parseJsonBody(c, passwordResetBody);
      const { requestInfo } = c.var;
      await requestContactPasswordReset(
        {
          scope: c.var.scope,
          clock: deps.clock,
          ids: deps.ids,
          mailer: deps.mailer,
          log: deps.log,
          ...(deps.resetRequestMinimumMs === undefined ? {} : { minimumDurationMs: deps.resetRequestMinimumMs }),
        },
        { email, origin: requestInfo.origin, sourceIp: requestInfo.sourceIp },
      );
      // The same answer for every address: whether a mail went out is for the mailbox's owner to see.
      return c.json({ validMinutes: PASSWORD_LINK.validMinutes } satisfies PasswordResetRequestedResponse, 202);
    })
    .post('/auth/set-password', setPasswordWithLinkHandler(deps, setContactPasswordWithLink))
    .post('/auth/logout', requireSession, async (c) => {
      await logout(c.var.scope, c.var.principal);
      deleteSessionCookie(c, SESSION_COOKIE);
      return c.body(null, 204);
    })
    .post('/me/password', requireSession, async (c) => {
      const body = await parseJsonBody(c, changePasswordBody);
      await changePassword(
        { scope: c.var.scope, hasher: deps.hasher, clock: deps.clock, ids: deps.ids },
        { ...body, principal: c.var.principal, sourceIp: c.var.requestInfo.sourceIp },
      );
      return c.body(null, 204);
    })
    .get('/me', requireSession, async (c) => {
      const profile = await getContactProfile(c.var.scope, c.var.principal);
      return c.json(profileResponse(profile.contact, profile.customers));
    });
}
