import { type MinorUnits, vatOf } from './money';

/** A calendar date as `YYYY-MM-DD` (no time, no zone): invoice dates and periods are dates, not instants. */
export type IsoDate = string;

export interface Party {
  readonly name: string;
  /** Swedish organisation number, `NNNNNN-NNNN`. */
  readonly orgNumber: string;
  readonly addressLines: readonly string[];
}

export interface InvoiceCustomer extends Party {
  readonly customerNumber: string;
  /** The customer's own reference ("Er referens"). */
  readonly reference?: string;
}

/** One billed service: who (employee or cost centre), what, when, by whom, how much. */
export interface InvoiceLine {
  readonly date: IsoDate;
  /** Employee name or id; absent for lines billed to a cost centre only. */
  readonly employee?: string;
  readonly costCentre?: string;
  readonly serviceCode: string;
  readonly serviceText: string;
  readonly performer?: string;
  readonly quantity: number;
  readonly unitPrice: MinorUnits;
  /** VAT rate in percent: 0, 6, 12 or 25 in Sweden. Many occupational-health services are VAT exempt (0). */
  readonly vatRate: number;
  /** Net amount of the line (quantity × unit price, as billed). */
  readonly amount: MinorUnits;
}

/** The structured content of an invoice basis (fakturaunderlag), as pushed by the practice system. */
export interface InvoiceBasis {
  readonly clinic: Party;
  readonly customer: InvoiceCustomer;
  readonly invoiceNumber: string;
  readonly invoiceDate: IsoDate;
  readonly periodFrom: IsoDate;
  readonly periodTo: IsoDate;
  readonly description: string;
  readonly currency: 'SEK';
  readonly lines: readonly InvoiceLine[];
}

export interface LineGroup {
  /** The employee, else the cost centre, else "Övrigt". */
  readonly label: string;
  readonly lines: readonly InvoiceLine[];
  readonly subtotal: MinorUnits;
}

export interface VatRow {
  readonly rate: number;
  readonly base: MinorUnits;
  readonly vat: MinorUnits;
}

export interface InvoiceSummary {
  readonly groups: readonly LineGroup[];
  readonly vat: readonly VatRow[];
  readonly net: MinorUnits;
  readonly vatTotal: MinorUnits;
  readonly total: MinorUnits;
}

const UNGROUPED_LABEL = 'Övrigt';

/**
 * Groups lines per employee (or cost centre), in first-appearance order, and computes subtotals, the VAT summary
 * per rate and the totals. VAT is computed per rate on the summed base, as on a Swedish invoice.
 */
export function summarizeInvoiceBasis(basis: InvoiceBasis): InvoiceSummary {
  const groups = new Map<string, InvoiceLine[]>();
  const vatBases = new Map<number, MinorUnits>();
  let net = 0;
  for (const line of basis.lines) {
    const label = line.employee ?? line.costCentre ?? UNGROUPED_LABEL;
    const group = groups.get(label);
    if (group) group.push(line);
    else groups.set(label, [line]);
    vatBases.set(line.vatRate, (vatBases.get(line.vatRate) ?? 0) + line.amount);
    net += line.amount;
  }
  const vat = [...vatBases.entries()]
    .sort(([a], [b]) => b - a)
    .map(([rate, base]) => ({ rate, base, vat: vatOf(base, rate) }));
  const vatTotal = vat.reduce((sum, row) => sum + row.vat, 0);
  return {
    groups: [...groups.entries()].map(([label, lines]) => ({
      label,
      lines,
      subtotal: lines.reduce((sum, line) => sum + line.amount, 0),
    })),
    vat,
    net,
    vatTotal,
    total: net + vatTotal,
  };
}
