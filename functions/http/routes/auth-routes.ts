import { type Context, Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import * as z from 'zod/mini';
import { BankIdUnavailableError } from '../../domain/bankid';
import type { Contact, Membership } from '../../domain/identity';
import { logout } from '../../use-cases/authenticate-session';
import { cancelBankIdLogin, pollBankIdLogin, startBankIdLogin } from '../../use-cases/bankid-login';
import { changePassword } from '../../use-cases/change-password';
import { getContactProfile } from '../../use-cases/get-contact-profile';
import { loginWithPassword } from '../../use-cases/login-with-password';
import type { LoginResult } from '../../use-cases/start-session';
import type { BankIdProgressResponse, BankIdStartResponse, ProfileResponse } from '../api-contract';
import type { AppDeps, AppEnv } from '../app-types';
import { authenticate, SESSION_COOKIE } from '../middleware/authenticate';
import { parseJsonBody, uuidParam } from '../validation';

const loginBody = z.object({
  // Usernames are e-mail addresses: no spaces and no '#' (which could never name an account, and may not reach a key).
  username: z
    .string()
    .check(
      z.trim(),
      z.minLength(1, 'Enter your username.'),
      z.maxLength(254),
      z.regex(/^[^\s#]+$/u, 'A username has no spaces or # signs.'),
    ),
  // NIST 800-63B: accept at least 64 characters; 1024 bounds the hashing work an attacker can cause.
  password: z.string().check(z.minLength(1, 'Enter your password.'), z.maxLength(1024)),
});

/** What the frontend learns about the logged-in contact: no ids of other people, no hashes. */
function profileResponse(contact: Contact, customers: readonly Membership[]): ProfileResponse {
  return {
    contact: { id: contact.id, name: contact.name, email: contact.email },
    customers: customers.map((membership) => ({ id: membership.customerId, name: membership.customerName })),
  };
}

const changePasswordBody = z.object({
  currentPassword: z.string().check(z.minLength(1, 'Enter your current password.'), z.maxLength(1024)),
  // Not limited here: the password policy answers a too long one with its reason, before anything is hashed.
  newPassword: z.string(),
});

const bankIdStartBody = z.object({ method: z.enum(['qr', 'autostart']) });

/** The session cookie every successful login sets (SECURITY.md: __Host-, Secure, HttpOnly, SameSite=Lax). */
function setSessionCookie(c: Context<AppEnv>, result: LoginResult): void {
  setCookie(c, SESSION_COOKIE.name, result.token, {
    prefix: SESSION_COOKIE.prefix,
    httpOnly: true,
    secure: true,
    sameSite: 'Lax',
    path: '/',
    expires: result.expiresAt,
  });
}

export function authRoutes(deps: AppDeps) {
  const requireSession = authenticate(deps);
  const bankIdDeps = (c: Context<AppEnv>) => {
    if (!deps.bankId) throw new BankIdUnavailableError();
    return { scope: c.var.scope, bankId: deps.bankId, tokens: deps.tokens, clock: deps.clock, ids: deps.ids };
  };
  return new Hono<AppEnv>()
    .post('/auth/login', async (c) => {
      const body = await parseJsonBody(c, loginBody);
      const result = await loginWithPassword(
        { scope: c.var.scope, hasher: deps.hasher, tokens: deps.tokens, clock: deps.clock, ids: deps.ids },
        { ...body, sourceIp: c.var.requestInfo.sourceIp },
      );
      setSessionCookie(c, result);
      return c.json(profileResponse(result.contact, result.customers));
    })
    .post('/auth/bankid', async (c) => {
      const { method } = await parseJsonBody(c, bankIdStartBody);
      const started = await startBankIdLogin(bankIdDeps(c), { method, endUserIp: c.var.requestInfo.sourceIp });
      return c.json(started satisfies BankIdStartResponse, 201);
    })
    .post('/auth/bankid/:loginId/collect', async (c) => {
      const loginId = uuidParam(c.req.param('loginId'), 'The BankID login');
      const progress = await pollBankIdLogin(bankIdDeps(c), { loginId, sourceIp: c.var.requestInfo.sourceIp });
      if (progress.status !== 'complete') return c.json(progress satisfies BankIdProgressResponse);
      setSessionCookie(c, progress.session);
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
    .post('/auth/logout', requireSession, async (c) => {
      await logout(c.var.scope, c.var.principal);
      deleteCookie(c, SESSION_COOKIE.name, { path: '/', secure: true, prefix: SESSION_COOKIE.prefix });
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
