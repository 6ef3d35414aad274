import type { LogFields, Logger } from '../../domain/logging';

/** Lambda's level names (AWS_LAMBDA_LOG_LEVEL), in order of severity. */
const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;
export type LogLevel = (typeof LEVELS)[number];
type WrittenLevel = 'INFO' | 'WARN' | 'ERROR';

export interface JsonLoggerOptions {
  /**
   * Lines below this level are dropped. Default: AWS_LAMBDA_LOG_LEVEL, which Lambda sets from the function's
   * application log level (lib/constructs/portal-function.ts), else INFO. Lambda filters only what goes through
   * `console`; these lines are written to the streams directly, so the logger applies the level itself.
   */
  readonly level?: LogLevel;
  /** Facts on every line, e.g. `{ service: 'api' }`. */
  readonly base?: LogFields;
  /** Facts of the moment, read per line: the Lambda invocation's request id (functions/lambda/invocation-context.ts). */
  readonly context?: () => LogFields;
  /** Where a finished line goes. Default: stdout for INFO, stderr for WARN and ERROR. */
  readonly write?: (line: string, level: WrittenLevel) => void;
  readonly now?: () => Date;
}

/**
 * The one logger of the functions: one JSON object per line, which CloudWatch Logs Insights and metric filters read
 * field by field. It writes to the streams itself (as Powertools does): with the function's JSON log format Lambda
 * then keeps the line as it is instead of wrapping it in a `message` string.
 *
 * Every string is passed through {@link redactLogText} and fields named like secrets are dropped to `[redacted]`, so a
 * careless `errorMessage` quoting an SDK request cannot put an address, a personal number or a token in the logs.
 */
export function jsonLogger(options: JsonLoggerOptions = {}): Logger {
  const threshold = LEVELS.indexOf(options.level ?? levelFromEnvironment());
  const write = options.write ?? writeToStream;
  const now = options.now ?? (() => new Date());
  const line =
    (level: WrittenLevel) =>
    (message: string, fields: LogFields = {}) => {
      if (LEVELS.indexOf(level) < threshold) return;
      const entry = {
        timestamp: now().toISOString(),
        level,
        message: redactLogText(message),
        ...redactFields(options.base),
        ...redactFields(options.context?.()),
        ...redactFields(fields),
      };
      write(JSON.stringify(entry), level);
    };
  return { info: line('INFO'), warn: line('WARN'), error: line('ERROR') };
}

/** A logger that keeps its lines, for tests that assert what was logged (and what was not). */
export function capturingLogger(options: Omit<JsonLoggerOptions, 'write'> = {}): {
  readonly log: Logger;
  readonly lines: string[];
  readonly entries: () => Record<string, unknown>[];
} {
  const lines: string[] = [];
  const log = jsonLogger({ level: 'INFO', ...options, write: (entry) => lines.push(entry) });
  return { log, lines, entries: () => lines.map((entry) => JSON.parse(entry) as Record<string, unknown>) };
}

/** Field names whose values are never logged, whatever they hold. */
const SECRET_FIELD = /password|secret|token|authorization|cookie|e-?mail|personal.?number|signature|credential/iu;

function redactFields(fields: LogFields | undefined): Record<string, string | number | boolean> {
  const safe: Record<string, string | number | boolean> = {};
  for (const [name, value] of Object.entries(fields ?? {})) {
    if (value === undefined) continue;
    if (SECRET_FIELD.test(name)) safe[name] = '[redacted]';
    else safe[name] = typeof value === 'string' ? redactLogText(value) : value;
  }
  return safe;
}

/**
 * Replaces what looks like personal data or a credential. Over-redacting is harmless (a 12-digit invoice number
 * becomes `[personal-number]`); under-redacting is a personal-data leak into logs kept for a year.
 */
const REDACTIONS: readonly (readonly [RegExp, string])[] = [
  // Ingest API keys (functions/domain/api-key-format.ts), before anything else could split them.
  [/fpk_[0-9a-f]{32}_[0-9a-f]{32}_[A-Za-z0-9_-]+/gu, 'fpk_[redacted]'],
  // Presigned URL parts: the signature, and the credential that names the key it was made with.
  [/(X-Amz-(?:Signature|Credential|Security-Token))=[^&\s"']+/giu, '$1=[redacted]'],
  // JWTs (session tokens, BankID-free but still bearer credentials).
  [/\beyJ[\w-]*\.[\w-]+\.[\w-]*/gu, '[token]'],
  [/\bBearer\s+[^\s"',]+/giu, 'Bearer [redacted]'],
  [/[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+\.[A-Za-z]{2,}/gu, '[email]'],
  // Personal and coordination numbers, 10 or 12 digits, with or without - or +; not a group inside a UUID.
  [/(?<![\w-])\d{6}(?:\d{2})?[-+]?\d{4}(?![\w-])/gu, '[personal-number]'],
];

export function redactLogText(text: string): string {
  return REDACTIONS.reduce((safe, [pattern, replacement]) => safe.replace(pattern, replacement), text);
}

function levelFromEnvironment(): LogLevel {
  const configured = process.env.AWS_LAMBDA_LOG_LEVEL?.toUpperCase();
  return LEVELS.find((level) => level === configured) ?? 'INFO';
}

function writeToStream(line: string, level: WrittenLevel): void {
  (level === 'INFO' ? process.stdout : process.stderr).write(`${line}\n`);
}
