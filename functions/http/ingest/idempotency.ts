import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { ConflictError, UnprocessableError, ValidationError } from '../../domain/errors';
import type { Clock } from '../../domain/ports';
import type { IngestEnv } from './ingest-env';

/** How long a stored outcome answers retries (Stripe and the IETF draft use 24 h). */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;
const KEY_FORM = /^[\x21-\x7e]{1,255}$/u;

/**
 * The `Idempotency-Key` header (IETF draft-ietf-httpapi-idempotency-key-header): the first request with a key runs
 * and its outcome is stored; a retry with the same key and the same request gets the stored response
 * (`Idempotent-Replayed: true`); the same key with another request is refused (422); a retry while the first is
 * still running gets 409. Only deterministic outcomes are stored (2xx, 400, 422): after a 5xx, 401, 403 or 409 the
 * key is released so that the retry runs again. Without the header, the natural key (invoice number + version)
 * still makes retries safe.
 */
export function idempotency(clock: Clock): MiddlewareHandler<IngestEnv> {
  return async function idempotency(c, next) {
    const key = c.req.header('Idempotency-Key');
    if (key === undefined || c.req.method === 'GET') return next();
    if (!KEY_FORM.test(key)) {
      throw new ValidationError('The Idempotency-Key header must be 1 to 255 visible ASCII characters.', {
        fields: { 'Idempotency-Key': 'invalid' },
      });
    }
    const store = c.var.scope.idempotency;
    const requestSha256 = createHash('sha256')
      .update(`${c.req.method} ${new URL(c.req.url).pathname}\n`)
      .update(c.var.decodedBody ?? new Uint8Array())
      .digest('hex');
    const claim = await store.begin(key, requestSha256, clock.now(), IDEMPOTENCY_TTL_SECONDS);
    if (!claim.claimed) {
      const { record } = claim;
      if (record.requestSha256 !== requestSha256) {
        throw new UnprocessableError(
          'idempotency_key_reused',
          'This Idempotency-Key was already used for a different request; use a new key for a new request.',
        );
      }
      if (record.state === 'in_progress' || !record.response) {
        throw new ConflictError('A request with this Idempotency-Key is still being processed; retry in a moment.', {
          code: 'idempotency_key_in_progress',
        });
      }
      return c.body(record.response.body, record.response.status as 200, {
        'Content-Type': 'application/json',
        'Idempotent-Replayed': 'true',
      });
    }
    try {
      await next();
    } catch (error) {
      await store.release(key);
      throw error;
    }
    const status = c.res.status;
    if ((status >= 200 && status < 300) || status === 400 || status === 422) {
      await store.complete(key, { status, body: await c.res.clone().text() });
    } else {
      await store.release(key);
    }
  };
}
