import { type MinorUnits, vatOf } from './money';

/** A calendar date as `YYYY-MM-DD` (no time, no zone): invoice dates and periods are dates, not instants. */
export type IsoDate = string;

export interface Party {
  readonly name: string;
  /** Swedish organisation number, `NNNNNN-NNNN`. */
  readonly orgNumber: string;
  readonly addressLines: readonly string[];
}

/** A raster image carried inside data (a clinic logo): bytes as base64, type checked where it enters. */
export interface ImageAsset {
  readonly mimeType: 'image/png' | 'image/jpeg';
  readonly base64: string;
}

/** The first bytes every file of each image type begins with. */
const IMAGE_SIGNATURES: Readonly<Record<ImageAsset['mimeType'], readonly number[]>> = {
  'image/png': [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  'image/jpeg': [0xff, 0xd8, 0xff],
};

/**
 * Whether `bytes` (an image asset's decoded base64) begin as an image of `mimeType` must: checked wherever an asset
 * leaves for something that interprets it (a PDF, a browser), so a stored asset never passes for what it is not.
 */
export function isImageOfType(bytes: Uint8Array, mimeType: ImageAsset['mimeType']): boolean {
  // Undefined for a type the domain does not know: a type check that was skipped upstream still fails here.
  const signature: readonly number[] | undefined = IMAGE_SIGNATURES[mimeType];
  return signature !== undefined && bytes.length > signature.length && signature.every((byte, i) => bytes[i] === byte);
}

/** The issuing clinic as printed on the document. */
export interface ClinicParty extends Party {
  readonly logo?: ImageAsset;
}

/** What kind of document the basis is; decides its title ("Fakturaunderlag", "Kreditunderlag"). */
export const DOCUMENT_TYPES = ['fakturaunderlag', 'kreditunderlag'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** The clinic's own references printed in the header ("Vår referens", agreement). */
export interface ClinicReferences {
  readonly ourReference?: string | undefined;
  readonly agreement?: string | undefined;
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
  readonly employee?: string | undefined;
  readonly costCentre?: string | undefined;
  readonly serviceCode: string;
  readonly serviceText: string;
  readonly performer?: string | undefined;
  readonly quantity: number;
  readonly unitPrice: MinorUnits;
  /** VAT rate in percent: one of {@link SWEDISH_VAT_RATES}. Many occupational-health services are VAT exempt (0). */
  readonly vatRate: number;
  /** Net amount of the line (quantity × unit price, as billed). */
  readonly amount: MinorUnits;
}

/** The structured content of an invoice basis (fakturaunderlag), as pushed by the practice system. */
export interface InvoiceBasis {
  readonly clinic: ClinicParty;
  readonly customer: InvoiceCustomer;
  readonly documentType: DocumentType;
  readonly clinicReferences?: ClinicReferences;
  readonly invoiceNumber: string;
  readonly invoiceDate: IsoDate;
  readonly periodFrom: IsoDate;
  readonly periodTo: IsoDate;
  readonly description: string;
  readonly currency: 'SEK';
  readonly lines: readonly InvoiceLine[];
}

/** The VAT rates Swedish law knows (percent). */
export const SWEDISH_VAT_RATES: readonly number[] = [0, 6, 12, 25];

/** The lines of one employee within a cost centre; lines without an employee are grouped as "Övrigt". */
export interface EmployeeGroup {
  readonly label: string;
  readonly lines: readonly InvoiceLine[];
  readonly subtotal: MinorUnits;
}

/** The lines billed to one cost centre, per employee; lines without a cost centre as "Utan kostnadsställe". */
export interface CostCentreGroup {
  readonly label: string;
  readonly employees: readonly EmployeeGroup[];
  readonly subtotal: MinorUnits;
}

export interface VatRow {
  readonly rate: number;
  readonly base: MinorUnits;
  readonly vat: MinorUnits;
}

export interface InvoiceSummary {
  readonly groups: readonly CostCentreGroup[];
  readonly vat: readonly VatRow[];
  readonly net: MinorUnits;
  readonly vatTotal: MinorUnits;
  readonly total: MinorUnits;
}

const WITHOUT_COST_CENTRE_LABEL = 'Utan kostnadsställe';
const WITHOUT_EMPLOYEE_LABEL = 'Övrigt';

/**
 * Groups lines per cost centre, then per employee, both in order of first appearance (the order the practice
 * system sent), with a subtotal on each level; computes the VAT summary per rate and the totals. VAT is computed per
 * rate on the summed base, as on a Swedish invoice.
 */
export function summarizeInvoiceBasis(basis: InvoiceBasis): InvoiceSummary {
  const costCentres = new Map<string, Map<string, InvoiceLine[]>>();
  const vatBases = new Map<number, MinorUnits>();
  let net = 0;
  for (const line of basis.lines) {
    const employees = getOrAdd(costCentres, line.costCentre || WITHOUT_COST_CENTRE_LABEL, () => new Map());
    getOrAdd(employees, line.employee || WITHOUT_EMPLOYEE_LABEL, () => []).push(line);
    vatBases.set(line.vatRate, (vatBases.get(line.vatRate) ?? 0) + line.amount);
    net += line.amount;
  }
  const vat = [...vatBases.entries()]
    .sort(([a], [b]) => b - a)
    .map(([rate, base]) => ({ rate, base, vat: vatOf(base, rate) }));
  const vatTotal = vat.reduce((sum, row) => sum + row.vat, 0);
  return {
    groups: [...costCentres.entries()].map(([label, byEmployee]): CostCentreGroup => {
      const employees = [...byEmployee.entries()].map(
        ([employee, lines]): EmployeeGroup => ({ label: employee, lines, subtotal: sum(lines.map((l) => l.amount)) }),
      );
      return { label, employees, subtotal: sum(employees.map((employee) => employee.subtotal)) };
    }),
    vat,
    net,
    vatTotal,
    total: net + vatTotal,
  };
}

function sum(amounts: readonly MinorUnits[]): MinorUnits {
  return amounts.reduce((total, amount) => total + amount, 0);
}

function getOrAdd<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}
