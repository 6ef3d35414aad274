import { crc32, deflateSync } from 'node:zlib';
import type { ImageAsset, InvoiceBasis, InvoiceLine } from '../../../../functions/domain/invoice-basis';

/** Invoice bases for the renderer's tests, the PDF inspector's tests and the render benchmark. */

export const line = (overrides: Partial<InvoiceLine> & Pick<InvoiceLine, 'quantity' | 'unitPrice' | 'vatRate'>) =>
  ({
    date: '2024-01-08',
    serviceCode: 'HU01',
    serviceText: 'Hälsoundersökning',
    performer: 'Karin Ek, företagssköterska',
    amount: Math.round(overrides.quantity * overrides.unitPrice),
    ...overrides,
  }) satisfies InvoiceLine;

/** One page: employees and a cost centre, VAT-exempt and 25 % services, a credited line. */
export const realisticBasis: InvoiceBasis = {
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
  documentType: 'fakturaunderlag',
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

const FIRST_NAMES = ['Anna', 'Björn', 'Åsa', 'Örjan', 'Märta', 'Lars', 'Karin', 'Per', 'Eva', 'Mikael', 'Sofia'];
const LAST_NAMES = ['Öberg', 'Åström', 'Lindqvist', 'Sjöberg', 'Ekström', 'Bäckman', 'Nyström', 'Söderberg', 'Ågren'];
const COST_CENTRES = [
  'Kst 110 Produktion',
  'Kst 120 Lager och logistik',
  'Kst 210 Administration',
  'Kst 310 Försäljning',
  'Kst 410 Service och underhåll',
  'Kst 510 Ledning',
];
const SERVICES = [
  { code: 'HU01', text: 'Hälsoundersökning', unitPrice: 1_950_00, vatRate: 0, by: 'Karin Ek, företagssköterska' },
  { code: 'HT01', text: 'Hörselkontroll', unitPrice: 650_00, vatRate: 0, by: 'Karin Ek, företagssköterska' },
  { code: 'EB01', text: 'Ergonomisk bedömning', unitPrice: 1_250_00, vatRate: 25, by: 'Mikael Ström, ergonom' },
  { code: 'SS01', text: 'Samtalsstöd', unitPrice: 1_400_00, vatRate: 0, by: 'Sara Holm, psykolog' },
  { code: 'LK01', text: 'Läkarkonsultation', unitPrice: 2_400_00, vatRate: 0, by: 'Johan Berg, företagsläkare' },
  {
    code: 'VA01',
    text: 'Vaccination mot influensa',
    unitPrice: 350_00,
    vatRate: 25,
    by: 'Karin Ek, företagssköterska',
  },
  { code: 'SY01', text: 'Synundersökning bildskärmsarbete', unitPrice: 550_00, vatRate: 0, by: 'Eva Lund, optiker' },
  { code: 'RH01', text: 'Rehabiliteringsmöte', unitPrice: 1_800_00, vatRate: 0, by: 'Sara Holm, psykolog' },
] as const;
/** Hours for the services billed by time; everything else is one visit. */
const QUANTITIES: Readonly<Record<string, number>> = { EB01: 1.5, SS01: 2, RH01: 1.5 };

export const LINES_PER_EMPLOYEE = 8;

/**
 * A large customer's month, deterministic for a given size: employees of ~8 lines each (name and employee number,
 * spread over six cost centres, every 13th without a cost centre), and now and then a visit billed to a cost centre
 * without an employee. Lines come in employee order, as a practice system exports them.
 */
export function generatedBasis(lineCount: number, overrides: Partial<InvoiceBasis> = {}): InvoiceBasis {
  const lines: InvoiceLine[] = [];
  for (let employeeIndex = 0; lines.length < lineCount; employeeIndex += 1) {
    const costCentre = employeeIndex % 13 === 12 ? undefined : COST_CENTRES[employeeIndex % COST_CENTRES.length];
    const visitOnly = employeeIndex % 29 === 28;
    const employee = visitOnly
      ? undefined
      : `${FIRST_NAMES[employeeIndex % FIRST_NAMES.length]} ${LAST_NAMES[(employeeIndex * 5) % LAST_NAMES.length]} (${10_000 + employeeIndex})`;
    for (let index = 0; index < LINES_PER_EMPLOYEE && lines.length < lineCount; index += 1) {
      const service = visitOnly
        ? { code: 'AM01', text: 'Arbetsmiljöbesök', unitPrice: 1_450_00, vatRate: 25, by: 'Mikael Ström, ergonom' }
        : SERVICES[(employeeIndex + index) % SERVICES.length];
      if (!service) throw new Error('unreachable: the index is taken modulo the list length');
      lines.push(
        line({
          date: `2024-03-${String(1 + ((employeeIndex * 3 + index * 4) % 31)).padStart(2, '0')}`,
          ...(employee ? { employee } : {}),
          ...(costCentre ? { costCentre } : {}),
          serviceCode: service.code,
          serviceText: service.text,
          performer: service.by,
          quantity: QUANTITIES[service.code] ?? 1,
          unitPrice: service.unitPrice,
          vatRate: service.vatRate,
        }),
      );
    }
  }
  return {
    ...realisticBasis,
    invoiceNumber: `2024-${String(lineCount).padStart(5, '0')}`,
    invoiceDate: '2024-03-31',
    periodFrom: '2024-03-01',
    periodTo: '2024-03-31',
    description: 'Fakturering mars 2024',
    lines,
    ...overrides,
  };
}

/**
 * A real PNG of one colour with an alpha channel, encoded here (signature, IHDR, IDAT, IEND), so tests need no image
 * files and can choose the size.
 */
export function pngLogo(width: number, height: number, rgba: readonly [number, number, number, number]): ImageAsset {
  const chunk = (type: string, data: Buffer) => {
    const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const checksum = Buffer.alloc(4);
    checksum.writeUInt32BE(crc32(typeAndData));
    return Buffer.concat([length, typeAndData, checksum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8 bits per channel, RGBA, deflate, no filter method, not interlaced
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgba).flat())]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', pixels),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  return { mimeType: 'image/png', base64: png.toString('base64') };
}

/** A real 24 × 8 px JPEG (a blue bar with a light box), made once with a browser's canvas. */
export const JPEG_LOGO: ImageAsset = {
  mimeType: 'image/jpeg',
  base64:
    '/9j/4AAQSkZJRgABAQAAAQABAAD/4gHYSUNDX1BST0ZJTEUAAQEAAAHIAAAAAAQwAABtbnRyUkdCIFhZWiAH4AABAAEAAAAAAABhY3NwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQAA9tYAAQAAAADTLQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAlkZXNjAAAA8AAAACRyWFlaAAABFAAAABRnWFlaAAABKAAAABRiWFlaAAABPAAAABR3dHB0AAABUAAAABRyVFJDAAABZAAAAChnVFJDAAABZAAAAChiVFJDAAABZAAAAChjcHJ0AAABjAAAADxtbHVjAAAAAAAAAAEAAAAMZW5VUwAAAAgAAAAcAHMAUgBHAEJYWVogAAAAAAAAb6IAADj1AAADkFhZWiAAAAAAAABimQAAt4UAABjaWFlaIAAAAAAAACSgAAAPhAAAts9YWVogAAAAAAAA9tYAAQAAAADTLXBhcmEAAAAAAAQAAAACZmYAAPKnAAANWQAAE9AAAApbAAAAAAAAAABtbHVjAAAAAAAAAAEAAAAMZW5VUwAAACAAAAAcAEcAbwBvAGcAbABlACAASQBuAGMALgAgADIAMAAxADb/2wBDAA0JCgsKCA0LCgsODg0PEyAVExISEyccHhcgLikxMC4pLSwzOko+MzZGNywtQFdBRkxOUlNSMj5aYVpQYEpRUk//2wBDAQ4ODhMREyYVFSZPNS01T09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT0//wAARCAAIABgDASIAAhEBAxEB/8QAFgABAQEAAAAAAAAAAAAAAAAAAAYF/8QAFxABAAMAAAAAAAAAAAAAAAAAABMm8P/EABUBAQEAAAAAAAAAAAAAAAAAAAIF/8QAFxEAAwEAAAAAAAAAAAAAAAAAAAISQf/aAAwDAQACEQMRAD8AwlhStMCiy1pNVpwjwCAf/9k=',
};
