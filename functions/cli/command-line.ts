import { ConflictError, PortalError } from '../domain/errors';
import type { OperatorData } from './operator-scope';

/*
 * What the operator commands (`npm run admin`, `npm run apikey`, `npm run contact`, `npm run tenant`) share as command-line programs.
 * Each exports its run function (the tests call it) and starts itself with runAsCommand.
 */

/** What a test (or another program) may hand an operator command instead of its defaults. */
export interface OperatorCommandOptions {
  readonly print?: (line: string) => void;
  /** Where to act; by default the running local portal or the AWS deployment named by the environment. */
  readonly data?: OperatorData;
}

/** A mistake in how the command was called: it is printed with the command's usage. */
export class UsageError extends Error {}

/**
 * Runs the command when its module is the process's entry point (`tsx functions/cli/<command>.ts …`), and exits with
 * its code. A failure exits 3 when it clashes with what exists (a ConflictError, the portal's 409: a taken host,
 * an administrator who exists), 2 when it is otherwise the caller's to fix (a usage error, or a request the portal
 * refused), 1 otherwise.
 */
export function runAsCommand(
  moduleUrl: string,
  usage: string,
  run: (argv: readonly string[]) => Promise<number>,
): void {
  if (moduleUrl !== `file://${process.argv[1]}`) return;
  run(process.argv.slice(2))
    .then((code) => process.exit(code))
    .catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      console.error(error instanceof UsageError ? `${message}\n\n${usage}` : `Failed: ${message}`);
      process.exit(exitCodeOf(error));
    });
}

function exitCodeOf(error: unknown): number {
  if (error instanceof ConflictError) return 3;
  return error instanceof UsageError || error instanceof PortalError ? 2 : 1;
}
