import type { Context } from 'hono';
import { en } from 'zod/locales';
import * as z from 'zod/mini';
import { NotFoundError, UnsupportedMediaTypeError, ValidationError } from '../domain/errors';
import { isUuid } from '../domain/ids';

/*
 * Request validation with zod's tree-shakable "mini" build: the full build adds ~440 KB to the Lambda bundle
 * (measured with `npm run bench`), the mini build with English messages ~22 KB, with the same validation.
 * Mini ships no messages by default ("Invalid input"); the English locale names what was expected.
 */
z.config(en());

/** 415 for a body that is not `application/json` (SECURITY.md "Ingest API"; the same rule everywhere). */
export { UnsupportedMediaTypeError };

/** Validates input against a schema; a failure names every offending field in `details.fields`, keyed by path. */
export function validate<Schema extends z.ZodMiniType>(schema: Schema, input: unknown, what: string): z.infer<Schema> {
  const result = z.safeParse(schema, input);
  if (result.success) return result.data;
  return throwValidationError(result.error.issues, what);
}

/** A schema failure (from zod or zod/mini) as the one 400 error shape: every offending field path with its message. */
export function throwValidationError(
  issues: ReadonlyArray<{ readonly path: ReadonlyArray<PropertyKey>; readonly message: string }>,
  what: string,
): never {
  const fields = Object.fromEntries(
    issues.slice(0, MAX_REPORTED_FIELDS).map((issue) => [issue.path.map(String).join('.') || '(body)', issue.message]),
  );
  const more = issues.length > MAX_REPORTED_FIELDS ? ` (and ${issues.length - MAX_REPORTED_FIELDS} more)` : '';
  throw new ValidationError(`Invalid ${what}: ${Object.keys(fields).join(', ')}${more}.`, { fields });
}

/** A 20,000-line body with a systematic mistake would otherwise produce a 20,000-entry error. */
const MAX_REPORTED_FIELDS = 50;

/** Reads a JSON body and validates it: wrong content type, malformed JSON and schema failures each say so. */
export async function parseJsonBody<Schema extends z.ZodMiniType>(
  c: Context,
  schema: Schema,
): Promise<z.infer<Schema>> {
  const contentType = c.req.header('Content-Type') ?? '';
  if (!/^application\/json\s*(;|$)/iu.test(contentType)) throw new UnsupportedMediaTypeError();
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch {
    throw new ValidationError('The request body is not valid JSON.');
  }
  return validate(schema, body, 'request');
}

/**
 * Like {@link parseJsonBody} for a body that may be left out: a request without a body (and without a
 * Content-Type) is validated as `{}`; a body that is sent must be JSON.
 */
export async function parseOptionalJsonBody<Schema extends z.ZodMiniType>(
  c: Context,
  schema: Schema,
): Promise<z.infer<Schema>> {
  const declaresBody = c.req.header('Content-Type') !== undefined || Number(c.req.header('Content-Length') ?? 0) > 0;
  return declaresBody ? parseJsonBody(c, schema) : validate(schema, {}, 'request');
}

/** Ids in paths are UUIDs; anything else cannot exist, so it is "not found" like any id the caller may not see. */
export function uuidParam(value: string, what: string): string {
  if (!isUuid(value)) throw new NotFoundError(what);
  return value;
}
