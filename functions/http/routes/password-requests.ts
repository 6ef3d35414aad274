import type { Context } from 'hono';
import * as z from 'zod/mini';
import type {
  PasswordSetWithLink,
  SetPasswordWithLinkDeps,
  SetPasswordWithLinkInput,
} from '../../use-cases/password-links';
import type { PasswordSetResponse } from '../api-contract';
import type { AppDeps, AppEnv } from '../app-types';
import { parseJsonBody } from '../validation';

/*
 * What the contacts' and the administrators' password requests share (./auth-routes.ts, ./admin-auth-routes.ts):
 * both log in with an e-mail address and a password, and both set a password with a mailed link.
 */

export const passwordLoginBody = z.object({
  // Login names are e-mail addresses: no spaces and no '#' (which could never name an account, and may not reach a key).
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

const setPasswordWithLinkBody = z.object({
  // The use case names what is wrong with a malformed token; this only bounds what it has to read.
  token: z.string().check(z.maxLength(200)),
  // Not limited here: the password policy answers a too long one with its reason, before anything is hashed.
  newPassword: z.string(),
});

/**
 * `POST …/set-password`: sets a password with the token of a mailed link (an invitation or a reset) and answers with
 * the login name it now belongs to. `setPassword` decides whose password a link may set: a contact's or an
 * administrator's.
 */
export function setPasswordWithLinkHandler(
  deps: AppDeps,
  setPassword: (deps: SetPasswordWithLinkDeps, input: SetPasswordWithLinkInput) => Promise<PasswordSetWithLink>,
) {
  return async (c: Context<AppEnv>) => {
    const body = await parseJsonBody(c, setPasswordWithLinkBody);
    const result = await setPassword(
      { scope: c.var.scope, hasher: deps.hasher, clock: deps.clock, ids: deps.ids },
      { ...body, sourceIp: c.var.requestInfo.sourceIp },
    );
    return c.json({ username: result.username } satisfies PasswordSetResponse);
  };
}
