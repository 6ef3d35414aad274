/**
 * One measurement of the render benchmark, in a fresh process so that peak memory belongs to this size alone:
 * `node --import tsx test/bench/render-bench-worker.ts <pdfmake|pdfkit> <lines> [repeats]`. Renders a small basis
 * once to warm up (module loading, font parsing, JIT), then times `repeats` renders of the requested size and prints
 * the medians as JSON.
 */
import PDFDocument from 'pdfkit';
import { createPdfmakeInvoiceRenderer } from '../../functions/adapters/pdf/pdfmake-invoice-renderer';
import { robotoFromNodeModules } from '../../functions/adapters/pdf/roboto-fonts';
import { formatAmount, formatQuantity } from '../../functions/adapters/pdf/swedish-format';
import type { InvoiceBasis } from '../../functions/domain/invoice-basis';
import type { RenderedPdf } from '../../functions/domain/ports';
import { generatedBasis } from '../unit/adapters/pdf/invoice-basis-fixtures';

export const ENGINES = ['pdfmake', 'pdfkit'] as const;
export type Engine = (typeof ENGINES)[number];

export interface RenderSample {
  readonly engine: Engine;
  readonly lines: number;
  readonly repeats: number;
  /** Median wall-clock time of one render. */
  readonly ms: number;
  /** Median CPU time (user + system, all threads) of one render: less disturbed by other load on the machine. */
  readonly cpuMs: number;
  readonly pages: number;
  readonly bytes: number;
  /** Resident set size before the timed render, and the process's peak (both in bytes). */
  readonly rssBefore: number;
  readonly peakRss: number;
}

const WARM_UP_LINES = 20;

/**
 * The floor: the same rows drawn with PDFKit directly (what pdfmake drives underneath), with the same font, as plain
 * text at fixed column positions, a new page when one is full, and the header row repeated on each. No layout
 * engine, no wrapping, no grouping: what any PDF of these rows costs at least.
 */
async function renderWithPdfKit(basis: InvoiceBasis): Promise<RenderedPdf> {
  const columns = [
    { x: 36, width: 42, align: 'left' },
    { x: 80, width: 84, align: 'left' },
    { x: 166, width: 110, align: 'left' },
    { x: 278, width: 107, align: 'left' },
    { x: 387, width: 22, align: 'right' },
    { x: 411, width: 40, align: 'right' },
    { x: 453, width: 53, align: 'right' },
    { x: 508, width: 51, align: 'right' },
  ] as const;
  const header = ['Datum', 'Anställd', 'Tjänst', 'Utförare', 'Antal', 'À-pris', 'Belopp', 'Moms %'];
  const [top, bottom, rowHeight] = [52, 842 - 46, 11];
  const document = new PDFDocument({ size: 'A4', margin: 36, autoFirstPage: false });
  document.registerFont('Roboto', String(robotoFromNodeModules().fonts.Roboto?.normal));
  const chunks: Buffer[] = [];
  document.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<void>((resolve) => document.on('end', resolve));

  let pages = 0;
  let y = bottom;
  const row = (cells: readonly string[]) => {
    cells.forEach((cell, index) => {
      const column = columns[index];
      if (!column) return;
      // Positioned by hand: with a width, PDFKit runs its line wrapper, which is layout, not the floor.
      const x = column.align === 'right' ? column.x + column.width - document.widthOfString(cell) : column.x;
      document.text(cell, x, y, { lineBreak: false });
    });
    y += rowHeight;
  };
  for (const line of basis.lines) {
    if (y + rowHeight > bottom) {
      document.addPage().font('Roboto').fontSize(8);
      pages += 1;
      y = top;
      row(header);
    }
    row([
      line.date,
      line.employee ?? '',
      `${line.serviceCode} ${line.serviceText}`,
      line.performer ?? '',
      formatQuantity(line.quantity),
      formatAmount(line.unitPrice),
      formatAmount(line.amount),
      formatQuantity(line.vatRate),
    ]);
  }
  document.end();
  await finished;
  return { pdf: Buffer.concat(chunks), pageCount: pages };
}

const pdfmakeRenderer = createPdfmakeInvoiceRenderer();
const render: Record<Engine, (basis: InvoiceBasis) => Promise<RenderedPdf>> = {
  pdfmake: (basis) => pdfmakeRenderer.render(basis),
  pdfkit: renderWithPdfKit,
};

async function measure(engine: Engine, lines: number, repeats: number): Promise<RenderSample> {
  const basis = generatedBasis(lines);
  await render[engine](generatedBasis(WARM_UP_LINES));
  const rssBefore = process.memoryUsage().rss;
  const wall: number[] = [];
  const cpu: number[] = [];
  let rendered: RenderedPdf | undefined;
  for (let run = 0; run < repeats; run += 1) {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    rendered = await render[engine](basis);
    wall.push(performance.now() - started);
    const { user, system } = process.cpuUsage(cpuBefore);
    cpu.push((user + system) / 1000);
  }
  if (!rendered) throw new Error('At least one repeat is needed.');
  return {
    engine,
    lines,
    repeats,
    ms: median(wall),
    cpuMs: median(cpu),
    pages: rendered.pageCount,
    bytes: rendered.pdf.byteLength,
    rssBefore,
    peakRss: process.resourceUsage().maxRSS * 1024, // maxRSS is in kilobytes
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const [engine, lines, repeats] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4] ?? 1)];
const isCount = (value: number) => Number.isInteger(value) && value >= 1;
if (!ENGINES.includes(engine as Engine) || !isCount(lines) || !isCount(repeats)) {
  throw new Error(
    `Usage: render-bench-worker.ts <${ENGINES.join('|')}> <lines> [repeats], not ${process.argv.slice(2)}`,
  );
}
process.stdout.write(JSON.stringify(await measure(engine as Engine, lines, repeats)));
