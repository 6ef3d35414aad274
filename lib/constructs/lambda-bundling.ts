import { rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { type BuildOptions, build, buildSync, type Metafile } from 'esbuild';

/**
 * The one definition of how Lambda code is bundled. `portal-function.ts` runs it when CDK stages a function's asset,
 * and the bundle benchmark (test/bench) and the bundle tests run it too, so what we measure and test is what we
 * deploy, file for file.
 *
 * Code splitting is on: what a function needs only on some paths (the PDF check of an uploaded file, the SES client,
 * the zip writer of document archives) sits behind a dynamic `import()`, and esbuild writes it to a chunk of its own,
 * read and compiled when that path first runs instead of by every cold start. A single-file bundle would inline
 * those imports, and V8 would still read and parse all of it at import. NodejsFunction cannot split (it always
 * passes `--outfile`, which esbuild refuses together with `--splitting`), hence our own bundling step.
 *
 * Plain esbuild (no CDK types), so that the benchmark and the tests can use it without loading aws-cdk-lib.
 */

const ENTRY_NAME = 'index';
/** The file Lambda loads: ESM, hence `.mjs`. */
export const LAMBDA_ENTRY_FILE = `${ENTRY_NAME}.mjs`;
/** Every entry file exports `handler`. */
export const LAMBDA_HANDLER = `${ENTRY_NAME}.handler`;

/**
 * CommonJS dependencies use `require`, `__filename` and `__dirname`, which ESM lacks (pdfmake's virtual file system
 * strips `__dirname` from every file name). The imports carry bundle-private aliases, so application code may import
 * `createRequire` itself without clashing with the banner. esbuild writes the banner atop every chunk as well.
 */
const BANNER = [
  "import { createRequire as __bundleCreateRequire } from 'node:module';",
  "import { fileURLToPath as __bundleFileURLToPath } from 'node:url';",
  'const require = __bundleCreateRequire(import.meta.url);',
  'const __filename = __bundleFileURLToPath(import.meta.url);',
  "const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));",
].join(' ');

/**
 * The esbuild options of one function's bundle, written to `outdir`: {@link LAMBDA_ENTRY_FILE}, and the chunks it
 * loads under `chunks/` (`.mjs` as well, so that Lambda's Node.js loads them as modules), each with its source map.
 */
export function esbuildOptionsFor(entryPoint: string, outdir: string): BuildOptions & { outdir: string } {
  return {
    entryPoints: { [ENTRY_NAME]: entryPoint },
    outdir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    minify: true,
    sourcemap: true,
    /**
     * Maps without the sources: stack traces name the file and line (all --enable-source-maps needs), and Node parses
     * a function's whole map while loading it, so every megabyte of embedded source cost each cold start ~10 ms
     * (measured: the API's 2.1 MB map, 25 of its 92 ms import).
     */
    sourcesContent: false,
    /** Lambda runs PORTAL_RUNTIME (portal-function.ts); bump the two together. */
    target: 'node22',
    /** Bundle the AWS SDK we tested instead of the runtime's copy; a bundled SDK also cold-starts faster. */
    external: [],
    mainFields: ['module', 'main'],
    banner: { js: BANNER },
    /** PDF fonts are embedded in the bundle as bytes (see TOOLING.md, pdfmake on the server). */
    loader: { '.ttf': 'binary' },
    metafile: true,
    // Explicit, because the metafile's paths are relative to it (see withoutUnreachableChunks).
    absWorkingDir: process.cwd(),
    logLevel: 'warning',
  };
}

/** Bundles one function for deployment (CDK stages assets synchronously). Returns the metafile of what is written. */
export function bundleLambdaSync(entryPoint: string, outdir: string): Metafile {
  const options = esbuildOptionsFor(entryPoint, outdir);
  return withoutUnreachableChunks(buildSync(options).metafile, options);
}

/** The same bundle, for the benchmark and the tests. */
export async function bundleLambda(entryPoint: string, outdir: string): Promise<Metafile> {
  const options = esbuildOptionsFor(entryPoint, outdir);
  return withoutUnreachableChunks((await build(options)).metafile, options);
}

/**
 * Deletes the chunks that nothing reachable from the entry imports, statically or dynamically. esbuild writes a
 * chunk for every `import()` in the modules a function includes, also where tree shaking then drops the code that
 * calls it (every function includes the module that can load the SES client; two ever call it). Such a chunk can
 * never be loaded: it would only be deployed, and counted as something the function uses.
 */
function withoutUnreachableChunks(metafile: Metafile | undefined, options: ReturnType<typeof esbuildOptionsFor>) {
  if (!metafile) throw new Error('esbuild returned no metafile although it was asked for one.');
  const workingDir = options.absWorkingDir ?? process.cwd();
  const reachable = new Set<string>();
  const visit = (path: string) => {
    if (reachable.has(path)) return;
    reachable.add(path);
    for (const imported of metafile.outputs[path]?.imports ?? []) if (!imported.external) visit(imported.path);
  };
  visit(relative(workingDir, join(options.outdir, LAMBDA_ENTRY_FILE)));
  const outputs = Object.entries(metafile.outputs).filter(([path]) => {
    if (reachable.has(path.endsWith('.map') ? path.slice(0, -'.map'.length) : path)) return true;
    rmSync(resolve(workingDir, path));
    return false;
  });
  return { ...metafile, outputs: Object.fromEntries(outputs) };
}
