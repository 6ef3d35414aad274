import type { MiddlewareHandler } from 'hono';
import { ensureLoginMethod, type LoginMethod } from '../../domain/login-methods';
import type { AppEnv } from '../app-types';

/**
 * Refuses a contact's login request by a method the clinic has turned off (403 `login_method_disabled`), before
 * anything else is done: no password is checked (so the answer says nothing about the account), no BankID order is
 * started, and a BankID login already under way cannot complete. Only new logins are refused: sessions that exist
 * keep running until they end as usual — turning a method off is not a lockout (deactivating a contact is).
 */
export function requireLoginMethod(method: LoginMethod): MiddlewareHandler<AppEnv> {
  return async function requireLoginMethod(c, next) {
    ensureLoginMethod(await c.var.scope.tenant.get(), method);
    await next();
  };
}
