import type { BuildOptions } from 'esbuild';

/**
 * The one definition of how Lambda code is bundled. `portal-function.ts` hands it to NodejsFunction and the bundle
 * benchmark (test/bench) hands it to esbuild directly, so what we measure is what we deploy.
 *
 * Plain values (not CDK types) so that the benchmark can use them without loading aws-cdk-lib.
 */
export const LAMBDA_BUNDLING = {
  /** ESM output; NodejsFunction then writes `index.mjs`, which Lambda loads as a module. */
  format: 'esm',
  minify: true,
  sourceMap: true,
  target: 'node22',
  /** Bundle the AWS SDK we tested instead of the runtime's copy; a bundled SDK also cold-starts faster. */
  externalModules: [] as string[],
  mainFields: ['module', 'main'],
  /**
   * CommonJS dependencies use `require`, `__filename` and `__dirname`, which ESM lacks (pdfmake's virtual file system
   * strips `__dirname` from every file name). The imports carry bundle-private aliases, so application code may import
   * `createRequire` itself without clashing with the banner.
   */
  banner: [
    "import { createRequire as __bundleCreateRequire } from 'node:module';",
    "import { fileURLToPath as __bundleFileURLToPath } from 'node:url';",
    'const require = __bundleCreateRequire(import.meta.url);',
    'const __filename = __bundleFileURLToPath(import.meta.url);',
    "const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));",
  ].join(' '),
  /** PDF fonts are embedded in the bundle as bytes (see TOOLING.md, pdfmake on the server). */
  loader: { '.ttf': 'binary' } as Record<string, 'binary'>,
} as const;

/** The esbuild options NodejsFunction derives from {@link LAMBDA_BUNDLING} (it runs esbuild's CLI with these flags). */
export function esbuildOptionsFor(entryPoint: string, outfile: string): BuildOptions & { outfile: string } {
  return {
    entryPoints: [entryPoint],
    outfile,
    bundle: true,
    platform: 'node',
    format: LAMBDA_BUNDLING.format,
    minify: LAMBDA_BUNDLING.minify,
    sourcemap: LAMBDA_BUNDLING.sourceMap,
    target: LAMBDA_BUNDLING.target,
    external: [...LAMBDA_BUNDLING.externalModules],
    mainFields: [...LAMBDA_BUNDLING.mainFields],
    banner: { js: LAMBDA_BUNDLING.banner },
    loader: { ...LAMBDA_BUNDLING.loader },
  };
}
