import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Clock } from '../../domain/ports';
import { errorBody } from '../error-handler';

/**
 * The header CloudFront adds to every request it sends to the HTTP API (lib/stacks/web-stack.ts), carrying the
 * origin secret. Repeated in lib/stacks/api-stack.ts (lib/ must not import functions/); test/infra/origin-lock.test.ts
 * proves the two agree.
 */
export const ORIGIN_VERIFY_HEADER = 'x-origin-verify';

/**
 * Tells whether a request came through CloudFront. Absent from the deps where there is no CloudFront in front
 * (the dev server, tests): the wiring decides, never the app.
 */
export interface OriginLock {
  accepts(presented: string): Promise<boolean>;
}

/** A secret that may change: its current value and, during a rotation, the one CloudFront may still send. */
export type LoadOriginSecrets = () => Promise<readonly string[]>;

export interface SecretOriginLockOptions {
  readonly clock: Clock;
  /**
   * An unknown value reloads the secrets at most this often, so a rotation is picked up without a cold start
   * while a flood of forged requests cannot turn into a flood of Secrets Manager calls.
   */
  readonly reloadAfterMs?: number;
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * An {@link OriginLock} comparing the presented value with the origin secret's values, in constant time (digests of
 * equal length, so neither content nor length leaks through timing). Loaded on first use, then cached.
 */
export function secretOriginLock(load: LoadOriginSecrets, options: SecretOriginLockOptions): OriginLock {
  const reloadAfterMs = options.reloadAfterMs ?? 60_000;
  let cached: { digests: readonly Buffer[]; loadedAt: number } | undefined;
  let loading: Promise<readonly Buffer[]> | undefined;

  const reload = () => {
    loading ??= load()
      .then((values) => {
        const digests = values.filter((value) => value.length > 0).map(digest);
        cached = { digests, loadedAt: options.clock.now().getTime() };
        return digests;
      })
      .finally(() => {
        loading = undefined;
      });
    return loading;
  };
  const matches = (digests: readonly Buffer[], presented: Buffer) =>
    digests.some((candidate) => timingSafeEqual(candidate, presented));

  return {
    async accepts(value) {
      const presented = digest(value);
      if (cached && matches(cached.digests, presented)) return true;
      const stale = !cached || options.clock.now().getTime() - cached.loadedAt >= reloadAfterMs;
      return stale ? matches(await reload(), presented) : false;
    },
  };
}

/**
 * Refuses, with 403 and nothing else, every request that did not come through CloudFront: the HTTP API's own
 * endpoint is public, and a request sent there directly would bypass the WAF and CloudFront's headers. Without a
 * lock (dev server, tests) every request passes.
 */
export function requireOrigin(lock: OriginLock | undefined): MiddlewareHandler {
  return async function requireOrigin(c, next) {
    if (!lock) return next();
    const presented = c.req.header(ORIGIN_VERIFY_HEADER);
    if (presented && (await lock.accepts(presented))) return next();
    return c.json(errorBody('forbidden', 'This endpoint is only served through the portal.'), 403);
  };
}
