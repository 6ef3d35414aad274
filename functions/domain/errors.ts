/**
 * Domain errors carry a stable machine-readable `code`; the HTTP layer maps them to statuses in ONE place
 * (functions/http/error-handler.ts). Adapters translate SDK errors into these at their boundary.
 */
export class PortalError extends Error {
  readonly code: string;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: string, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details;
  }
}

/** Input that breaks a rule of the domain or a request schema; `details` names the offending fields. */
export class ValidationError extends PortalError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('validation_failed', message, details === undefined ? {} : { details });
  }
}

/**
 * The thing does not exist *for this caller*. Used both for absent items and for items the caller may not see,
 * so that existence is never revealed across customers or tenants.
 */
export class NotFoundError extends PortalError {
  constructor(what: string) {
    super('not_found', `${what} was not found.`);
  }
}

/**
 * No valid session (absent, expired, revoked or forged), or a failed step of a login that needs more than one (a
 * wrong one-time code, an expired second-factor challenge): `code` says which.
 */
export class UnauthenticatedError extends PortalError {
  constructor(message = 'You need to log in.', code = 'unauthenticated') {
    super(code, message);
  }
}

/**
 * Login failed. One message for unknown user, wrong password and disabled account, so that the response does
 * not reveal which accounts exist.
 */
export class InvalidCredentialsError extends PortalError {
  constructor() {
    super('invalid_credentials', 'The username or password is wrong.');
  }
}

/** A write lost a race or would duplicate something unique (e.g. a DynamoDB conditional check failed). */
export class ConflictError extends PortalError {
  constructor(message: string, options: { cause?: unknown; code?: string; details?: Record<string, unknown> } = {}) {
    const { code = 'conflict', ...rest } = options;
    super(code, message, rest);
  }
}

/**
 * Well-formed input that breaks a business rule: totals that do not add up, an unknown customer number, a "PDF"
 * that is not one. `details` says exactly what is wrong (e.g. the difference in öre).
 */
export class UnprocessableError extends PortalError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, message, details === undefined ? {} : { details });
  }
}

/** The caller is known but may not do this (a revoked API key, a key of another clinic). */
export class ForbiddenError extends PortalError {
  constructor(code: string, message: string) {
    super(code, message);
  }
}

/** A body or file larger than the limit, which the message names. */
export class PayloadTooLargeError extends PortalError {
  constructor(message: string) {
    super('payload_too_large', message);
  }
}

/**
 * Content of a type the portal does not take (415): a body that is not JSON, an upload that is not a PNG or JPEG.
 * `code` says which.
 */
export class UnsupportedMediaTypeError extends PortalError {
  constructor(
    message = 'The request body must be JSON (Content-Type: application/json).',
    code = 'unsupported_media_type',
  ) {
    super(code, message);
  }
}

/** A capability that is switched off or out of reach here (e.g. BankID not configured for this deployment). */
export class UnavailableError extends PortalError {
  constructor(code: string, message: string) {
    super(code, message);
  }
}

/**
 * Too many attempts from one address (login throttling): answered 429 with `Retry-After`. Never used for an
 * account's delay or lock, which must look exactly like a wrong password.
 */
export class TooManyRequestsError extends PortalError {
  readonly retryAfterSeconds: number;

  constructor(message: string, retryAfterSeconds: number) {
    super('too_many_requests', message, { details: { retryAfterSeconds } });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
