import { describe, expect, it } from 'vitest';
import { type InvoiceBasis, type InvoiceLine, summarizeInvoiceBasis } from '../../../functions/domain/invoice-basis';

const line = (overrides: Partial<InvoiceLine>): InvoiceLine => ({
  date: '2024-01-10',
  serviceCode: 'HU01',
  serviceText: 'Hälsoundersökning',
  quantity: 1,
  unitPrice: 10_000,
  vatRate: 0,
  amount: 10_000,
  ...overrides,
});

const basis = (lines: InvoiceLine[]): InvoiceBasis => ({
  clinic: { name: 'K', orgNumber: '556000-0000', addressLines: [] },
  customer: { name: 'C', orgNumber: '556000-0000', addressLines: [], customerNumber: '1' },
  invoiceNumber: '1',
  invoiceDate: '2024-01-31',
  periodFrom: '2024-01-01',
  periodTo: '2024-01-31',
  description: 'Test',
  documentType: 'fakturaunderlag',
  currency: 'SEK',
  lines,
});

describe('summarizeInvoiceBasis', () => {
  it('groups lines per cost centre, then per employee, in order of first appearance, with subtotals on both levels', () => {
    const summary = summarizeInvoiceBasis(
      basis([
        line({ costCentre: 'KS 4711', employee: 'Åsa', amount: 100 }),
        line({ employee: 'Bo', amount: 10 }),
        line({ costCentre: 'KS 4711', employee: 'Örjan', amount: 50 }),
        line({ costCentre: 'KS 4711', employee: 'Åsa', amount: 200 }),
        line({ costCentre: 'KS 4711', amount: 7 }),
        line({ costCentre: 'KS 0815', employee: 'Åsa', amount: 1 }),
        line({ amount: 3 }),
        line({ employee: 'Bo', amount: 20 }),
      ]),
    );

    expect(
      summary.groups.map((group) => [
        group.label,
        group.subtotal,
        group.employees.map((employee) => [employee.label, employee.lines.length, employee.subtotal]),
      ]),
    ).toEqual([
      [
        'KS 4711',
        357,
        [
          ['Åsa', 2, 300],
          ['Örjan', 1, 50],
          ['Övrigt', 1, 7],
        ],
      ],
      [
        'Utan kostnadsställe',
        33,
        [
          ['Bo', 2, 30],
          ['Övrigt', 1, 3],
        ],
      ],
      ['KS 0815', 1, [['Åsa', 1, 1]]],
    ]);
  });

  it('keeps the lines of a group in the order they were sent, and treats empty names as absent', () => {
    const first = line({ employee: 'Åsa', date: '2024-01-20' });
    const second = line({ employee: 'Åsa', date: '2024-01-05' });
    const unnamed = line({ employee: '', costCentre: '' });

    const summary = summarizeInvoiceBasis(basis([first, unnamed, second]));

    expect(summary.groups.map((group) => group.label)).toEqual(['Utan kostnadsställe']);
    expect(summary.groups[0]?.employees.map((employee) => [employee.label, employee.lines])).toEqual([
      ['Åsa', [first, second]],
      ['Övrigt', [unnamed]],
    ]);
  });

  it('has no groups for a basis without lines', () => {
    expect(summarizeInvoiceBasis(basis([]))).toEqual({ groups: [], vat: [], net: 0, vatTotal: 0, total: 0 });
  });

  it('computes VAT per rate on the summed base, rounding half away from zero to whole öre', () => {
    const summary = summarizeInvoiceBasis(
      basis([
        line({ amount: 1_001, vatRate: 25 }),
        line({ amount: 1_001, vatRate: 25 }),
        line({ amount: 50_000, vatRate: 0 }),
        line({ amount: 999, vatRate: 6 }),
      ]),
    );

    expect(summary.vat).toEqual([
      { rate: 25, base: 2_002, vat: 501 },
      { rate: 6, base: 999, vat: 60 },
      { rate: 0, base: 50_000, vat: 0 },
    ]);
    expect(summary.net).toBe(53_001);
    expect(summary.vatTotal).toBe(561);
    expect(summary.total).toBe(53_562);
  });

  it('handles credit lines (negative amounts) symmetrically', () => {
    const summary = summarizeInvoiceBasis(basis([line({ amount: -1_002, vatRate: 25, quantity: -1 })]));

    expect(summary.vat).toEqual([{ rate: 25, base: -1_002, vat: -251 }]);
    expect(summary.total).toBe(-1_253);
  });
});
