import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { ConflictError, UnprocessableError, ValidationError } from '../../domain/errors';
import { errorFields, type Logger } from '../../domain/logging';
import type { Clock } from '../../domain/ports';
import type { IngestEnv } from './ingest-env';

/** How long a stored outcome answers retries (Stripe and the IETF draft use 24 h). */
const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;
/** How long a claim blocks retries if its request dies unfinished: longer than the ingest function's 30 s timeout. */
const CLAIM_LEASE_SECONDS = 60;
/** Visible ASCII, 1–255 characters: the ingest schemas document the header with this same pattern. */
export const IDEMPOTENCY_KEY_FORM = /^[\x21-\x7e]{1,255}$/u;

/**
 * The `Idempotency-Key` header (IETF draft-ietf-httpapi-idempotency-key-header): the first request with a key runs
 * and its outcome is stored; a retry with the same key and the same request gets the stored response
 * (`Idempotent-Replayed: true`); the same key with another request is refused (422); a retry while the first is
 * still running gets 409 (for at most a minute, should that request have died). Only deterministic outcomes are
 * stored (2xx, 400, 422): after anything else the key is released so that the retry runs again. A route whose answer
 * goes stale (a presigned upload URL) opts out with `c.set('replayable', false)`; its retries are still safe
 * through the natural key (invoice number + version), which also covers requests sent without the header.
 */
export function idempotency(clock: Clock, log: Logger): MiddlewareHandler<IngestEnv> {
  return async function idempotency(c, next) {
    const key = c.req.header('Idempotency-Key');
    if (key === undefined || c.req.method === 'GET') return next();
    if (!IDEMPOTENCY_KEY_FORM.test(key)) {
      throw new ValidationError('The Idempotency-Key header must be 1 to 255 visible ASCII characters.', {
        fields: { 'Idempotency-Key': 'invalid' },
      });
    }
    const store = c.var.scope.idempotency;
    const requestSha256 = createHash('sha256')
      .update(`${c.req.method} ${new URL(c.req.url).pathname}\n`)
      .update(c.var.decodedBody ?? new Uint8Array())
      .digest('hex');
    const claim = await store.begin(key, requestSha256, clock.now(), CLAIM_LEASE_SECONDS);
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
      const { status, body, location } = record.response;
      return c.body(body, status as 200, {
        'Content-Type': 'application/json',
        'Idempotent-Replayed': 'true',
        ...(location ? { Location: location } : {}),
      });
    }
    // Errors thrown by the route have become responses (app.onError) by the time next() returns.
    await next();
    const status = c.res.status;
    const deterministic = (status >= 200 && status < 300) || status === 400 || status === 422;
    try {
      if (deterministic && c.get('replayable') !== false) {
        const location = c.res.headers.get('Location');
        const response = { status, body: await c.res.clone().text(), ...(location ? { location } : {}) };
        await store.complete(key, response, clock.now(), IDEMPOTENCY_TTL_SECONDS);
      } else {
        await store.release(key);
      }
    } catch (error) {
      // The request itself succeeded or failed as its response says; a lost record only means a retry runs the
      // request again (safe through the natural key) once the claim's lease has passed.
      log.error('Could not store or release an idempotency record', {
        requestId: c.get('requestId'),
        ...errorFields(error),
      });
    }
  };
}
