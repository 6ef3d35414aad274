import fs from 'node:fs';
import pdfmake from 'pdfmake';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPdfmakeInvoiceRenderer } from '../../../../functions/adapters/pdf/pdfmake-invoice-renderer';
import { robotoFromNodeModules } from '../../../../functions/adapters/pdf/roboto-fonts';
import { formatKronor } from '../../../../functions/adapters/pdf/swedish-format';
import type { InvoiceBasis, InvoiceLine } from '../../../../functions/domain/invoice-basis';
import type { InvoiceRenderer } from '../../../../functions/domain/ports';
import { pages, pdfInfo, pdfText } from '../../../support/pdf-text';

const line = (overrides: Partial<InvoiceLine> & Pick<InvoiceLine, 'quantity' | 'unitPrice' | 'vatRate'>) =>
  ({
    date: '2024-01-08',
    serviceCode: 'HU01',
    serviceText: 'Hälsoundersökning',
    performer: 'Karin Ek, företagssköterska',
    amount: overrides.quantity * overrides.unitPrice,
    ...overrides,
  }) satisfies InvoiceLine;

const realisticBasis: InvoiceBasis = {
  clinic: {
    name: 'Norra Företagshälsan AB',
    orgNumber: '556812-3458',
    addressLines: ['Storgatan 7', '903 26 Umeå'],
  },
  customer: {
    name: 'Åkerströms Måleri AB',
    orgNumber: '556734-8122',
    addressLines: ['Verkstadsgatan 3', '904 22 Umeå'],
    customerNumber: '10042',
    reference: 'Lena Sandberg',
  },
  invoiceNumber: '2024-0102',
  invoiceDate: '2024-01-15',
  periodFrom: '2024-01-01',
  periodTo: '2024-01-15',
  description: 'Fakturering 1–15 januari 2024',
  currency: 'SEK',
  lines: [
    line({ employee: 'Anna Öberg', quantity: 1, unitPrice: 1_950_00, vatRate: 0 }),
    line({
      employee: 'Anna Öberg',
      serviceCode: 'HT01',
      serviceText: 'Årskontroll hörsel',
      quantity: 1,
      unitPrice: 650_00,
      vatRate: 0,
    }),
    line({
      date: '2024-01-10',
      employee: 'Björn Åström',
      serviceCode: 'EB01',
      serviceText: 'Ergonomisk bedömning',
      performer: 'Mikael Ström, ergonom',
      quantity: 1.5,
      unitPrice: 1_250_00,
      vatRate: 25,
    }),
    line({
      date: '2024-01-11',
      costCentre: 'Kst 110 Produktion',
      serviceCode: 'AM01',
      serviceText: 'Arbetsmiljöbesök',
      performer: 'Mikael Ström, ergonom',
      quantity: 3,
      unitPrice: 1_450_00,
      vatRate: 25,
    }),
    line({
      date: '2024-01-12',
      employee: 'Björn Åström',
      serviceCode: 'SS01',
      serviceText: 'Samtalsstöd',
      performer: 'Sara Holm, psykolog',
      quantity: 2,
      unitPrice: 1_400_00,
      vatRate: 0,
    }),
    line({
      date: '2024-01-15',
      employee: 'Anna Öberg',
      serviceText: 'Kreditering hälsoundersökning',
      quantity: -1,
      unitPrice: 1_950_00,
      vatRate: 0,
    }),
  ],
};

/** VAT per rate on the summed base, rounded half away from zero: how a Swedish invoice computes it. */
function expectedTotals(lines: readonly InvoiceLine[]) {
  const net = lines.reduce((sum, l) => sum + l.amount, 0);
  const baseByRate = new Map<number, number>();
  for (const l of lines) baseByRate.set(l.vatRate, (baseByRate.get(l.vatRate) ?? 0) + l.amount);
  let vat = 0;
  for (const [rate, base] of baseByRate) vat += Math.sign(base) * Math.round((Math.abs(base) * rate) / 100);
  return { net, vat, total: net + vat, baseByRate };
}

/** A regular expression for a phrase whose words pdftotext may separate by any run of whitespace. */
function phrase(text: string): RegExp {
  const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(escaped.replace(/ /g, '\\s+'));
}

let renderer: InvoiceRenderer;

beforeAll(() => {
  renderer = createPdfmakeInvoiceRenderer();
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a realistic invoice basis', () => {
  let pdf: Uint8Array;
  let text: string;

  beforeAll(async () => {
    pdf = await renderer.render(realisticBasis);
    text = await pdfText(pdf);
  });

  it('is a PDF', () => {
    expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
  });

  it('shows the title, the clinic and the customer with their numbers', () => {
    expect(text).toContain('Fakturaunderlag');
    expect(text).toContain('Norra Företagshälsan AB');
    expect(text).toMatch(phrase('Org.nr 556812-3458'));
    expect(text).toContain('Åkerströms Måleri AB');
    expect(text).toMatch(phrase('Kundnummer 10042'));
    expect(text).toMatch(phrase('Er referens Lena Sandberg'));
  });

  it('shows the invoice number, invoice date, period and description', () => {
    expect(text).toMatch(phrase('Fakturanummer 2024-0102'));
    expect(text).toMatch(phrase('Fakturadatum 2024-01-15'));
    expect(text).toMatch(phrase('Period 2024-01-01 – 2024-01-15'));
    expect(text).toContain('Fakturering 1–15 januari 2024');
  });

  it('keeps å, ä and ö intact in the text a reader copies or searches', () => {
    for (const word of ['Hälsoundersökning', 'Företagshälsan', 'Årskontroll', 'Björn Åström', 'Arbetsmiljöbesök']) {
      expect(text).toContain(word);
    }
  });

  it('has the column headings of the lines table', () => {
    expect(text).toMatch(phrase('Datum Anställd /'));
    expect(text).toMatch(phrase('Tjänst Utförare Antal À-pris Belopp Moms %'));
  });

  it('prints a line with Swedish numbers: 1,5 hours at 1 250,00 make 1 875,00 at 25 %', () => {
    expect(text).toMatch(
      phrase('2024-01-10 Björn Åström EB01 Ergonomisk bedömning Mikael Ström, ergonom 1,5 1 250,00 1 875,00 25'),
    );
  });

  it('prints a credited line with a minus sign', () => {
    expect(text).toMatch(phrase('-1 1 950,00 -1 950,00 0'));
  });

  it('groups lines per employee or cost centre with a subtotal per group', () => {
    // Anna Öberg: 1 950 + 650 - 1 950; Björn Åström: 1 875 + 2 800; the cost centre: 4 350.
    expect(text).toMatch(phrase('Summa Anna Öberg 650,00'));
    expect(text).toMatch(phrase('Summa Björn Åström 4 675,00'));
    expect(text).toMatch(phrase('Summa Kst 110 Produktion 4 350,00'));
  });

  it('summarises VAT per rate, with the exempt base as "Momsfritt underlag"', () => {
    const { baseByRate } = expectedTotals(realisticBasis.lines);
    expect(baseByRate.get(25)).toBe(6_225_00);
    expect(text).toMatch(phrase('Momsunderlag 25 % 6 225,00 kr'));
    expect(text).toMatch(phrase('Moms 25 % 1 556,25 kr'));
    expect(text).toMatch(phrase('Momsfritt underlag 3 450,00 kr'));
  });

  it('ends with the totals, the amount to pay computed from the lines', () => {
    const { net, vat, total } = expectedTotals(realisticBasis.lines);
    expect(total).toBe(11_231_25);
    expect(text).toMatch(phrase(`Summa exkl. moms ${formatKronor(net)}`));
    expect(text).toMatch(new RegExp(`\\n\\s*Moms\\s+${formatKronor(vat)}`));
    expect(text).toMatch(phrase('Att betala 11 231,25 kr'));
  });

  it('numbers its pages', () => {
    expect(text).toMatch(phrase('Sida 1 av 1'));
  });

  it('has title, author and subject metadata without any line data', async () => {
    const info = await pdfInfo(pdf);
    expect(info.Title).toBe('Fakturaunderlag 2024-0102');
    expect(info.Author).toBe('Norra Företagshälsan AB');
    expect(info.Subject).toBe('Fakturaunderlag för Åkerströms Måleri AB, period 2024-01-01 – 2024-01-15');
    expect(info.Pages).toBe('1');
  });

  it('renders the same basis to the same bytes, so the content hash is stable', async () => {
    const again = await renderer.render(realisticBasis);
    expect(Buffer.from(again).equals(Buffer.from(pdf))).toBe(true);
  });
});

describe('an invoice basis without lines', () => {
  it('says so and totals to zero', async () => {
    const text = await pdfText(await renderer.render({ ...realisticBasis, lines: [] }));

    expect(text).toContain('Inga tjänster under perioden.');
    expect(text).toMatch(phrase('Summa exkl. moms 0,00 kr'));
    expect(text).toMatch(phrase('Att betala 0,00 kr'));
  });
});

describe('renderer instances', () => {
  it('read fonts only from the files their font source allows, each with its own configuration', async () => {
    const roboto = robotoFromNodeModules();
    const locked = createPdfmakeInvoiceRenderer({ fontSource: { fonts: roboto.fonts, allowedLocalFiles: new Set() } });

    await expect(locked.render(realisticBasis)).rejects.toThrow(/Access to local file denied/);
    // pdfmake's configuration is process-wide; the first renderer must still get its own back.
    await expect(renderer.render(realisticBasis)).resolves.toBeInstanceOf(Uint8Array);
  });
});

describe('an invoice basis of several pages', () => {
  const groups = Array.from({ length: 60 }, (_, g) => `Medarbetare ${String(g + 1).padStart(3, '0')}`);
  const lines = groups.flatMap((employee, g) =>
    Array.from({ length: 5 }, (_, i) =>
      line({
        date: `2024-03-${String(1 + ((g + i) % 28)).padStart(2, '0')}`,
        employee,
        quantity: 1 + (i % 2),
        unitPrice: 100_000 + g * 1_000 + i * 10,
        vatRate: i === 4 ? 25 : 0,
      }),
    ),
  );
  const basis: InvoiceBasis = { ...realisticBasis, invoiceNumber: '2024-0300', lines };
  let text: string;
  let pageTexts: string[];

  beforeAll(async () => {
    text = await pdfText(await renderer.render(basis));
    pageTexts = pages(text);
  });

  it('has 300 lines on several pages, each numbered "Sida n av N"', () => {
    expect(lines).toHaveLength(300);
    const pageCount = pageTexts.length;
    expect(pageCount).toBeGreaterThan(2);
    pageTexts.forEach((page, index) => {
      expect(page).toMatch(phrase(`Sida ${index + 1} av ${pageCount}`));
    });
    expect(text).toMatch(phrase(`Sida 2 av ${pageCount}`));
  });

  it('repeats the column headings on every page', () => {
    for (const page of pageTexts) expect(page).toMatch(phrase('Antal À-pris Belopp Moms %'));
  });

  it('repeats customer, invoice number and period at the top of every following page', () => {
    for (const page of pageTexts.slice(1)) {
      expect(page).toMatch(phrase('Åkerströms Måleri AB · Kundnummer 10042'));
      expect(page).toMatch(phrase('Fakturaunderlag 2024-0300 · Period 2024-01-01 – 2024-01-15'));
    }
  });

  it('shows every group subtotal, computed from its lines', () => {
    for (const employee of groups) {
      const subtotal = lines.filter((l) => l.employee === employee).reduce((sum, l) => sum + l.amount, 0);
      expect(text).toMatch(phrase(`Summa ${employee} ${formatKronor(subtotal).replace(' kr', '')}`));
    }
  });

  it('never ends a page with a group heading whose lines start on the next page', () => {
    for (const page of pageTexts.slice(0, -1)) {
      const rows = page.split('\n').filter((row) => row.trim() !== '' && !/Sida \d+ av \d+/.test(row));
      expect(rows.at(-1)?.trim()).not.toMatch(/^Medarbetare \d{3}$/);
    }
  });

  it('ends with the amount to pay for all 300 lines', () => {
    expect(text).toMatch(phrase(`Att betala ${formatKronor(expectedTotals(lines).total)}`));
  });
});

describe('document data that looks like a file path or a URL', () => {
  const hostile: InvoiceBasis = {
    ...realisticBasis,
    invoiceNumber: '2024-0666',
    description: 'https://attacker.example/logo.png file:///etc/passwd',
    lines: [
      line({
        employee: '/etc/passwd',
        serviceCode: 'X1',
        serviceText: 'file:///etc/shadow',
        performer: '../../../../etc/hostname',
        quantity: 1,
        unitPrice: 100_00,
        vatRate: 0,
      }),
      line({
        costCentre: 'http://169.254.169.254/',
        serviceText: 'data:image/png;base64,AAAA',
        quantity: 1,
        unitPrice: 100_00,
        vatRate: 0,
      }),
    ],
  };

  it('is printed as text; nothing is fetched and no file but the fonts is read', async () => {
    const allowedFiles = robotoFromNodeModules().allowedLocalFiles;
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const readSpy = vi.spyOn(fs, 'readFileSync');
    const openSpy = vi.spyOn(fs, 'openSync');

    const text = await pdfText(await renderer.render(hostile));

    expect(text).toContain('https://attacker.example/logo.png file:///etc/passwd');
    expect(text).toMatch(phrase('Summa /etc/passwd'));
    expect(text).toContain('file:///etc/shadow');
    expect(text).toContain('../../../../etc/hostname');
    expect(text).toContain('http://169.254.169.254/');
    expect(fetchSpy).not.toHaveBeenCalled();
    const pathsRead = [...readSpy.mock.calls, ...openSpy.mock.calls].map(([path]) => String(path));
    expect(pathsRead).not.toHaveLength(0); // the spies do see file access: the fonts
    expect(pathsRead.filter((path) => !allowedFiles.has(path))).toEqual([]);
  });

  it('would be refused by the renderer’s pdfmake policies even if it reached an image or a URL', async () => {
    createPdfmakeInvoiceRenderer();
    await expect(pdfmake.createPdf({ content: [{ image: '/etc/passwd' }] }).getBuffer()).rejects.toThrow(
      /Access to local file denied/,
    );
    await expect(
      pdfmake
        .createPdf({ images: { logo: 'https://attacker.example/logo.png' }, content: [{ image: 'logo' }] })
        .getBuffer(),
    ).rejects.toThrow(/Access to URL denied/);
  });
});
