import pdfmake from 'pdfmake';
import type {
  Content,
  ContentTable,
  ContentText,
  CustomTableLayout,
  TableCell,
  TableCellProperties,
  TDocumentDefinitions,
} from 'pdfmake/interfaces';
import {
  type InvoiceBasis,
  type InvoiceLine,
  type LineGroup,
  summarizeInvoiceBasis,
  type VatRow,
} from '../../domain/invoice-basis';
import type { InvoiceRenderer } from '../../domain/ports';
import { type PdfFontSource, robotoFromNodeModules } from './roboto-fonts';
import { formatAmount, formatKronor, formatPercent, formatPeriod, formatQuantity } from './swedish-format';

export interface PdfmakeInvoiceRendererOptions {
  /** Fonts and the exact local files they may be read from; defaults to Roboto from node_modules. */
  readonly fontSource?: PdfFontSource;
}

/**
 * Renders an invoice basis (fakturaunderlag) as an A4 PDF with pdfmake, in Swedish.
 *
 * Security: pdfmake can fetch URLs and read local files (fonts, images, attachments). The renderer denies every URL
 * and every local path except the font files of its {@link PdfFontSource}, and it only ever puts document data into
 * `text` — never into `image`, `svg`, `link`, `attachment` or a style — so document data cannot make it read a
 * file or fetch anything; a path or URL in a line simply prints as text.
 */
export function createPdfmakeInvoiceRenderer(options: PdfmakeInvoiceRendererOptions = {}): InvoiceRenderer {
  const configuration = pdfmakeConfiguration(options.fontSource ?? robotoFromNodeModules());
  activate(configuration);
  return {
    async render(basis) {
      const definition = invoiceDocumentDefinition(basis);
      // createPdf() snapshots fonts and policies synchronously, so activating right before it is enough even when
      // another renderer instance (other fonts) shares the process.
      activate(configuration);
      const pdf = await pdfmake.createPdf(definition).getBuffer();
      return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
    },
  };
}

interface PdfmakeConfiguration {
  readonly fontSource: PdfFontSource;
  readonly localAccessPolicy: (path: string) => boolean;
}

function pdfmakeConfiguration(fontSource: PdfFontSource): PdfmakeConfiguration {
  return { fontSource, localAccessPolicy: (path) => fontSource.allowedLocalFiles.has(path) };
}

const denyEveryUrl = (): boolean => false;

/**
 * The server build of pdfmake is a process-wide singleton: its fonts and access policies are module-level state.
 * We therefore configure it once per renderer instance and only touch it again if a different configuration was
 * activated in between — never re-adding fonts on every render.
 */
let activeConfiguration: PdfmakeConfiguration | undefined;

function activate(configuration: PdfmakeConfiguration): void {
  if (activeConfiguration === configuration) return;
  // A copy, because pdfmake writes the resolved font paths back into the dictionary it is given.
  pdfmake.setFonts(structuredClone(configuration.fontSource.fonts));
  pdfmake.setUrlAccessPolicy(denyEveryUrl);
  pdfmake.setLocalAccessPolicy(configuration.localAccessPolicy);
  activeConfiguration = configuration;
}

const A4_WIDTH = 595.28;
const PAGE_MARGIN_X = 36;
const MUTED = '#555555';
const RULE = '#9a9a9a';
const GROUP_FILL = '#eef1f4';
const HEADER_FILL = '#dde3e9';

/** The pdfmake document for one invoice basis. */
function invoiceDocumentDefinition(basis: InvoiceBasis): TDocumentDefinitions {
  const summary = summarizeInvoiceBasis(basis);
  const period = formatPeriod(basis.periodFrom, basis.periodTo);
  return {
    pageSize: 'A4',
    pageMargins: [PAGE_MARGIN_X, 52, PAGE_MARGIN_X, 46],
    language: 'sv-SE',
    info: {
      // No personal data here: metadata is shown by every viewer and indexed by search tools.
      title: `Fakturaunderlag ${basis.invoiceNumber}`,
      author: basis.clinic.name,
      subject: `Fakturaunderlag för ${basis.customer.name}, period ${period}`,
      creator: 'Företagsportal',
      producer: 'Företagsportal (pdfmake)',
      // The invoice date instead of "now": the same basis always renders to the same bytes (stable content hash).
      creationDate: new Date(`${basis.invoiceDate}T00:00:00Z`),
    },
    defaultStyle: { font: 'Roboto', fontSize: 8.5, lineHeight: 1.1 },
    styles: {
      title: { fontSize: 20, bold: true },
      clinicName: { fontSize: 12, bold: true },
      muted: { color: MUTED },
      label: { color: MUTED, fontSize: 8 },
      tableHeader: { bold: true },
      groupHeading: { bold: true },
      total: { fontSize: 11, bold: true },
    },
    header: (currentPage) =>
      currentPage === 1
        ? null
        : {
            margin: [PAGE_MARGIN_X, 22, PAGE_MARGIN_X, 0],
            style: 'muted',
            fontSize: 8,
            columns: [
              { text: `${basis.customer.name} · Kundnummer ${basis.customer.customerNumber}` },
              { text: `Fakturaunderlag ${basis.invoiceNumber} · Period ${period}`, alignment: 'right' },
            ],
          },
    footer: (currentPage, pageCount) => ({
      margin: [PAGE_MARGIN_X, 18, PAGE_MARGIN_X, 0],
      style: 'muted',
      fontSize: 8,
      columns: [
        { text: `${basis.clinic.name} · Fakturaunderlag ${basis.invoiceNumber}` },
        { text: `Sida ${currentPage} av ${pageCount}`, alignment: 'right', width: 'auto' },
      ],
    }),
    content: [
      heading(basis),
      parties(basis, period),
      { text: basis.description, bold: true, fontSize: 10, margin: [0, 14, 0, 6] },
      linesTable(summary.groups),
      totals(summary.vat, summary.net, summary.vatTotal, summary.total),
    ],
  };
}

function heading(basis: InvoiceBasis): Content {
  return {
    columns: [
      {
        stack: [
          { text: basis.clinic.name, style: 'clinicName' },
          { text: `Org.nr ${basis.clinic.orgNumber}`, style: 'muted' },
          ...basis.clinic.addressLines.map((line): Content => ({ text: line, style: 'muted' })),
        ],
      },
      { text: 'Fakturaunderlag', style: 'title', alignment: 'right', width: 'auto' },
    ],
  };
}

function parties(basis: InvoiceBasis, period: string): Content {
  const { customer } = basis;
  const customerFacts: Array<[string, string]> = [
    ['Org.nr', customer.orgNumber],
    ['Kundnummer', customer.customerNumber],
  ];
  if (customer.reference) customerFacts.push(['Er referens', customer.reference]);
  return {
    margin: [0, 18, 0, 0],
    columns: [
      {
        width: '*',
        stack: [
          { text: 'Kund', style: 'label' },
          { text: customer.name, bold: true, fontSize: 10 },
          ...customer.addressLines.map((line): Content => ({ text: line })),
          { margin: [0, 4, 0, 0], ...factsTable(customerFacts, { wrap: true }) },
        ],
      },
      {
        width: 'auto',
        ...factsTable(
          [
            ['Fakturanummer', basis.invoiceNumber],
            ['Fakturadatum', basis.invoiceDate],
            ['Period', period],
          ],
          { wrap: false },
        ),
      },
    ],
    columnGap: 24,
  };
}

/** Label/value pairs. The invoice facts never wrap (a period split over two lines reads badly); free text may. */
function factsTable(facts: ReadonlyArray<readonly [string, string]>, { wrap }: { wrap: boolean }): ContentTable {
  return {
    layout: 'noBorders',
    table: {
      body: facts.map(([label, value]): TableCell[] => [
        { text: label, style: 'label', margin: [0, 0, 8, 0], noWrap: true },
        { text: value, noWrap: !wrap },
      ]),
    },
  };
}

const LINE_HEADERS = [
  'Datum',
  'Anställd / Kostnadsställe',
  'Tjänst',
  'Utförare',
  'Antal',
  'À-pris',
  'Belopp',
  'Moms %',
];
const FIRST_NUMBER_COLUMN = 4;
const AMOUNT_COLUMN = 6;
const LINE_FONT_SIZE = 8;
const CELL_PADDING_X = 2;
const CELL_PADDING_Y = 1.5;

/**
 * Fixed column widths (pt). Fixed, not 'auto'/'*': an unbreakable word in the data (a URL, a long code) then wraps
 * inside its cell instead of widening the column and pushing the table off the page, and nested tables (see
 * {@link groupEdgeRow}) line up with the outer columns exactly. The number columns fit "99 999 999,99".
 */
const LINE_COLUMN_WIDTHS: readonly number[] = (() => {
  const fixed = { date: 42, quantity: 22, unitPrice: 40, amount: 53, vatRate: 31 };
  const paddings = LINE_HEADERS.length * 2 * CELL_PADDING_X;
  const text = A4_WIDTH - 2 * PAGE_MARGIN_X - paddings - Object.values(fixed).reduce((a, b) => a + b);
  // Shares chosen so that typical service names and "Förnamn Efternamn, företagssköterska" fit on one line at 8 pt.
  const [who, service, performer] = [0.235 * text, 0.41 * text, 0.355 * text];
  return [fixed.date, who, service, performer, fixed.quantity, fixed.unitPrice, fixed.amount, fixed.vatRate];
})();

/**
 * All lines in ONE table whose header row pdfmake repeats on every page; layout time stays linear in the number of
 * lines (measured on a 2-core machine: 1 000 lines ≈ 0,5–1 s, 5 000 lines ≈ 2–4 s). Every row is unbreakable. A group's heading travels in the same row as its
 * first line, and its subtotal in the same row as its last line, so a page never ends with a lone heading or starts
 * with a lone "Summa" — those edge rows hold a nested table with the same column widths.
 */
function linesTable(groups: readonly LineGroup[]): Content {
  const body: TableCell[][] = [
    LINE_HEADERS.map(
      (text, column): TableCell => ({
        text,
        style: 'tableHeader',
        fillColor: HEADER_FILL,
        alignment: column >= FIRST_NUMBER_COLUMN ? 'right' : 'left',
      }),
    ),
  ];
  const edgeRows = new Set<number>();
  for (const group of groups) {
    group.lines.forEach((line, index) => {
      const first = index === 0;
      const last = index === group.lines.length - 1;
      if (first || last) {
        edgeRows.add(body.length);
        body.push(spanning(groupEdgeRow(group, line, first, last)));
      } else {
        body.push(lineCells(line));
      }
    });
  }
  if (groups.length === 0) body.push(spanning({ text: 'Inga tjänster under perioden.', italics: true }));

  return {
    layout: {
      hLineWidth: (i) => (i === 1 ? 0.8 : 0),
      vLineWidth: () => 0,
      hLineColor: () => RULE,
      paddingLeft: () => CELL_PADDING_X,
      paddingRight: () => CELL_PADDING_X,
      // Edge rows carry their own padding inside the nested table.
      paddingTop: (i) => (edgeRows.has(i) ? 0 : CELL_PADDING_Y),
      paddingBottom: (i) => (edgeRows.has(i) ? 0 : CELL_PADDING_Y),
    },
    fontSize: LINE_FONT_SIZE,
    table: { headerRows: 1, dontBreakRows: true, widths: [...LINE_COLUMN_WIDTHS], body },
  };
}

/**
 * The first and/or last line of a group with the group heading above and/or the subtotal below, as a nested table
 * placed in a cell that spans the whole outer row. Same widths and paddings as the outer table, so its columns
 * start exactly where the outer columns do.
 */
function groupEdgeRow(group: LineGroup, line: InvoiceLine, first: boolean, last: boolean): ContentTable {
  const rows: TableCell[][] = [];
  if (first) rows.push(spanning({ text: group.label, style: 'groupHeading', fillColor: GROUP_FILL }));
  rows.push(lineCells(line));
  if (last) {
    rows.push([
      { text: `Summa ${group.label}`, bold: true, alignment: 'right', colSpan: AMOUNT_COLUMN },
      ...placeholders(AMOUNT_COLUMN - 1),
      { ...numberCell(formatAmount(group.subtotal)), bold: true },
      {},
    ]);
  }
  const subtotalRow = last ? rows.length - 1 : -1;
  const layout: CustomTableLayout = {
    hLineWidth: (i) => (i === subtotalRow ? 0.5 : 0),
    vLineWidth: () => 0,
    hLineColor: () => RULE,
    paddingLeft: () => CELL_PADDING_X,
    paddingRight: () => CELL_PADDING_X,
    paddingTop: () => CELL_PADDING_Y,
    paddingBottom: () => CELL_PADDING_Y,
  };
  // The negative margin pulls the nested table over the outer cell's padding, so both tables are equally wide.
  return {
    layout,
    margin: [-CELL_PADDING_X, 0, -CELL_PADDING_X, 0],
    table: { widths: [...LINE_COLUMN_WIDTHS], body: rows },
  };
}

function lineCells(line: InvoiceLine): TableCell[] {
  const who = [line.employee, line.costCentre].filter((part) => part !== undefined && part !== '').join(' / ');
  return [
    { text: line.date },
    { text: who },
    { text: `${line.serviceCode} ${line.serviceText}` },
    { text: line.performer ?? '' },
    numberCell(formatQuantity(line.quantity)),
    numberCell(formatAmount(line.unitPrice)),
    numberCell(formatAmount(line.amount)),
    numberCell(formatQuantity(line.vatRate)),
  ];
}

type SpanningContent = (ContentText | ContentTable) & TableCellProperties;

function spanning(cell: SpanningContent): TableCell[] {
  return [{ ...cell, colSpan: LINE_HEADERS.length }, ...placeholders(LINE_HEADERS.length - 1)];
}

function placeholders(count: number): TableCell[] {
  return Array.from({ length: count }, (): TableCell => ({}));
}

function numberCell(text: string): ContentText & TableCellProperties {
  return { text, alignment: 'right', noWrap: true };
}

function totals(vat: readonly VatRow[], net: number, vatTotal: number, total: number): Content {
  const rows: TableCell[][] = [];
  for (const row of vat) {
    if (row.rate === 0) {
      rows.push(amountRow('Momsfritt underlag', row.base));
    } else {
      rows.push(amountRow(`Momsunderlag ${formatPercent(row.rate)}`, row.base));
      rows.push(amountRow(`Moms ${formatPercent(row.rate)}`, row.vat));
    }
  }
  const firstTotalRow = rows.length;
  rows.push(amountRow('Summa exkl. moms', net), amountRow('Moms', vatTotal));
  const payableRow = rows.length;
  rows.push([
    { text: 'Att betala', style: 'total' },
    { text: formatKronor(total), style: 'total', alignment: 'right', noWrap: true },
  ]);
  return {
    unbreakable: true,
    margin: [0, 12, 0, 0],
    columns: [
      { text: '', width: '*' },
      {
        width: 'auto',
        layout: {
          hLineWidth: (i) => (i === firstTotalRow || i === payableRow ? 0.8 : 0),
          vLineWidth: () => 0,
          hLineColor: () => RULE,
          paddingLeft: () => 4,
          paddingRight: () => 2,
          paddingTop: (i) => (i === payableRow ? 4 : 1.5),
          paddingBottom: () => 1.5,
        },
        table: { widths: [150, 'auto'], body: rows },
      },
    ],
  };
}

function amountRow(label: string, amount: number): TableCell[] {
  return [{ text: label }, { text: formatKronor(amount), alignment: 'right', noWrap: true }];
}
