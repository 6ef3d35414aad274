import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Metafile } from 'esbuild';
import { PROJECT_ROOT } from '../../lib/config';
import { bundleLambda, LAMBDA_ENTRY_FILE } from '../../lib/constructs/lambda-bundling';

/**
 * Bundle size and cold import time of the API Lambda against a baseline of the same libraries with none of our code.
 * Bundles with exactly the deployed options (lib/constructs/lambda-bundling.ts), then imports each bundle in fresh
 * `node` processes. Prints figures; asserts nothing about time.
 */

const RUNS = 15;
const OUT_DIR = join(PROJECT_ROOT, '.bench', 'bundles');

/** What the Lambda environment provides, with dummy resources: importing must not touch them. */
const LAMBDA_LIKE_ENV = {
  AWS_REGION: 'eu-north-1',
  TABLE_NAME: 'x',
  DOCUMENTS_BUCKET: 'x',
  AUDIT_ANCHOR_BUCKET: 'x',
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
 * Runs in the child: counts socket connects (there must be none at import: the app loads its secret lazily),
 * times the import alone, and reports as JSON.
 */
const IMPORT_PROBE = `
import net from 'node:net';
let connects = 0;
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) { connects += 1; return connect.apply(this, args); };
const start = performance.now();
const module = await import(process.env.BENCH_BUNDLE_URL);
const ms = performance.now() - start;
await new Promise((resolve) => setTimeout(resolve, 25));
process.stdout.write(JSON.stringify({ ms, connects, hasHandler: typeof module.handler === 'function' }));
process.exit(0);
`;

interface Bundle {
  readonly name: string;
  readonly entry: string;
  readonly file: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly largestPackages: readonly (readonly [string, number])[];
}

interface ImportSample {
  readonly ms: number;
  readonly connects: number;
  readonly hasHandler: boolean;
}

async function bundle(name: string, entry: string): Promise<Bundle> {
  const file = join(OUT_DIR, name, LAMBDA_ENTRY_FILE);
  const metafile = await bundleLambda(entry, join(OUT_DIR, name));
  const code = await readFile(file);
  return {
    name,
    entry: relative(PROJECT_ROOT, entry),
    file,
    bytes: code.byteLength,
    gzipBytes: gzipSync(code).byteLength,
    largestPackages: largestPackages(metafile, file),
  };
}

/** Bytes in the output per npm package (or `(ours)` for project sources), largest first. */
function largestPackages(metafile: Metafile, file: string): [string, number][] {
  const output = metafile.outputs[relative(process.cwd(), file)] ?? Object.values(metafile.outputs)[0];
  const totals = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/u.exec(input);
    const owner = match?.[1] ?? '(ours)';
    totals.set(owner, (totals.get(owner) ?? 0) + bytesInOutput);
  }
  return [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6);
}

function importOnce(bundleFile: string, sourceMaps: boolean): ImportSample {
  const child = spawnSync(
    process.execPath,
    [...(sourceMaps ? ['--enable-source-maps'] : []), '--input-type=module', '--eval', IMPORT_PROBE],
    {
      env: { ...process.env, ...LAMBDA_LIKE_ENV, BENCH_BUNDLE_URL: pathToFileURL(bundleFile).href },
      encoding: 'utf8',
    },
  );
  if (child.status !== 0) {
    throw new Error(`Importing ${bundleFile} failed (exit ${child.status}):\n${child.stderr}`);
  }
  return JSON.parse(child.stdout) as ImportSample;
}

function percentile(sorted: readonly number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

interface Timing {
  readonly median: number;
  readonly p90: number;
  readonly connects: number;
  readonly hasHandler: boolean;
}

/** Alternates the bundles run by run, so drift in machine load affects them alike. One discarded warm-up each. */
function timeImports(bundles: readonly Bundle[], sourceMaps: boolean): Map<string, Timing> {
  const samples = new Map<string, ImportSample[]>(bundles.map((b) => [b.name, []]));
  for (const b of bundles) importOnce(b.file, sourceMaps);
  for (let run = 0; run < RUNS; run += 1) {
    for (const b of bundles) samples.get(b.name)?.push(importOnce(b.file, sourceMaps));
  }
  return new Map(
    [...samples].map(([name, list]) => {
      const sorted = list.map((s) => s.ms).sort((a, b) => a - b);
      return [
        name,
        {
          median: percentile(sorted, 50),
          p90: percentile(sorted, 90),
          connects: Math.max(...list.map((s) => s.connects)),
          hasHandler: list.every((s) => s.hasHandler),
        },
      ];
    }),
  );
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (value: number) => `${value.toFixed(1)} ms`;

function printTable(rows: readonly (readonly string[])[]): void {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  for (const row of rows) {
    console.log(`  ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ')}`.trimEnd());
  }
}

export async function runBundleSizeBench(): Promise<void> {
  console.log(`\n## Lambda bundle: size and cold import (${RUNS} fresh node processes per row, ${process.version})\n`);
  const ourEntries = ['api', 'ingest', 'render-worker', 'notification-sender'].map((name) => ({
    name,
    entry: join(PROJECT_ROOT, 'functions', 'lambda', `${name}.ts`),
  }));
  const baselineEntry = join(PROJECT_ROOT, 'test', 'bench', 'baseline-entry.ts');

  await rm(OUT_DIR, { recursive: true, force: true });
  await mkdir(OUT_DIR, { recursive: true });

  const started = performance.now();
  const bundles = [await bundle('baseline', baselineEntry)];
  for (const { name, entry } of ourEntries) {
    if (existsSync(entry)) bundles.push(await bundle(name, entry));
    else console.log(`  ${relative(PROJECT_ROOT, entry)} does not exist: skipped.\n`);
  }
  console.log(`  esbuild: ${bundles.length} bundle(s) in ${ms(performance.now() - started)}\n`);

  const [baseline, ...ours] = bundles;
  const header = ['bundle', 'source maps', 'bytes', 'gzip', 'median import', 'p90 import'];
  const rows: string[][] = [header];
  const ratios: string[][] = [['ours / baseline', 'source maps', 'bytes', 'gzip', 'median import', 'p90 import']];
  const networkUse: string[] = [];

  for (const sourceMaps of [false, true]) {
    const timings = timeImports(bundles, sourceMaps);
    for (const b of bundles) {
      const timing = timings.get(b.name);
      if (!timing) continue;
      if (!timing.hasHandler) networkUse.push(`${b.name} exports no handler function`);
      if (timing.connects > 0) networkUse.push(`${b.name} opened ${timing.connects} connection(s) while importing`);
      const flag = sourceMaps ? 'on' : 'off';
      rows.push([b.name, flag, kb(b.bytes), kb(b.gzipBytes), ms(timing.median), ms(timing.p90)]);
    }
    const baseTiming = baseline && timings.get(baseline.name);
    for (const our of ours) {
      const ourTiming = timings.get(our.name);
      if (!baseline || !baseTiming || !ourTiming) continue;
      ratios.push([
        `${our.name} / ${baseline.name}`,
        sourceMaps ? 'on' : 'off',
        `${(our.bytes / baseline.bytes).toFixed(2)}x`,
        `${(our.gzipBytes / baseline.gzipBytes).toFixed(2)}x`,
        `${(ourTiming.median / baseTiming.median).toFixed(2)}x`,
        `${(ourTiming.p90 / baseTiming.p90).toFixed(2)}x`,
      ]);
    }
  }

  printTable(rows);
  if (ratios.length > 1) {
    console.log('');
    printTable(ratios);
  }
  for (const b of bundles) {
    console.log(`\n  largest contributors to ${b.name} (${b.entry}):`);
    printTable(b.largestPackages.map(([name, bytes]) => [name, kb(bytes)]));
  }
  console.log(
    networkUse.length === 0
      ? '\n  No bundle opened a network connection while importing.'
      : `\n  WARNING: ${networkUse.join('; ')}`,
  );
  console.log('  Source maps "on" = NODE_OPTIONS=--enable-source-maps, as the Lambda runs.');
}
