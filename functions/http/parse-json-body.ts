import type { Context } from 'hono';
import type { z } from 'zod';
import { PortalError, ValidationError } from '../domain/errors';

/** 415 for a body that is not `application/json` (SECURITY.md "Ingest API"; same rule everywhere). */
export class UnsupportedMediaTypeError extends PortalError {
  constructor() {
    super('unsupported_media_type', 'The request body must be JSON (Content-Type: application/json).');
  }
}

/**
 * Reads and validates a JSON body against a zod schema. Each failure names what is wrong: the content type,
 * malformed JSON, or the fields that break the schema (as `details.fields`, keyed by path).
 */
export async function parseJsonBody<Schema extends z.ZodType>(c: Context, schema: Schema): Promise<z.infer<Schema>> {
  const contentType = c.req.header('Content-Type') ?? '';
  if (!/^application\/json\s*(;|$)/iu.test(contentType)) throw new UnsupportedMediaTypeError();
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch {
    throw new ValidationError('The request body is not valid JSON.');
  }
  const result = schema.safeParse(body);
  if (!result.success) {
    const fields = Object.fromEntries(
      result.error.issues.map((issue) => [issue.path.join('.') || '(body)', issue.message]),
    );
    throw new ValidationError(`Invalid request: ${Object.keys(fields).join(', ')}.`, { fields });
  }
  return result.data;
}
