/**
 * A log line's facts: flat values only (ids, counts, outcomes, names of things), never an object to dump. Personal
 * data (names, addresses, personal numbers), passwords, tokens and links never belong here; the JSON logger
 * (functions/adapters/system/json-logger.ts) also redacts whatever looks like them, as a second line of defence.
 */
export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

/** Structured operational logging (CloudWatch in AWS). Not the audit trail: nothing here is evidence. */
export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/**
 * What a log line may say about an error: its name and its message (which the JSON logger redacts). The stack only
 * where it is worth its size: unhandled errors (functions/http/error-handler.ts).
 */
export function errorFields(error: unknown): LogFields {
  if (error instanceof Error) return { errorName: error.name, errorMessage: error.message };
  return { errorName: typeof error };
}
