import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import {
  ConflictError,
  ForbiddenError,
  InvalidCredentialsError,
  NotFoundError,
  PayloadTooLargeError,
  PortalError,
  TooManyRequestsError,
  UnauthenticatedError,
  UnavailableError,
  UnprocessableError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../domain/errors';
import { errorFields, type Logger } from '../domain/logging';
import type { ErrorResponse } from './api-contract';

/** The one JSON shape of every error the API returns. */
export function errorBody(code: string, message: string, details?: Record<string, unknown>): ErrorResponse {
  return { error: { code, message, ...(details ? { details } : {}) } };
}

function statusOf(error: PortalError): ContentfulStatusCode {
  if (error instanceof ValidationError) return 400;
  if (error instanceof UnsupportedMediaTypeError) return 415;
  if (error instanceof InvalidCredentialsError || error instanceof UnauthenticatedError) return 401;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof ConflictError) return 409;
  if (error instanceof ForbiddenError) return 403;
  if (error instanceof PayloadTooLargeError) return 413;
  if (error instanceof UnprocessableError) return 422;
  if (error instanceof UnavailableError) return 503;
  if (error instanceof TooManyRequestsError) return 429;
  return 400;
}

/**
 * The single place errors become HTTP responses. Domain errors keep their code and message; anything unknown is a
 * 500 with a generic message (the details go to the log, never to the client).
 */
export function errorHandler(log: Logger): (error: Error, c: Context) => Response {
  return (error, c) => responseFor(error, c, log);
}

function responseFor(error: Error, c: Context, log: Logger): Response {
  if (error instanceof PortalError) {
    // RFC 9110: a 429 says when to come back, in seconds.
    const headers =
      error instanceof TooManyRequestsError ? { 'Retry-After': String(error.retryAfterSeconds) } : undefined;
    return c.json(errorBody(error.code, error.message, error.details), statusOf(error), headers);
  }
  if (error instanceof HTTPException) {
    const status = error.status as ContentfulStatusCode;
    const code = error.status === 413 ? 'payload_too_large' : 'bad_request';
    return c.json(errorBody(code, error.message || 'The request could not be handled.'), status);
  }
  log.error('Unhandled error', { requestId: c.get('requestId'), ...errorFields(error), errorStack: error.stack });
  return c.json(errorBody('internal_error', 'Something went wrong on our side. Please try again.'), 500);
}
