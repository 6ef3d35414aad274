import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Engine, RenderSample } from './render-bench-worker';

/**
 * Rendering invoice bases of 20 to 20 000 lines with our pdfmake renderer, against the same rows drawn with raw
 * PDFKit (the floor: pdfmake draws with PDFKit). Each size and engine runs in a fresh node process (warm-up render
 * first), so peak memory is that size's own. Prints figures; asserts nothing about time.
 */

const SIZES = [20, 1_000, 5_000, 20_000] as const;
/** Small sizes are repeated and the median taken: one render of 20 lines is too short to time alone. */
const repeatsFor = (lines: number) => (lines <= 1_000 ? 5 : 1);
/**
 * pdfmake's table layout is known to grow superlinearly with rows (pdfmake issues #707, #1693, #2469); a line of a 20 000-line basis may
 * cost this much more than one of a 1 000-line basis.
 */
const LINEARITY_TARGET = 1.2;
const WORKER = fileURLToPath(new URL('./render-bench-worker.ts', import.meta.url));

function measure(engine: Engine, lines: number): RenderSample {
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', WORKER, engine, String(lines), String(repeatsFor(lines))],
    {
      encoding: 'utf8',
      maxBuffer: 1024 * 1024,
    },
  );
  if (child.status !== 0) throw new Error(`The ${engine} render of ${lines} lines failed:\n${child.stderr}`);
  return JSON.parse(child.stdout) as RenderSample;
}

const thousands = (value: number) => Math.round(value).toLocaleString('sv-SE');
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const perLine = (ms: number, lines: number) => (ms / lines).toFixed(3);

function printTable(rows: readonly (readonly string[])[]): void {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  for (const row of rows) {
    console.log(`  ${row.map((cell, column) => cell.padStart(widths[column] ?? 0)).join('  ')}`.trimEnd());
  }
}

export function runRenderBench(): void {
  console.log(
    `\n## Render: invoice basis, pdfmake vs raw PDFKit (fresh node process per row, warm-up render first, ${process.version})\n`,
  );
  const started = performance.now();
  const samples = new Map<string, RenderSample>();
  const key = (engine: Engine, lines: number) => `${engine}:${lines}`;
  for (const lines of SIZES) {
    for (const engine of ['pdfmake', 'pdfkit'] as const) samples.set(key(engine, lines), measure(engine, lines));
  }
  const sample = (engine: Engine, lines: number) => {
    const found = samples.get(key(engine, lines));
    if (!found) throw new Error(`No sample for ${engine} at ${lines} lines.`);
    return found;
  };

  const rows: string[][] = [
    [
      'lines',
      'engine',
      'runs',
      'wall ms',
      'ms/line',
      'cpu ms',
      'cpu ms/line',
      'pages',
      'bytes',
      'RSS before',
      'peak RSS',
    ],
  ];
  for (const lines of SIZES) {
    for (const engine of ['pdfmake', 'pdfkit'] as const) {
      const s = sample(engine, lines);
      rows.push([
        thousands(lines),
        engine,
        String(s.repeats),
        thousands(s.ms),
        perLine(s.ms, lines),
        thousands(s.cpuMs),
        perLine(s.cpuMs, lines),
        thousands(s.pages),
        thousands(s.bytes),
        mb(s.rssBefore),
        mb(s.peakRss),
      ]);
    }
  }
  printTable(rows);

  console.log('\n  Linearity: ms per line at 20 000 lines / ms per line at 1 000 lines');
  const ratios: string[][] = [['engine', 'wall', 'cpu', 'target']];
  for (const engine of ['pdfmake', 'pdfkit'] as const) {
    const [small, large] = [sample(engine, 1_000), sample(engine, 20_000)];
    const wall = large.ms / large.lines / (small.ms / small.lines);
    const cpu = large.cpuMs / large.lines / (small.cpuMs / small.lines);
    const verdict = Math.max(wall, cpu) <= LINEARITY_TARGET ? 'within' : 'ABOVE';
    ratios.push([engine, wall.toFixed(2), cpu.toFixed(2), `≤ ${LINEARITY_TARGET} (${verdict})`]);
  }
  printTable(ratios);

  console.log('\n  pdfmake / PDFKit (how much the layout engine costs over drawing the rows)');
  const overhead: string[][] = [['lines', 'wall', 'cpu', 'bytes']];
  for (const lines of SIZES) {
    const [ours, floor] = [sample('pdfmake', lines), sample('pdfkit', lines)];
    overhead.push([
      thousands(lines),
      `${(ours.ms / floor.ms).toFixed(2)}x`,
      `${(ours.cpuMs / floor.cpuMs).toFixed(2)}x`,
      `${(ours.bytes / floor.bytes).toFixed(2)}x`,
    ]);
  }
  printTable(overhead);
  console.log(
    `\n  ~8 lines per employee over six cost centres (test/unit/adapters/pdf/invoice-basis-fixtures.ts). The PDFKit` +
      '\n  floor draws the rows only: no wrapping, grouping, subtotals or "Sida X av Y".' +
      `\n  Whole benchmark: ${((performance.now() - started) / 1000).toFixed(0)} s.`,
  );
}
