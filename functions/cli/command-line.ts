import { type ParseArgsConfig, parseArgs } from 'node:util';
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

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** The options every operator command takes: who acts (--by), machine-readable output (--json) and --help. */
const COMMON_OPTIONS = {
  by: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const satisfies OptionsConfig;

/**
 * An operator command's arguments: `<command> --option …` with the command's own options and the common ones.
 * `command` is undefined when none was given or --help was asked for: the caller then prints its usage. `need`
 * reads a string option the command cannot do without, or throws a UsageError naming it.
 */
export function parseCommandLine<const Options extends OptionsConfig, const Command extends string>(
  argv: readonly string[],
  spec: { readonly commands: readonly Command[]; readonly options: Options },
) {
  type Parsed = ReturnType<
    typeof parseArgs<{ args: string[]; allowPositionals: true; options: typeof COMMON_OPTIONS & Options }>
  >;
  const { positionals, values } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { ...COMMON_OPTIONS, ...spec.options },
  }) as Parsed;
  // Generic here, concrete at each call site: --help is one of the common options whatever the command's own are.
  const help = (values as { readonly help?: boolean }).help === true;
  const [given] = positionals;
  if (given !== undefined && !help && !(spec.commands as readonly string[]).includes(given)) {
    throw new UsageError(`Unknown command "${given}".`);
  }
  const command = help ? undefined : (given as Command | undefined);
  const need = (name: Extract<keyof Options, string>): string => {
    const value = (values as Record<string, unknown>)[name];
    if (typeof value !== 'string' || value === '') throw new UsageError(`${command ?? 'The command'} needs --${name}.`);
    return value;
  };
  return { command, values, need, help };
}
