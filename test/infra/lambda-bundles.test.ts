import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleLambda } from '../../lib/constructs/lambda-bundling';
import {
  API_COLD_START_BUDGET_BYTES,
  API_FUNCTIONS,
  bytesOf,
  bytesPerPackage,
  codeOutputs,
  entryOutput,
  lambdaFunctions,
  lazilyLoadedChunks,
  staticClosure,
} from '../support/lambda-bundle';

/**
 * Every Lambda function bundled as it is deployed (lib/constructs/lambda-bundling.ts), read through esbuild's
 * metafile: what each one carries, and what its cold start loads. Sizes and contents only; how long an import takes
 * is for `npm run bench` (test/bench/bundle-size.ts) to print, never for a test to assert.
 */

interface Built {
  readonly metafile: Metafile;
  /** The entry and the chunks it imports statically: what every cold start loads. */
  readonly cold: ReadonlySet<string>;
}

const built = new Map<string, Built>();
let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'lambda-bundles-'));
  for (const { name, entry } of lambdaFunctions()) {
    const outdir = join(directory, name);
    const metafile = await bundleLambda(entry, outdir);
    built.set(name, { metafile, cold: staticClosure(metafile, [entryOutput(outdir)]) });
  }
}, 120_000);

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

function bundleOf(name: string): Built {
  const bundle = built.get(name);
  if (!bundle) throw new Error(`functions/lambda/${name}.ts was not bundled.`);
  return bundle;
}

const packagesIn = (bundle: Built, outputs: Iterable<string>) =>
  new Set(bytesPerPackage(bundle.metafile, new Set(outputs)).map(([name]) => name));

describe('the Lambda bundles', () => {
  it('carry pdfmake in the render worker alone', () => {
    const withPdfmake = [...built].filter(([, bundle]) =>
      packagesIn(bundle, codeOutputs(bundle.metafile)).has('pdfmake'),
    );

    expect(withPdfmake.map(([name]) => name)).toEqual(['render-worker']);
  });

  it.each(API_FUNCTIONS)('of the %s function load at most 1 MB at cold start', (name) => {
    const bundle = bundleOf(name);

    expect(bytesOf(bundle.metafile, bundle.cold)).toBeLessThanOrEqual(API_COLD_START_BUDGET_BYTES);
  });

  it.each([
    { name: 'api', lazy: ['@aws-sdk/client-sesv2', '@aws-sdk/lib-storage', 'client-zip'] },
    { name: 'ingest', lazy: ['pdf-lib', '@pdf-lib/standard-fonts'] },
    { name: 'notification-sender', lazy: ['@aws-sdk/client-sesv2'] },
  ])('of the $name function load $lazy on first use, not at cold start', ({ name, lazy }) => {
    const bundle = bundleOf(name);
    const everywhere = packagesIn(bundle, codeOutputs(bundle.metafile));
    const atColdStart = packagesIn(bundle, bundle.cold);

    for (const what of lazy) {
      expect(everywhere.has(what), `${what} is bundled`).toBe(true);
      expect(atColdStart.has(what), `${what} is loaded at cold start`).toBe(false);
    }
  });

  it('of the notification sender hold no S3 client: a notice never reads a file', () => {
    const bundle = bundleOf('notification-sender');
    const everywhere = packagesIn(bundle, codeOutputs(bundle.metafile));

    expect(everywhere.has('@aws-sdk/client-dynamodb')).toBe(true);
    expect(everywhere.has('@aws-sdk/client-s3')).toBe(false);
  });

  it.each(lambdaFunctions().map(({ name }) => name))(
    'of the %s function have chunks that plain node loads, as the first use does',
    async (name) => {
      const urls = lazilyLoadedChunks(bundleOf(name).metafile).map(({ path }) => pathToFileURL(resolve(path)).href);
      const program = `for (const url of ${JSON.stringify(urls)}) await import(url);`;

      // A fresh process, as in Lambda: nothing of this test's module graph, and no way to reach node_modules.
      await expect(
        promisify(execFile)(process.execPath, ['--input-type=module', '--eval', program], { cwd: directory }),
      ).resolves.toBeDefined();
    },
  );

  it('map stack traces to our source files, without carrying the sources in their maps', async () => {
    // Arrange: the API bundle's entry and its map. Without its Lambda environment, its wiring throws at import.
    const entry = resolve(entryOutput(join(directory, 'api')));
    const map = JSON.parse(await readFile(`${entry}.map`, 'utf8')) as { sources: string[]; sourcesContent?: unknown };

    // Act: the stack trace Node prints with --enable-source-maps, as the functions run (lib/constructs/portal-function.ts)
    const failure = await promisify(execFile)(process.execPath, ['--enable-source-maps', entry], {
      cwd: directory,
      env: { PATH: process.env.PATH },
    }).then(
      () => undefined,
      (error: { stderr: string }) => error.stderr,
    );

    // Assert: the trace names the module and line in our sources; the map holds no source text
    expect(failure).toMatch(/The Lambda environment variable AWS_REGION is not set/u);
    expect(failure).toMatch(/functions\/runtime\/aws-environment\.ts:\d+:\d+/u);
    expect(map.sources.some((source) => source.endsWith('functions/runtime/aws-environment.ts'))).toBe(true);
    expect(map.sourcesContent).toBeUndefined();
  });
});
