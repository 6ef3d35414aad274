import { ForbiddenError, ValidationError } from './errors';

/**
 * How a clinic's contacts may log in: BankID, username and password, or both. The clinic's choice (admin settings);
 * at least one stays on, or nobody could log in. Administrators' own login (password + TOTP) is not affected.
 */
export interface LoginMethods {
  readonly bankId: boolean;
  readonly password: boolean;
}

export type LoginMethod = keyof LoginMethods;

/** Both, for a clinic that never chose. */
export const DEFAULT_LOGIN_METHODS: LoginMethods = { bankId: true, password: true };

export function loginMethodsOf(tenant: { readonly loginMethods?: LoginMethods } | undefined): LoginMethods {
  return tenant?.loginMethods ?? DEFAULT_LOGIN_METHODS;
}

/** Checks a choice an administrator submits: 400 naming `loginMethods` when it would turn every method off. */
export function checkLoginMethods(methods: LoginMethods): LoginMethods {
  if (!methods.bankId && !methods.password) {
    const reason = 'at least one login method (BankID or password) must stay enabled';
    throw new ValidationError(`Invalid settings: ${reason}.`, { fields: { loginMethods: reason } });
  }
  return { bankId: methods.bankId, password: methods.password };
}

const METHOD_NAMES: Readonly<Record<LoginMethod, string>> = { bankId: 'BankID', password: 'username and password' };

/** A login (or a password reset) by a method the clinic has turned off: 403 `login_method_disabled`. */
export class LoginMethodDisabledError extends ForbiddenError {
  readonly method: LoginMethod;

  constructor(method: LoginMethod) {
    super('login_method_disabled', `This portal does not offer login with ${METHOD_NAMES[method]}.`);
    this.method = method;
  }
}

/** Throws {@link LoginMethodDisabledError} unless the clinic offers `method`. */
export function ensureLoginMethod(tenant: { readonly loginMethods?: LoginMethods } | undefined, method: LoginMethod) {
  if (!loginMethodsOf(tenant)[method]) throw new LoginMethodDisabledError(method);
}
