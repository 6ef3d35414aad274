import { jsonLogger } from '../adapters/system/json-logger';
import type { LogFields, Logger } from '../domain/logging';

/** The short names the functions log as (the deployed function names carry stack prefixes and hashes). */
export type ServiceName = 'api' | 'ingest' | 'render-worker' | 'notification-sender' | 'audit-sealer';

/** What Lambda passes every handler that the log lines need. */
interface InvocationContext {
  readonly awsRequestId: string;
}

/**
 * The invocation being served. A Lambda execution environment serves one invocation at a time, so one module-level
 * slot is enough; Lambda's own START/END/REPORT lines carry the same request id, which joins them in Logs Insights.
 */
let currentInvocation: LogFields = {};
let coldStart = true;

/** The function's logger: JSON lines with the service name and the current invocation's request id. */
export function lambdaLogger(service: ServiceName): Logger {
  return jsonLogger({ base: { service }, context: () => currentInvocation });
}

/**
 * Wraps a handler so that every line logged while it runs carries the request id, and the first invocation of an
 * execution environment says `coldStart: true` (how often cold starts happen is then one Logs Insights query).
 */
export function withInvocationLogging<Event, Result, Context extends InvocationContext>(
  handler: (event: Event, context: Context) => Promise<Result>,
): (event: Event, context: Context) => Promise<Result> {
  return async (event, context) => {
    // Only the cold invocation says so: `filter ispresent(coldStart)` then finds exactly those.
    currentInvocation = { requestId: context.awsRequestId, ...(coldStart ? { coldStart: true } : {}) };
    coldStart = false;
    try {
      return await handler(event, context);
    } finally {
      currentInvocation = {};
    }
  };
}
