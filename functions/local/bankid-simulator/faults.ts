/**
 * Faults the simulator injects into its RP API, the ways BankID and the network in front of it fail: an error
 * status with BankID's `{errorCode, details}` (or a body that is not BankID's at all, like a proxy's HTML page),
 * and/or latency before the answer. A fault matches one path or every path and is used up after `times` requests.
 * Faults act before the request touches any order.
 */
export const RP_PATHS = ['auth', 'sign', 'collect', 'cancel', 'phone/auth', 'phone/sign'] as const;
export type RpPath = (typeof RP_PATHS)[number];

export interface FaultSpec {
  /** The RP path it hits; every RP path if left out. */
  readonly path?: RpPath;
  /**
   * The HTTP status to answer (408, 429, 500, 503, … or any other error status). Left out: no error, the request
   * is only delayed by `latencyMs` and then served normally.
   */
  readonly status?: number;
  /** Defaults by status: 503 maintenance, 500 internalError, 408 requestTimeout, 429 tooManyRequests, … */
  readonly errorCode?: string;
  readonly details?: string;
  /** Answer this text (as text/html) instead of BankID's JSON error body. */
  readonly rawBody?: string;
  /** Real milliseconds to wait before answering (the network, not the clock of the state machine). */
  readonly latencyMs?: number;
  /** How many requests it hits; 1 by default, `Infinity` until {@link FaultInjector.clear}. */
  readonly times?: number;
}

export interface Fault {
  readonly status?: number;
  readonly latencyMs: number;
  readonly contentType: string;
  readonly body: string;
}

const DEFAULT_ERROR_CODES: Readonly<Record<number, string>> = {
  400: 'invalidParameters',
  401: 'unauthorized',
  403: 'unauthorized',
  404: 'notFound',
  405: 'methodNotAllowed',
  408: 'requestTimeout',
  415: 'unsupportedMediaType',
  429: 'tooManyRequests',
  500: 'internalError',
  503: 'maintenance',
};

interface ArmedFault {
  readonly spec: FaultSpec;
  remaining: number;
}

export class FaultInjector {
  private armed: ArmedFault[] = [];

  inject(spec: FaultSpec): void {
    const times = spec.times ?? 1;
    if (!(times === Number.POSITIVE_INFINITY || (Number.isInteger(times) && times > 0))) {
      throw new RangeError('A fault needs times ≥ 1 (or Infinity).');
    }
    if (spec.status !== undefined && !(Number.isInteger(spec.status) && spec.status >= 300 && spec.status <= 599)) {
      throw new RangeError('A fault status must be an error status (300–599); leave it out for latency only.');
    }
    if (spec.latencyMs !== undefined && !(spec.latencyMs >= 0 && spec.latencyMs <= 120_000)) {
      throw new RangeError('latencyMs must be between 0 and 120000.');
    }
    if (spec.status === undefined && spec.latencyMs === undefined) {
      throw new RangeError('A fault needs a status, a latency, or both.');
    }
    if (spec.path !== undefined && !RP_PATHS.includes(spec.path)) {
      throw new RangeError(`Unknown RP path ${JSON.stringify(spec.path)}; one of ${RP_PATHS.join(', ')}.`);
    }
    this.armed.push({ spec, remaining: times });
  }

  clear(): void {
    this.armed = [];
  }

  /** The first armed fault for this path, used up by one; undefined if none. */
  take(path: RpPath): Fault | undefined {
    const armed = this.armed.find((candidate) => candidate.spec.path === undefined || candidate.spec.path === path);
    if (!armed) return undefined;
    armed.remaining -= 1;
    if (armed.remaining <= 0) this.armed = this.armed.filter((candidate) => candidate !== armed);
    const { spec } = armed;
    const latencyMs = spec.latencyMs ?? 0;
    if (spec.status === undefined) return { latencyMs, contentType: '', body: '' };
    if (spec.rawBody !== undefined) {
      return { status: spec.status, latencyMs, contentType: 'text/html; charset=utf-8', body: spec.rawBody };
    }
    const errorCode = spec.errorCode ?? DEFAULT_ERROR_CODES[spec.status] ?? 'unknownError';
    const details = spec.details ?? `Simulated fault (${spec.status} ${errorCode})`;
    return {
      status: spec.status,
      latencyMs,
      contentType: 'application/json',
      body: JSON.stringify({ errorCode, details }),
    };
  }
}
