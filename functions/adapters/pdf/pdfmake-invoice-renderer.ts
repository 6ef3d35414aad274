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
import { UnprocessableError } from '../../domain/errors';
import {
  type CostCentreGroup,
  type DocumentType,
  type EmployeeGroup,
  type ImageAsset,
  type InvoiceBasis,
  type InvoiceLine,
  isImageOfType,
  summarizeInvoiceBasis,
  type VatRow,
} from '../../domain/invoice-basis';
import type { MinorUnits } from '../../domain/money';
import type { InvoiceRenderer } from '../../domain/ports';
import { type PdfFontSource, robotoFromNodeModules } from './roboto-fonts';
import { formatAmount, formatKronor, formatPercent, formatPeriod, formatQuantity } from './swedish-format';

export interface PdfmakeInvoiceRendererOptions {
  /** Fonts and the exact local files they may be read from; defaults to Roboto from node_modules. */
  readonly fontSource?: PdfFontSource;
}

/**
 * Renders an invoice basis (a fakturaunderlag or a kreditunderlag) as an A4 PDF with pdfmake, in Swedish.
 *
 * Security: pdfmake can fetch URLs and read local files (fonts, images, attachments). The renderer denies every URL
 * and every local path except the font files of its {@link PdfFontSource}, and it only ever puts document data into
 * `text` — never into `svg`, `link`, `attachment` or a style — so document data cannot make it read a file or fetch
 * anything; a path or URL in a line simply prints as text. The one image is the clinic logo: bytes we check and
 * embed as a `data:` URL we build ourselves (see {@link logoDataUrl}), which pdfmake decodes in memory.
 */
export function createPdfmakeInvoiceRenderer(options: PdfmakeInvoiceRendererOptions = {}): InvoiceRenderer {
  const configuration = pdfmakeConfiguration(options.fontSource ?? robotoFromNodeModules());
  activate(configuration);
  return {
    async render(basis) {
      let pageCount = 0;
      const definition = invoiceDocumentDefinition(basis, (count) => {
        pageCount = count;
      });
      // createPdf() snapshots fonts and policies synchronously, so activating right before it is enough even when
      // another renderer instance (other fonts) shares the process.
      activate(configuration);
      const pdf = await pdfmake.createPdf(definition).getBuffer();
      return { pdf: new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength), pageCount };
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
const COST_CENTRE_FILL = '#dfe6ec';
const EMPLOYEE_FILL = '#f1f4f7';
const HEADER_FILL = '#d3dbe3';

const DOCUMENT_TITLES: Readonly<Record<DocumentType, string>> = {
  fakturaunderlag: 'Fakturaunderlag',
  kreditunderlag: 'Kreditunderlag',
};

/** The key of the logo in pdfmake's image dictionary; only {@link heading} refers to it. */
const LOGO_IMAGE = 'clinicLogo';
/** The logo is scaled, keeping its proportions, to fit this box (pt), so no logo can take more room in the heading. */
const LOGO_MAX_SIZE: [number, number] = [150, 48];
/** Wide enough for the invoice facts at 8.5 pt; references wrap inside it instead of squeezing the customer. */
const FACTS_COLUMN_WIDTH = 215;

/** The pdfmake document for one invoice basis; `onPageCount` learns how many pages the layout produced. */
function invoiceDocumentDefinition(
  basis: InvoiceBasis,
  onPageCount: (pageCount: number) => void,
): TDocumentDefinitions {
  const summary = summarizeInvoiceBasis(basis);
  const period = formatPeriod(basis.periodFrom, basis.periodTo);
  const title = DOCUMENT_TITLES[basis.documentType];
  const logo = basis.clinic.logo;
  return {
    pageSize: 'A4',
    pageMargins: [PAGE_MARGIN_X, 52, PAGE_MARGIN_X, 46],
    language: 'sv-SE',
    info: {
      // No personal data here: metadata is shown by every viewer and indexed by search tools.
      title: `${title} ${basis.invoiceNumber}`,
      author: basis.clinic.name,
      subject: `${title} för ${basis.customer.name}, period ${period}`,
      creator: 'Företagsportal',
      producer: 'Företagsportal (pdfmake)',
      // The invoice date instead of "now": the same basis always renders to the same bytes (stable content hash).
      creationDate: new Date(`${basis.invoiceDate}T00:00:00Z`),
    },
    ...(logo ? { images: { [LOGO_IMAGE]: logoDataUrl(logo) } } : {}),
    defaultStyle: { font: 'Roboto', fontSize: 8.5, lineHeight: 1.1 },
    styles: {
      title: { fontSize: 20, bold: true },
      clinicName: { fontSize: 12, bold: true },
      muted: { color: MUTED },
      label: { color: MUTED, fontSize: 8 },
      tableHeader: { bold: true },
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
              { text: `${title} ${basis.invoiceNumber} · Period ${period}`, alignment: 'right' },
            ],
          },
    footer: (currentPage, pageCount) => {
      onPageCount(pageCount);
      return {
        margin: [PAGE_MARGIN_X, 18, PAGE_MARGIN_X, 0],
        style: 'muted',
        fontSize: 8,
        columns: [
          { text: `${basis.clinic.name} · ${title} ${basis.invoiceNumber}` },
          { text: `Sida ${currentPage} av ${pageCount}`, alignment: 'right', width: 'auto' },
        ],
      };
    },
    content: [
      heading(basis, title),
      parties(basis, period),
      { text: basis.description, bold: true, fontSize: 10, margin: [0, 14, 0, 6] },
      linesTable(summary.groups),
      totals(summary.vat, summary.net, summary.vatTotal, summary.total),
    ],
  };
}

/**
 * The logo as a `data:` URL built here from its decoded bytes. pdfmake decodes a data URL in memory — its URL
 * policy (which denies everything) only governs http(s) and its file policy skips `data:` — so the logo needs no
 * exception to either policy. Re-encoding the decoded bytes means nothing but base64 of a real PNG or JPEG can
 * follow the prefix, whatever the input held.
 */
function logoDataUrl(logo: ImageAsset): string {
  const bytes = Buffer.from(logo.base64, 'base64');
  if (!isImageOfType(bytes, logo.mimeType)) {
    throw new UnprocessableError('invalid_logo', `The clinic logo is not the ${logo.mimeType} image it claims to be.`);
  }
  return `data:${logo.mimeType};base64,${bytes.toString('base64')}`;
}

function heading(basis: InvoiceBasis, title: string): Content {
  const { clinic } = basis;
  return {
    columns: [
      {
        stack: [
          ...(clinic.logo ? [{ image: LOGO_IMAGE, fit: LOGO_MAX_SIZE, margin: [0, 0, 0, 6] } satisfies Content] : []),
          { text: clinic.name, style: 'clinicName' },
          { text: `Org.nr ${clinic.orgNumber}`, style: 'muted' },
          ...clinic.addressLines.map((line): Content => ({ text: line, style: 'muted' })),
        ],
      },
      { text: title, style: 'title', alignment: 'right', width: 'auto' },
    ],
  };
}

interface Fact {
  readonly label: string;
  readonly value: string;
  /** Invoice facts never wrap (a period split over two lines reads badly); free text may. */
  readonly wrap: boolean;
}

function parties(basis: InvoiceBasis, period: string): Content {
  const { customer } = basis;
  const freeText = (label: string, value: string | undefined): Fact[] => (value ? [{ label, value, wrap: true }] : []);
  const customerFacts: Fact[] = [
    { label: 'Org.nr', value: customer.orgNumber, wrap: true },
    { label: 'Kundnummer', value: customer.customerNumber, wrap: true },
    ...freeText('Er referens', customer.reference),
  ];
  const invoiceFacts: Fact[] = [
    { label: 'Fakturanummer', value: basis.invoiceNumber, wrap: false },
    { label: 'Fakturadatum', value: basis.invoiceDate, wrap: false },
    { label: 'Period', value: period, wrap: false },
    ...freeText('Vår referens', basis.clinicReferences?.ourReference),
    ...freeText('Avtal', basis.clinicReferences?.agreement),
  ];
  return {
    margin: [0, 18, 0, 0],
    columns: [
      {
        width: '*',
        stack: [
          { text: 'Kund', style: 'label' },
          { text: customer.name, bold: true, fontSize: 10 },
          ...customer.addressLines.map((line): Content => ({ text: line })),
          { margin: [0, 4, 0, 0], ...factsTable(customerFacts) },
        ],
      },
      { width: FACTS_COLUMN_WIDTH, ...factsTable(invoiceFacts) },
    ],
    columnGap: 24,
  };
}

function factsTable(facts: readonly Fact[]): ContentTable {
  return {
    layout: 'noBorders',
    table: {
      widths: ['auto', '*'],
      body: facts.map(({ label, value, wrap }): TableCell[] => [
        { text: label, style: 'label', margin: [0, 0, 8, 0], noWrap: true },
        { text: value, noWrap: !wrap },
      ]),
    },
  };
}

const LINE_HEADERS = ['Datum', 'Anställd', 'Tjänst', 'Utförare', 'Antal', 'À-pris', 'Belopp', 'Moms %'];
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
  // Shares chosen so that "Förnamn Efternamn (12345)", typical service names and "Förnamn Efternamn,
  // företagssköterska" fit on one line at 8 pt.
  const [who, service, performer] = [0.28 * text, 0.365 * text, 0.355 * text];
  return [fixed.date, who, service, performer, fixed.quantity, fixed.unitPrice, fixed.amount, fixed.vatRate];
})();

/** A level of grouping as printed: cost centres hold employees; each level has a heading and a subtotal. */
interface PrintedGroup {
  readonly group: CostCentreGroup | EmployeeGroup;
  readonly level: 'costCentre' | 'employee';
}

const GROUP_LOOK = {
  costCentre: { fill: COST_CENTRE_FILL, indent: 0, fontSize: LINE_FONT_SIZE + 0.5, ruleWidth: 0.8 },
  employee: { fill: EMPLOYEE_FILL, indent: 8, fontSize: LINE_FONT_SIZE, ruleWidth: 0.4 },
} as const;

/**
 * All lines in ONE table whose header row pdfmake repeats on every page; layout time stays linear in the number of
 * lines (see `npm run bench`, test/bench/render-bench.ts). Lines are grouped by cost centre, then employee. Every row
 * is unbreakable. The headings of the groups a line opens travel in the same row as that line, and the subtotals of
 * the groups it closes too, so a page never ends with a lone heading or starts with a lone "Summa" — those edge rows
 * hold a nested table with the same column widths.
 */
function linesTable(costCentres: readonly CostCentreGroup[]): Content {
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
  for (const costCentre of costCentres) {
    costCentre.employees.forEach((employee, employeeIndex) => {
      const costCentreLevel: PrintedGroup = { group: costCentre, level: 'costCentre' };
      const employeeLevel: PrintedGroup = { group: employee, level: 'employee' };
      employee.lines.forEach((line, lineIndex) => {
        const opens: PrintedGroup[] = [];
        const closes: PrintedGroup[] = [];
        if (lineIndex === 0) {
          if (employeeIndex === 0) opens.push(costCentreLevel);
          opens.push(employeeLevel);
        }
        if (lineIndex === employee.lines.length - 1) {
          closes.push(employeeLevel);
          if (employeeIndex === costCentre.employees.length - 1) closes.push(costCentreLevel);
        }
        if (opens.length === 0 && closes.length === 0) {
          body.push(lineCells(line));
        } else {
          edgeRows.add(body.length);
          body.push(spanning(groupEdgeRow(line, opens, closes)));
        }
      });
    });
  }
  if (costCentres.length === 0) body.push(spanning({ text: 'Inga tjänster under perioden.', italics: true }));

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
 * One line with the headings of the groups it opens above it and the subtotals of the groups it closes below it, as
 * a nested table placed in a cell that spans the whole outer row. Same widths and paddings as the outer table, so
 * its columns start exactly where the outer columns do.
 */
function groupEdgeRow(
  line: InvoiceLine,
  opens: readonly PrintedGroup[],
  closes: readonly PrintedGroup[],
): ContentTable {
  const rows: TableCell[][] = opens.map(({ group, level }) => {
    const look = GROUP_LOOK[level];
    return spanning({
      text: group.label,
      bold: true,
      fontSize: look.fontSize,
      fillColor: look.fill,
      margin: [look.indent, 0, 0, 0],
    });
  });
  rows.push(lineCells(line));
  const ruleAbove = new Map<number, number>();
  for (const { group, level } of closes) {
    ruleAbove.set(rows.length, GROUP_LOOK[level].ruleWidth);
    rows.push(subtotalRow(group.label, group.subtotal));
  }
  const layout: CustomTableLayout = {
    hLineWidth: (i) => ruleAbove.get(i) ?? 0,
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

function subtotalRow(label: string, subtotal: MinorUnits): TableCell[] {
  return [
    { text: `Summa ${label}`, bold: true, alignment: 'right', colSpan: AMOUNT_COLUMN },
    ...placeholders(AMOUNT_COLUMN - 1),
    { ...numberCell(formatAmount(subtotal)), bold: true },
    {},
  ];
}

/** A line's cells. Its cost centre is the heading above it; the employee stays, for pages that start mid-group. */
function lineCells(line: InvoiceLine): TableCell[] {
  return [
    { text: line.date },
    { text: line.employee ?? '' },
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
