import { Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import * as z from 'zod/mini';
import type { Contact, Membership } from '../../domain/identity';
import { logout } from '../../use-cases/authenticate-session';
import { getContactProfile } from '../../use-cases/get-contact-profile';
import { loginWithPassword } from '../../use-cases/login-with-password';
import type { ProfileResponse } from '../api-contract';
import type { AppDeps, AppEnv } from '../app-types';
import { authenticate, SESSION_COOKIE } from '../middleware/authenticate';
import { parseJsonBody } from '../validation';

const loginBody = z.object({
  username: z.string().check(z.trim(), z.minLength(1, 'Enter your username.'), z.maxLength(254)),
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

export function authRoutes(deps: AppDeps) {
  const requireSession = authenticate(deps);
  return new Hono<AppEnv>()
    .post('/auth/login', async (c) => {
      const body = await parseJsonBody(c, loginBody);
      const result = await loginWithPassword(
        { scope: c.var.scope, hasher: deps.hasher, tokens: deps.tokens, clock: deps.clock, ids: deps.ids },
        { ...body, sourceIp: c.var.requestInfo.sourceIp },
      );
      setCookie(c, SESSION_COOKIE.name, result.token, {
        prefix: SESSION_COOKIE.prefix,
        httpOnly: true,
        secure: true,
        sameSite: 'Lax',
        path: '/',
        expires: result.expiresAt,
      });
      return c.json(profileResponse(result.contact, result.customers));
    })
    .post('/auth/logout', requireSession, async (c) => {
      await logout(c.var.scope, c.var.principal);
      deleteCookie(c, SESSION_COOKIE.name, { path: '/', secure: true, prefix: SESSION_COOKIE.prefix });
      return c.body(null, 204);
    })
    .get('/me', requireSession, async (c) => {
      const profile = await getContactProfile(c.var.scope, c.var.principal);
      return c.json(profileResponse(profile.contact, profile.customers));
    });
}
