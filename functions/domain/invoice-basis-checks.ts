import { type InvoiceBasis, SWEDISH_VAT_RATES, summarizeInvoiceBasis } from './invoice-basis';
import { formatSwedishAmount, type MinorUnits, roundMinor } from './money';

/** The totals the practice system states; we recompute them and compare. */
export interface DeclaredTotals {
  readonly net: MinorUnits;
  readonly vat: MinorUnits;
  readonly total: MinorUnits;
}

/** One business-rule violation, addressed by the JSON path of the offending field. */
export interface BasisProblem {
  readonly path: string;
  readonly code: 'period_reversed' | 'vat_rate_not_allowed' | 'line_amount_mismatch' | 'total_mismatch';
  readonly message: string;
  /** For amount problems, in kronor with a decimal point: what was sent, what it should be, and the difference. */
  readonly declared?: string;
  readonly computed?: string;
  readonly difference?: string;
}

/** Problems are listed up to this many; a payload with more is wrong in a systematic way anyway. */
const MAX_PROBLEMS = 50;

const kronor = (minor: MinorUnits) =>
  formatSwedishAmount(minor, { groupSeparator: '', minusSign: '-' }).replace(',', '.');

/** quantity × unit price in öre, with the quantity's two decimals kept exact (0.1 × 3 must not become 0.30000000004). */
function lineAmountOf(quantity: number, unitPrice: MinorUnits): MinorUnits {
  return roundMinor((Math.round(quantity * 100) * unitPrice) / 100);
}

/**
 * Checks what a schema cannot: the period runs forwards, every VAT rate is a Swedish one, every line's amount is its
 * quantity × unit price, and the declared net, VAT and total match what the lines add up to (VAT per rate on the
 * summed base, as on the rendered document). Returns every problem found (up to {@link MAX_PROBLEMS}).
 */
export function findBasisProblems(basis: InvoiceBasis, declared: DeclaredTotals): BasisProblem[] {
  const problems: BasisProblem[] = [];
  const add = (problem: BasisProblem) => {
    if (problems.length < MAX_PROBLEMS) problems.push(problem);
  };
  if (basis.periodFrom > basis.periodTo) {
    add({
      path: 'periodFrom',
      code: 'period_reversed',
      message: `The period starts (${basis.periodFrom}) after it ends (${basis.periodTo}).`,
    });
  }
  basis.lines.forEach((line, index) => {
    if (!SWEDISH_VAT_RATES.includes(line.vatRate)) {
      add({
        path: `lines.${index}.vatRate`,
        code: 'vat_rate_not_allowed',
        message: `VAT rate ${line.vatRate} % is not allowed; use one of ${SWEDISH_VAT_RATES.join(', ')}.`,
      });
    }
    const computed = lineAmountOf(line.quantity, line.unitPrice);
    if (computed !== line.amount) {
      add(
        amountProblem(`lines.${index}.amount`, 'line_amount_mismatch', 'quantity × unit price', line.amount, computed),
      );
    }
  });
  if (problems.some((problem) => problem.code === 'vat_rate_not_allowed')) return problems;

  const summary = summarizeInvoiceBasis(basis);
  const totals: ReadonlyArray<[keyof DeclaredTotals, MinorUnits, string]> = [
    ['net', summary.net, 'the sum of the line amounts'],
    ['vat', summary.vatTotal, 'the VAT per rate of the summed lines'],
    ['total', summary.total, 'net + VAT'],
  ];
  for (const [field, computed, rule] of totals) {
    if (declared[field] !== computed)
      add(amountProblem(`totals.${field}`, 'total_mismatch', rule, declared[field], computed));
  }
  return problems;
}

function amountProblem(
  path: string,
  code: BasisProblem['code'],
  rule: string,
  declared: MinorUnits,
  computed: MinorUnits,
): BasisProblem {
  return {
    path,
    code,
    message: `${path} is ${kronor(declared)} but ${rule} is ${kronor(computed)} (difference ${kronor(declared - computed)}).`,
    declared: kronor(declared),
    computed: kronor(computed),
    difference: kronor(declared - computed),
  };
}
