import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { Metafile } from 'esbuild';
import { PROJECT_ROOT } from '../../lib/config';
import { bundleLambda } from '../../lib/constructs/lambda-bundling';
import {
  API_COLD_START_BUDGET_BYTES,
  API_FUNCTIONS,
  bytesOf,
  bytesPerPackage,
  codeOutputs,
  entryOutput,
  type LazyChunk,
  lambdaFunctions,
  lazilyLoadedChunks,
  packageOf,
  staticClosure,
} from '../support/lambda-bundle';
import { type BaselineSpec, baselineName, baselineSource, baselineSpecOf } from './baselines';

/**
 * Every Lambda bundle's size and cold import time, beside its own bare baseline built the same way (issue 7: "API
 * functions ≤ 1 MB and import ≤ 1.15× their baseline; pdfmake only in the render function"; ./baselines.ts says
 * what a baseline holds).
 *
 * Each function is bundled by lib/constructs/lambda-bundling.ts, the deployment's own step, into the files that are
 * deployed: the entry and the chunks it imports statically (together: what every cold start loads), and the chunks
 * loaded on first use. Each bundle is imported in fresh `node` processes (with source maps on, as the functions run),
 * which then load the function's lazily loaded chunks one by one, so that what a deferral costs the first request
 * needing it is printed beside what it saves every cold start. Prints figures; asserts nothing about time.
 */

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const OUT_DIR = join(PROJECT_ROOT, '.bench', 'bundles');
/** The import budget for API functions, against their own baseline. */
const MAX_IMPORT_RATIO = 1.15;

/** What the Lambda environment provides, with dummy resources: importing must not touch them. */
const LAMBDA_LIKE_ENV = {
  AWS_REGION: 'eu-north-1',
  TABLE_NAME: 'x',
  DOCUMENTS_BUCKET: 'x',
  AUDIT_ANCHOR_BUCKET: 'x',
  SILO_CLINICS: '[]',
  SESSION_SECRET_ARN: 'arn:aws:secretsmanager:eu-north-1:000000000000:secret:x',
  ADMIN_SECRETS_KEY_ARN: 'arn:aws:secretsmanager:eu-north-1:000000000000:secret:admin-secrets-key',
  RENDER_QUEUE_URL: 'https://sqs.eu-north-1.amazonaws.com/000000000000/x',
  RENDER_MAX_RECEIVES: '3',
  BANKID_SECRET_ARN: 'arn:aws:secretsmanager:eu-north-1:000000000000:secret:bankid',
  PERSONAL_NUMBER_PEPPER_ARN: 'arn:aws:secretsmanager:eu-north-1:000000000000:secret:pepper',
  BANKID_ENVIRONMENT: 'test',
  MAIL_FROM_ADDRESS: 'no-reply@portal.example.se',
  ORIGIN_SECRET_ARN: 'arn:aws:secretsmanager:eu-north-1:000000000000:secret:origin',
  TENANT_DATA_ROLE_ARN: 'arn:aws:iam::000000000000:role/tenant-data',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

/**
 * Runs in the child: counts socket connects while importing (there must be none: secrets are loaded lazily), times
 * the import (wall clock and the process's CPU time, which a busy machine disturbs less), then loads each lazily
 * loaded chunk (BENCH_LAZY) after it, and reports as JSON.
 */
const PROBE = `
import net from 'node:net';
let connects = 0;
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) { connects += 1; return connect.apply(this, args); };
const cpuBefore = process.cpuUsage();
const start = performance.now();
const module = await import(process.env.BENCH_ENTRY);
const importMs = performance.now() - start;
const cpu = process.cpuUsage(cpuBefore);
await new Promise((resolve) => setTimeout(resolve, 25));
const importConnects = connects;
const lazyMs = [];
for (const url of JSON.parse(process.env.BENCH_LAZY)) {
  const loading = performance.now();
  await import(url);
  lazyMs.push(performance.now() - loading);
}
// On a line of its own, last: whatever the function may log goes before it.
process.stdout.write('\\n' + JSON.stringify({
  importMs, cpuMs: (cpu.user + cpu.system) / 1000, connects: importConnects,
  hasHandler: typeof module.handler === 'function', lazyMs,
}));
process.exit(0);
`;

interface Bundle {
  readonly name: string;
  readonly metafile: Metafile;
  /** The file Lambda loads, as the metafile names it. */
  readonly entryFile: string;
  /** The entry file and the chunks it imports statically: what every cold start reads and compiles. */
  readonly cold: ReadonlySet<string>;
  readonly coldBytes: number;
  readonly coldGzipBytes: number;
  /** Every JavaScript file deployed (source maps aside). */
  readonly allBytes: number;
  /** Loaded on first use, each with the bytes it brings then (what neither a cold start nor a chunk above loaded). */
  readonly lazyChunks: readonly (LazyChunk & { readonly bytes: number })[];
}

interface Sample {
  readonly importMs: number;
  readonly cpuMs: number;
  readonly connects: number;
  readonly hasHandler: boolean;
  readonly lazyMs: readonly number[];
}

interface Timing {
  readonly importMedian: number;
  readonly cpuMedian: number;
  readonly lazyMedians: readonly number[];
  readonly connects: number;
  readonly hasHandler: boolean;
}

async function bundle(name: string, entry: string): Promise<Bundle> {
  const outdir = join(OUT_DIR, name.replaceAll(/[^a-z0-9-]+/gu, '-'));
  const metafile = await bundleLambda(entry, outdir);
  const entryFile = entryOutput(outdir);
  const cold = staticClosure(metafile, [entryFile]);
  const loaded = new Set(cold);
  const lazyChunks = lazilyLoadedChunks(metafile).map((chunk) => {
    const brought = [...staticClosure(metafile, [chunk.path])].filter((path) => !loaded.has(path));
    for (const path of brought) loaded.add(path);
    return { ...chunk, bytes: bytesOf(metafile, brought) };
  });
  return {
    name,
    metafile,
    entryFile,
    cold,
    coldBytes: bytesOf(metafile, cold),
    coldGzipBytes: [...cold].reduce((total, path) => total + gzipSync(readFileSync(path)).byteLength, 0),
    allBytes: bytesOf(metafile, codeOutputs(metafile)),
    lazyChunks,
  };
}

async function sample(b: Bundle): Promise<Sample> {
  const env = {
    ...process.env,
    ...LAMBDA_LIKE_ENV,
    BENCH_ENTRY: pathToFileURL(resolve(b.entryFile)).href,
    BENCH_LAZY: JSON.stringify(b.lazyChunks.map((chunk) => pathToFileURL(resolve(chunk.path)).href)),
  };
  const args = ['--enable-source-maps', '--input-type=module', '--eval', PROBE];
  try {
    const { stdout } = await promisify(execFile)(process.execPath, args, { env, encoding: 'utf8' });
    return JSON.parse(stdout.slice(stdout.lastIndexOf('\n') + 1)) as Sample;
  } catch (error) {
    throw new Error(`Importing ${b.name} failed:\n${(error as { stderr?: string }).stderr ?? error}`);
  }
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
};

/** Alternates the bundles run by run, so that drift in machine load affects them alike. One discarded warm-up each. */
async function time(bundles: readonly Bundle[]): Promise<Map<string, Timing>> {
  const samples = new Map<string, Sample[]>(bundles.map((b) => [b.name, []]));
  for (const b of bundles) await sample(b);
  for (let run = 0; run < RUNS; run += 1) {
    for (const b of bundles) samples.get(b.name)?.push(await sample(b));
  }
  return new Map(
    [...samples].map(([name, list]) => [
      name,
      {
        importMedian: median(list.map((s) => s.importMs)),
        cpuMedian: median(list.map((s) => s.cpuMs)),
        lazyMedians: (list[0]?.lazyMs ?? []).map((_, index) => median(list.map((s) => s.lazyMs[index] ?? 0))),
        connects: Math.max(...list.map((s) => s.connects)),
        hasHandler: list.every((s) => s.hasHandler),
      },
    ]),
  );
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
const ms = (value: number) => `${value.toFixed(1)} ms`;
const times = (ours: number, theirs: number) => `${(ours / theirs).toFixed(2)}x`;

function printTable(rows: readonly (readonly string[])[]): void {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  for (const row of rows) {
    console.log(`  ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ')}`.trimEnd());
  }
}

export async function runBundleSizeBench(): Promise<void> {
  console.log(
    `\n## Lambda bundles: size and cold import beside their own baselines (median of ${RUNS} fresh node processes, ${process.version})\n`,
  );
  await rm(OUT_DIR, { recursive: true, force: true });
  await mkdir(OUT_DIR, { recursive: true });

  const started = performance.now();
  const functions: (Bundle & { readonly baseline: string })[] = [];
  const specs = new Map<string, BaselineSpec>();
  for (const { name, entry } of lambdaFunctions()) {
    const built = await bundle(name, entry);
    const spec = baselineSpecOf(built.metafile);
    specs.set(baselineName(spec), spec);
    functions.push({ ...built, baseline: baselineName(spec) });
  }
  // Inside the repository (.bench is ignored), so that a baseline resolves the very node_modules the functions do.
  const sources = join(OUT_DIR, 'baseline-sources');
  await mkdir(sources, { recursive: true });
  const baselines: Bundle[] = [];
  for (const [name, spec] of specs) {
    const entry = join(sources, `${name.replaceAll(/[^a-z0-9-]+/gu, '-')}.mjs`);
    await writeFile(entry, baselineSource(spec));
    baselines.push(await bundle(name, entry));
  }
  console.log(`  esbuild: ${functions.length + baselines.length} bundles in ${ms(performance.now() - started)}\n`);

  const timings = await time([...baselines, ...functions]);
  const timingOf = (name: string): Timing => {
    const timing = timings.get(name);
    if (!timing) throw new Error(`No timing for ${name}.`);
    return timing;
  };

  const rows: string[][] = [
    [
      'function',
      'cold start',
      'gzip',
      'deployed',
      'import',
      'cpu',
      'own baseline',
      'import',
      'cpu',
      'size ×',
      'import ×',
      'cpu ×',
      'largest at cold start',
    ],
  ];
  const verdicts: string[] = [];
  for (const f of functions) {
    const base = baselines.find((b) => b.name === f.baseline);
    if (!base) throw new Error(`No baseline bundle for ${f.name}.`);
    const ours = timingOf(f.name);
    const theirs = timingOf(base.name);
    const largest = bytesPerPackage(f.metafile, f.cold)
      .slice(0, 4)
      .map(([name, bytes]) => `${name} ${kb(bytes)}`)
      .join(', ');
    rows.push([
      f.name,
      kb(f.coldBytes),
      kb(f.coldGzipBytes),
      kb(f.allBytes),
      ms(ours.importMedian),
      ms(ours.cpuMedian),
      kb(base.coldBytes),
      ms(theirs.importMedian),
      ms(theirs.cpuMedian),
      times(f.coldBytes, base.coldBytes),
      times(ours.importMedian, theirs.importMedian),
      times(ours.cpuMedian, theirs.cpuMedian),
      largest,
    ]);
    if (API_FUNCTIONS.includes(f.name)) {
      const ratio = ours.importMedian / theirs.importMedian;
      const withinBytes = f.coldBytes <= API_COLD_START_BUDGET_BYTES;
      const withinTime = ratio <= MAX_IMPORT_RATIO;
      verdicts.push(
        `${f.name}: ${kb(f.coldBytes)} at cold start ${withinBytes ? '≤' : '>'} 1 MB (${kb(f.allBytes)} deployed); ` +
          `import ${ratio.toFixed(2)}x its baseline ${withinTime ? '≤' : '>'} ${MAX_IMPORT_RATIO}x`,
      );
    }
  }
  console.log('  cold start = the entry and the chunks it imports statically (read and compiled by every cold start);');
  console.log(
    '  deployed = every JavaScript file of the function; gzip = of the cold-start files; import = wall clock;',
  );
  console.log('  cpu = CPU time of the import (user + system), steadier than the wall clock on a busy machine.\n');
  printTable(rows);

  console.log(`\n  Issue 7's budget for the API functions (import with source maps on, as the functions run):`);
  for (const verdict of verdicts) console.log(`    ${verdict}`);

  console.log(
    '\n  Loaded on first use, each after the cold start and the ones above it, with the bytes it brings then:',
  );
  for (const f of functions) {
    const lazy = timingOf(f.name).lazyMedians;
    if (f.lazyChunks.length === 0) continue;
    console.log(`    ${f.name}:`);
    printTable(f.lazyChunks.map((chunk, index) => [`    ${chunk.label}`, kb(chunk.bytes), ms(lazy[index] ?? 0)]));
  }

  console.log('\n  Own baselines (Hono where the function serves HTTP, jose and the SDK clients found in its bundle):');
  for (const f of functions) console.log(`    ${f.name}: ${f.baseline}`);

  const withPdfmake = functions.filter((f) =>
    Object.keys(f.metafile.inputs).some((input) => packageOf(input) === 'pdfmake'),
  );
  console.log(`\n  pdfmake is bundled by: ${withPdfmake.map((f) => f.name).join(', ') || 'no function'}.`);
  const problems = [...timings].flatMap(([name, t]) => [
    ...(t.hasHandler ? [] : [`${name} exports no handler function`]),
    ...(t.connects > 0 ? [`${name} opened ${t.connects} connection(s) while importing`] : []),
  ]);
  console.log(
    problems.length === 0
      ? '  No bundle opened a network connection while importing.'
      : `  WARNING: ${problems.join('; ')}`,
  );
}
