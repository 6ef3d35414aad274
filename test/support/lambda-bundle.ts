import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Metafile } from 'esbuild';
import { PROJECT_ROOT } from '../../lib/config';
import { LAMBDA_ENTRY_FILE } from '../../lib/constructs/lambda-bundling';

/*
 * Reading a Lambda bundle (lib/constructs/lambda-bundling.ts) through esbuild's metafile, for the bundle tests and the
 * bundle benchmark. Output paths are the metafile's own: relative to the working directory the bundle was built from.
 */

/** The npm package an esbuild input belongs to, or undefined for our own sources. */
export const packageOf = (input: string): string | undefined => /node_modules\/((?:@[^/]+\/)?[^/]+)/u.exec(input)?.[1];

/** The JavaScript files of a bundle (source maps aside), as the metafile names them. */
export const codeOutputs = (metafile: Metafile): string[] =>
  Object.keys(metafile.outputs).filter((path) => path.endsWith('.mjs'));

/** The entry file of a bundle written to `outdir`, as the metafile names it. */
export const entryOutput = (outdir: string): string => relative(process.cwd(), join(outdir, LAMBDA_ENTRY_FILE));

/** The given outputs and every output they import statically, transitively: from the entry, what a cold start loads. */
export function staticClosure(metafile: Metafile, from: readonly string[]): Set<string> {
  const closure = new Set<string>();
  const visit = (path: string) => {
    if (closure.has(path)) return;
    closure.add(path);
    for (const imported of metafile.outputs[path]?.imports ?? []) {
      if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
    }
  };
  for (const path of from) visit(path);
  return closure;
}

/** A chunk that our code loads with `import()`: labelled by what it imports (our module, or the package). */
export interface LazyChunk {
  readonly label: string;
  readonly path: string;
}

/**
 * The chunks our code loads on first use, in the order esbuild lists them. Not the SDK's own dynamic imports: the
 * credential providers that a Lambda function never reaches, having its credentials in the environment.
 */
export function lazilyLoadedChunks(metafile: Metafile): LazyChunk[] {
  const targets = new Set(
    Object.entries(metafile.inputs)
      .filter(([input]) => packageOf(input) === undefined)
      .flatMap(([, { imports }]) => imports.filter((i) => i.kind === 'dynamic-import').map((i) => i.path)),
  );
  return Object.entries(metafile.outputs).flatMap(([path, { entryPoint }]) =>
    entryPoint !== undefined && targets.has(entryPoint) ? [{ label: packageOf(entryPoint) ?? entryPoint, path }] : [],
  );
}

/** Bytes per npm package (`(ours)` for our sources) in the given outputs, largest first. */
export function bytesPerPackage(metafile: Metafile, outputs: ReadonlySet<string>): [string, number][] {
  const totals = new Map<string, number>();
  for (const path of outputs) {
    for (const [input, { bytesInOutput }] of Object.entries(metafile.outputs[path]?.inputs ?? {})) {
      const owner = packageOf(input) ?? '(ours)';
      totals.set(owner, (totals.get(owner) ?? 0) + bytesInOutput);
    }
  }
  return [...totals.entries()].sort((a, b) => b[1] - a[1]);
}

/** The size of the given outputs together. */
export const bytesOf = (metafile: Metafile, outputs: Iterable<string>): number =>
  [...outputs].reduce((total, path) => total + (metafile.outputs[path]?.bytes ?? 0), 0);

/** The functions behind API Gateway, whose bundles the issue budgets (issue 7): at most 1 MB loaded at cold start. */
export const API_FUNCTIONS: readonly string[] = ['api', 'ingest'];
export const API_COLD_START_BUDGET_BYTES = 1024 * 1024;

/** Every Lambda function (an entry file in functions/lambda), the API functions first. */
export function lambdaFunctions(): { readonly name: string; readonly entry: string }[] {
  const directory = join(PROJECT_ROOT, 'functions', 'lambda');
  const names = readdirSync(directory)
    .filter((file) => file.endsWith('.ts'))
    .map((file) => file.slice(0, -'.ts'.length));
  const rank = (name: string) => (API_FUNCTIONS.includes(name) ? API_FUNCTIONS.indexOf(name) : API_FUNCTIONS.length);
  return names
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
    .map((name) => ({ name, entry: join(directory, `${name}.ts`) }));
}
