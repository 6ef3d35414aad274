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
  currency: 'SEK',
  lines,
});

describe('summarizeInvoiceBasis', () => {
  it('groups lines per employee, then cost centre, in order of first appearance, with subtotals', () => {
    const summary = summarizeInvoiceBasis(
      basis([
        line({ employee: 'Åsa', amount: 100 }),
        line({ costCentre: 'KS 4711', amount: 50 }),
        line({ employee: 'Bo', amount: 10 }),
        line({ employee: 'Åsa', amount: 200 }),
        line({ amount: 7 }),
      ]),
    );

    expect(summary.groups.map((group) => [group.label, group.lines.length, group.subtotal])).toEqual([
      ['Åsa', 2, 300],
      ['KS 4711', 1, 50],
      ['Bo', 1, 10],
      ['Övrigt', 1, 7],
    ]);
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
