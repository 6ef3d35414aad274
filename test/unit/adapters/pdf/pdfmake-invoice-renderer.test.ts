import fs from 'node:fs';
import { PDFDocument, PDFName, PDFNumber, PDFRawStream } from 'pdf-lib';
import pdfmake from 'pdfmake';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPdfmakeInvoiceRenderer } from '../../../../functions/adapters/pdf/pdfmake-invoice-renderer';
import { robotoFromNodeModules } from '../../../../functions/adapters/pdf/roboto-fonts';
import { formatKronor } from '../../../../functions/adapters/pdf/swedish-format';
import { UnprocessableError } from '../../../../functions/domain/errors';
import type { InvoiceBasis, InvoiceLine } from '../../../../functions/domain/invoice-basis';
import type { InvoiceRenderer, RenderedPdf } from '../../../../functions/domain/ports';
import { pages, pdfInfo, pdfText } from '../../../support/pdf-text';
import { generatedBasis, JPEG_LOGO, line, pngLogo, realisticBasis } from './invoice-basis-fixtures';

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

/** The pictures embedded in a PDF, as pixel sizes (an alpha channel's soft mask is part of its picture). */
async function embeddedImages(pdf: Uint8Array): Promise<Array<{ width: number; height: number }>> {
  const { context } = await PDFDocument.load(pdf, { updateMetadata: false });
  const images = context
    .enumerateIndirectObjects()
    .map(([, object]) => object)
    .filter((object) => object instanceof PDFRawStream)
    .filter((stream) => stream.dict.get(PDFName.of('Subtype')) === PDFName.of('Image'));
  const softMasks = new Set(images.map((image) => context.lookup(image.dict.get(PDFName.of('SMask')))));
  return images
    .filter((image) => !softMasks.has(image))
    .map((image) => ({
      width: image.dict.lookup(PDFName.of('Width'), PDFNumber).asNumber(),
      height: image.dict.lookup(PDFName.of('Height'), PDFNumber).asNumber(),
    }));
}

let renderer: InvoiceRenderer;

beforeAll(() => {
  renderer = createPdfmakeInvoiceRenderer();
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a realistic invoice basis', () => {
  let rendered: RenderedPdf;
  let pdf: Uint8Array;
  let text: string;

  beforeAll(async () => {
    rendered = await renderer.render(realisticBasis);
    pdf = rendered.pdf;
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
    expect(text).toMatch(phrase('Datum Anställd Tjänst'));
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

  it('groups lines per cost centre, then employee, with a subtotal per employee and per cost centre', () => {
    // Without a cost centre: Anna Öberg 1 950 + 650 - 1 950 and Björn Åström 1 875 + 2 800, together 5 325.
    // Kst 110 Produktion: one visit without an employee, 4 350.
    expect(text).toMatch(phrase('Summa Anna Öberg 650,00'));
    expect(text).toMatch(phrase('Summa Björn Åström 4 675,00'));
    expect(text).toMatch(phrase('Summa Utan kostnadsställe 5 325,00'));
    expect(text).toMatch(phrase('Summa Övrigt 4 350,00'));
    expect(text).toMatch(phrase('Summa Kst 110 Produktion 4 350,00'));
    expect(text.indexOf('Utan kostnadsställe')).toBeLessThan(text.indexOf('Anna Öberg'));
    expect(text.indexOf('Summa Björn Åström')).toBeLessThan(text.indexOf('Kst 110 Produktion'));
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

  it('numbers its pages, and reports the page count', () => {
    expect(text).toMatch(phrase('Sida 1 av 1'));
    expect(rendered.pageCount).toBe(1);
  });

  it('names itself "Fakturaunderlag" in the footer, and has no logo or references it was not given', () => {
    expect(text).toMatch(phrase('Norra Företagshälsan AB · Fakturaunderlag 2024-0102'));
    expect(text).not.toContain('Kreditunderlag');
    expect(text).not.toContain('Vår referens');
    expect(text).not.toContain('Avtal');
  });

  it('has title, author, subject and the invoice date as creation date, without any line data', async () => {
    const info = await pdfInfo(pdf);
    // pdfinfo prints the date in the machine's time zone; midnight UTC is 15 January anywhere in Europe.
    expect(info.CreationDate).toMatch(/^Mon Jan 15 \d\d:\d\d:\d\d 2024/u);
    expect(info.Title).toBe('Fakturaunderlag 2024-0102');
    expect(info.Author).toBe('Norra Företagshälsan AB');
    expect(info.Subject).toBe('Fakturaunderlag för Åkerströms Måleri AB, period 2024-01-01 – 2024-01-15');
    expect(info.Pages).toBe('1');
  });

  it('renders the same basis to the same bytes, so the content hash is stable', async () => {
    const again = await renderer.render(realisticBasis);
    expect(Buffer.from(again.pdf).equals(Buffer.from(pdf))).toBe(true);
  });
});

describe('an invoice basis without lines', () => {
  it('says so and totals to zero', async () => {
    const text = await pdfText((await renderer.render({ ...realisticBasis, lines: [] })).pdf);

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
    await expect(renderer.render(realisticBasis)).resolves.toMatchObject({ pageCount: 1 });
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
  let reportedPageCount: number;

  beforeAll(async () => {
    const rendered = await renderer.render(basis);
    reportedPageCount = rendered.pageCount;
    text = await pdfText(rendered.pdf);
    pageTexts = pages(text);
  });

  it('has 300 lines on several pages, each numbered "Sida n av N", N being the page count it reports', () => {
    expect(lines).toHaveLength(300);
    const pageCount = pageTexts.length;
    expect(pageCount).toBeGreaterThan(2);
    expect(reportedPageCount).toBe(pageCount);
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

    const text = await pdfText((await renderer.render(hostile)).pdf);

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

describe('a credit basis (kreditunderlag)', () => {
  const credit: InvoiceBasis = {
    ...realisticBasis,
    documentType: 'kreditunderlag',
    invoiceNumber: '2024-0102-K',
    description: 'Kreditering av fakturaunderlag 2024-0102',
    lines: realisticBasis.lines.map((original) => ({
      ...original,
      quantity: -original.quantity,
      amount: -original.amount,
    })),
  };
  let pdf: Uint8Array;
  let text: string;

  beforeAll(async () => {
    pdf = (await renderer.render(credit)).pdf;
    text = await pdfText(pdf);
  });

  it('is titled "Kreditunderlag" in the heading, the footer and the metadata', async () => {
    const heading = text.slice(0, text.indexOf('Kund'));
    expect(heading).toContain('Kreditunderlag');
    expect(heading).not.toContain('Fakturaunderlag');
    expect(text).toMatch(phrase('Norra Företagshälsan AB · Kreditunderlag 2024-0102-K'));
    const info = await pdfInfo(pdf);
    expect(info.Title).toBe('Kreditunderlag 2024-0102-K');
    expect(info.Subject).toBe('Kreditunderlag för Åkerströms Måleri AB, period 2024-01-01 – 2024-01-15');
  });

  it('totals to the negative amount', () => {
    expect(text).toMatch(phrase('Att betala -11 231,25 kr'));
  });

  it('repeats its title on the following pages', async () => {
    const long = await renderer.render({ ...generatedBasis(200), documentType: 'kreditunderlag' });
    const following = pages(await pdfText(long.pdf)).slice(1);

    expect(following.length).toBeGreaterThan(0);
    for (const page of following) expect(page).toMatch(phrase('Kreditunderlag 2024-00200 · Period'));
  });
});

describe('the clinic’s references', () => {
  it('are printed with the invoice facts, a long agreement wrapping inside its column', async () => {
    const agreement = 'Ramavtal företagshälsovård 2023–2026, dnr 2023/0457, inklusive tilläggsavtal rehabilitering';
    const text = await pdfText(
      (await renderer.render({ ...realisticBasis, clinicReferences: { ourReference: 'Karin Ek', agreement } })).pdf,
    );

    expect(text).toMatch(phrase('Vår referens Karin Ek'));
    expect(text).toMatch(phrase('Avtal Ramavtal företagshälsovård'));
    expect(text).toContain('tilläggsavtal');
    // The customer's column keeps its width: its facts still fit on their lines.
    expect(text).toMatch(phrase('Er referens Lena Sandberg'));
    expect(text).toMatch(phrase('Fakturanummer 2024-0102'));
  });

  it('are left out one by one when absent', async () => {
    const text = await pdfText(
      (await renderer.render({ ...realisticBasis, clinicReferences: { ourReference: 'Karin Ek' } })).pdf,
    );

    expect(text).toMatch(phrase('Vår referens Karin Ek'));
    expect(text).not.toContain('Avtal');
  });
});

describe('the clinic logo', () => {
  const withLogo = (logo: InvoiceBasis['clinic']['logo']): InvoiceBasis => ({
    ...realisticBasis,
    clinic: { ...realisticBasis.clinic, ...(logo ? { logo } : {}) },
  });

  it('embeds a PNG (with transparency) and a JPEG, with no URL fetched and no file but the fonts read', async () => {
    const allowedFiles = robotoFromNodeModules().allowedLocalFiles;
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const readSpy = vi.spyOn(fs, 'readFileSync');

    const png = await renderer.render(withLogo(pngLogo(40, 10, [31, 95, 139, 200])));
    const jpeg = await renderer.render(withLogo(JPEG_LOGO));

    expect(await embeddedImages(png.pdf)).toEqual([{ width: 40, height: 10 }]);
    expect(await embeddedImages(jpeg.pdf)).toEqual([{ width: 24, height: 8 }]);
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(readSpy.mock.calls.map(([path]) => String(path)).filter((path) => !allowedFiles.has(path))).toEqual([]);
  });

  it('sits in the heading at a fixed size: a logo 100 times larger lays out the page identically', async () => {
    const small = await renderer.render(withLogo(pngLogo(20, 4, [0, 0, 0, 255])));
    const large = await renderer.render(withLogo(pngLogo(2000, 400, [0, 0, 0, 255])));
    const bare = await renderer.render(withLogo(undefined));

    expect(await pdfText(large.pdf)).toBe(await pdfText(small.pdf));
    // …and it does take room: without it the page is laid out differently.
    expect(await pdfText(small.pdf)).not.toBe(await pdfText(bare.pdf));
  });

  it('renders to the same bytes every time', async () => {
    const basis = withLogo(JPEG_LOGO);
    const [first, second] = [await renderer.render(basis), await renderer.render(basis)];

    expect(Buffer.from(first.pdf).equals(Buffer.from(second.pdf))).toBe(true);
  });

  it('is refused unless its bytes are the declared image type, so a path or URL can never reach pdfmake', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const text = (value: string) => Buffer.from(value).toString('base64');
    const disguised = [
      { mimeType: 'image/png', base64: text('/etc/passwd') },
      { mimeType: 'image/png', base64: text('https://attacker.example/logo.png') },
      { mimeType: 'image/jpeg', base64: pngLogo(4, 4, [0, 0, 0, 255]).base64 },
      { mimeType: 'image/png', base64: 'data:image/png;base64,iVBORw0KGgo=' },
    ] as const;

    for (const logo of disguised) {
      const rendering = renderer.render(withLogo(logo));
      await expect(rendering).rejects.toThrow(UnprocessableError);
      await expect(rendering).rejects.toMatchObject({ code: 'invalid_logo' });
    }
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('is the only thing that becomes an image: text naming the logo’s image key stays text', async () => {
    const basis: InvoiceBasis = {
      ...withLogo(undefined),
      description: 'clinicLogo',
      lines: [line({ employee: 'clinicLogo', serviceText: 'clinicLogo', quantity: 1, unitPrice: 100_00, vatRate: 0 })],
    };

    const { pdf } = await renderer.render(basis);

    expect(await embeddedImages(pdf)).toEqual([]);
    expect(await pdfText(pdf)).toMatch(phrase('Summa clinicLogo 100,00'));
  });
});

describe('a large customer’s month, grouped by cost centre and employee', () => {
  const basis = generatedBasis(400);
  let text: string;
  let pageTexts: string[];

  beforeAll(async () => {
    text = await pdfText((await renderer.render(basis)).pdf);
    pageTexts = pages(text);
  });

  it('shows every cost centre once, with its subtotal, and the employees within it with theirs', () => {
    const costCentres = new Map<string, number>();
    const employees = new Map<string, number>();
    for (const l of basis.lines) {
      const costCentre = l.costCentre ?? 'Utan kostnadsställe';
      costCentres.set(costCentre, (costCentres.get(costCentre) ?? 0) + l.amount);
      const employee = `${costCentre}|${l.employee ?? 'Övrigt'}`;
      employees.set(employee, (employees.get(employee) ?? 0) + l.amount);
    }
    expect(costCentres.size).toBeGreaterThan(5);
    for (const [costCentre, subtotal] of costCentres) {
      expect(text).toMatch(phrase(`Summa ${costCentre} ${formatKronor(subtotal).replace(' kr', '')}`));
    }
    for (const [key, subtotal] of employees) {
      const employee = key.split('|')[1] ?? '';
      expect(text).toMatch(phrase(`Summa ${employee} ${formatKronor(subtotal).replace(' kr', '')}`));
    }
  });

  it('prints the cost centres in the order they first appear, each employee under its own', () => {
    const order = [...new Set(basis.lines.map((l) => l.costCentre ?? 'Utan kostnadsställe'))];
    const headingAt = (label: string) => text.search(new RegExp(`\\n\\s*${label}\\s*\\n`, 'u'));
    const positions = order.map(headingAt);

    expect(positions.every((position) => position >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('never ends a page with a heading of a cost centre or an employee', () => {
    for (const page of pageTexts.slice(0, -1)) {
      const rows = page.split('\n').filter((row) => row.trim() !== '' && !/Sida \d+ av \d+/u.test(row));
      expect(rows.at(-1)?.trim()).not.toMatch(/^(Kst \d+ .*|Utan kostnadsställe|.* \(\d{5}\))$/u);
    }
  });
});
