import type { TenantScope } from '../../functions/domain/ports';

/**
 * Fault injection for the ports of a {@link TenantScope}: every call through a wrapped port is counted in order,
 * and exactly the k-th call fails, the way S3 and DynamoDB fail:
 *
 * - `before`: the call throws without doing anything (a throttle, a timeout or a 500 before the store acted);
 * - `after`: the call runs and its effect persists, THEN it throws (the response was lost) — the hard case.
 *
 * A plan without a failure point only records the calls, to learn the sequence of a fault-free run. Every port
 * method is wrapped generically (a Proxy), so a method or port added later is covered without touching this file.
 */

export type FaultMode = 'before' | 'after';

export interface PortCall {
  readonly port: string;
  readonly method: string;
}

/** `port.method` for messages and test names. */
export const callLabel = (call: PortCall) => `${call.port}.${call.method}`;

/** A call that failed by injection: which one (1-based), and how. */
export interface InjectedCall extends PortCall {
  readonly index: number;
  readonly mode: FaultMode;
}

/**
 * An infrastructure error, never a domain PortalError. It carries the fields of an AWS SDK v3 service exception
 * (`$fault`, `$metadata.httpStatusCode`, `$retryable`): `before` looks like a ThrottlingException (400, retryable),
 * `after` like an internal server error (500) whose response never arrived.
 */
export class InjectedFault extends Error {
  override readonly name = 'InjectedFault';
  readonly call: InjectedCall;
  readonly $fault: 'client' | 'server';
  readonly $metadata: { readonly httpStatusCode: number; readonly attempts: number };
  readonly $retryable: { readonly throttling: boolean };

  constructor(call: InjectedCall) {
    const what = `Injected fault: ${callLabel(call)} (call ${call.index})`;
    super(
      call.mode === 'before'
        ? `${what} was throttled before it acted (ThrottlingException).`
        : `${what} acted, then its response was lost (500).`,
    );
    this.call = call;
    this.$fault = call.mode === 'before' ? 'client' : 'server';
    this.$metadata = { httpStatusCode: call.mode === 'before' ? 400 : 500, attempts: 1 };
    this.$retryable = { throttling: call.mode === 'before' };
  }
}

/** Which call fails: the k-th of all (1-based), or the n-th call of one port method. */
export type FaultTarget = number | { readonly call: PortCall; readonly occurrence: number };

/** Counts calls through the ports it wraps and fails the one it was told to; one plan per run. */
export class FaultPlan {
  /** Every call so far, in order (the failed one included). */
  readonly calls: PortCall[] = [];
  /** The call that was made to fail, once it has been. */
  injected: InjectedCall | undefined;
  private readonly inFlight = new Set<Promise<unknown>>();

  private constructor(
    readonly target: FaultTarget | undefined,
    readonly mode: FaultMode,
  ) {}

  /** Fails nothing; records the call sequence of a fault-free run. */
  static recording(): FaultPlan {
    return new FaultPlan(undefined, 'before');
  }

  /**
   * Fails exactly the `index`-th call (1-based) through the ports wrapped with this plan — or, given a call and an
   * occurrence, the n-th call of that port method (the same failure point when a use case runs calls in parallel
   * and they interleave differently from run to run).
   */
  static failing(target: FaultTarget, mode: FaultMode): FaultPlan {
    const index = typeof target === 'number' ? target : target.occurrence;
    if (!Number.isInteger(index) || index < 1) throw new RangeError(`Calls are counted from 1, got ${index}.`);
    return new FaultPlan(target, mode);
  }

  /** The 1-based target as the n-th call of its port method in `calls` (a recorded sequence). */
  static occurrenceOf(calls: readonly PortCall[], index: number): { call: PortCall; occurrence: number } {
    const call = calls[index - 1];
    if (!call) throw new RangeError(`There is no call ${index} in a sequence of ${calls.length}.`);
    const occurrence = calls.slice(0, index).filter((other) => callLabel(other) === callLabel(call)).length;
    return { call, occurrence };
  }

  /**
   * Wraps one port object: each of its methods counts, and may fail. Ports are asynchronous, so every wrapped
   * method returns a promise. Also for ports outside the scope (the render queue) that share this plan's count.
   */
  wrap<T extends object>(port: string, target: T): T {
    return new Proxy(target, {
      get: (object, property, receiver) => {
        const value: unknown = Reflect.get(object, property, receiver);
        if (typeof value !== 'function' || typeof property !== 'string') return value;
        return (...args: unknown[]) =>
          this.track(this.call({ port, method: property }, () => value.apply(object, args)));
      },
    });
  }

  /**
   * Resolves when every call started through this plan has finished. A use case that runs calls in parallel
   * rejects at the first failure while the others still run; an "afterwards" check must wait for them.
   */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private track(call: Promise<unknown>): Promise<unknown> {
    this.inFlight.add(call);
    const forget = () => this.inFlight.delete(call);
    call.then(forget, forget);
    return call;
  }

  private isTarget(call: PortCall, index: number): boolean {
    const { target } = this;
    if (target === undefined || this.injected) return false;
    if (typeof target === 'number') return index === target;
    if (callLabel(call) !== callLabel(target.call)) return false;
    return this.calls.filter((other) => callLabel(other) === callLabel(call)).length === target.occurrence;
  }

  private async call(call: PortCall, run: () => unknown): Promise<unknown> {
    const index = this.calls.push(call);
    if (!this.isTarget(call, index)) return run();
    this.injected = { ...call, index, mode: this.mode };
    // `after`: the store acted; whatever it answered (a result or an error of its own) is lost on the way back.
    if (this.mode === 'after') await (async () => run())().catch(() => undefined);
    throw new InjectedFault(this.injected);
  }
}

/** The scope with every port (every object-valued member) wrapped by `plan`; `tenantId` is passed through. */
export function withFaults(scope: TenantScope, plan: FaultPlan): TenantScope {
  const wrapped = Object.entries(scope).map(([name, member]: [string, unknown]) => [
    name,
    typeof member === 'object' && member !== null ? plan.wrap(name, member) : member,
  ]);
  return Object.fromEntries(wrapped) as TenantScope;
}
