import { describe, expect, it } from 'vitest';
import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '../../../functions/domain/errors';
import { checkLogo, LOGO_LIMITS } from '../../../functions/domain/logo';
import { JPEG_40x24, jpegSegment, jpegWith, pngChunk, pngImage } from '../../support/logo-images';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** An IHDR for a 32×32 image with the given bit depth, colour type and interlace method. */
function header(bitDepth: number, colourType: number, interlace = 0): Buffer {
  const data = Buffer.alloc(13);
  data.writeUInt32BE(32, 0);
  data.writeUInt32BE(32, 4);
  data.set([bitDepth, colourType, 0, 0, interlace], 8);
  return pngChunk('IHDR', data);
}

/** A PNG of the given chunks (the IDAT content is never decoded by the check, so any bytes do). */
const png = (...chunks: Buffer[]) => Buffer.concat([PNG_SIGNATURE, ...chunks]);
const idat = pngChunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00]));
const iend = pngChunk('IEND');

/** The chunk types of a PNG, in order. */
function chunkTypes(bytes: Uint8Array): string[] {
  const buffer = Buffer.from(bytes);
  const types: string[] = [];
  for (let offset = 8; offset < buffer.byteLength; offset += 12 + buffer.readUInt32BE(offset)) {
    types.push(buffer.toString('latin1', offset + 4, offset + 8));
  }
  return types;
}

const errorOf = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('Expected the check to throw.');
};

describe('the size limit', () => {
  it('takes a file of exactly the limit and refuses one byte more with 413', () => {
    const exactly = pngImage(20, 20, { after: Buffer.alloc(LOGO_LIMITS.maxBytes - pngImage(20, 20).byteLength) });
    const over = Buffer.concat([exactly, Buffer.alloc(1)]);

    expect(checkLogo(exactly, 'image/png').bytes).toEqual(new Uint8Array(pngImage(20, 20)));
    expect(errorOf(() => checkLogo(over, 'image/png'))).toBeInstanceOf(PayloadTooLargeError);
  });
});

describe('the declared type', () => {
  it('is read without parameters and case', () => {
    expect(checkLogo(pngImage(20, 20), 'Image/PNG; charset=binary').mimeType).toBe('image/png');
  });

  it('must be PNG or JPEG (415), also when the content is one', () => {
    const error = errorOf(() => checkLogo(pngImage(20, 20), undefined));

    expect(error).toBeInstanceOf(UnsupportedMediaTypeError);
    expect((error as UnsupportedMediaTypeError).message).toBe(
      'The logo must be sent as image/png or image/jpeg, not without a type.',
    );
  });
});

describe('PNG', () => {
  it('keeps the image, its palette, transparency and colour chunks; drops profiles, text, EXIF and the rest', () => {
    const uploaded = png(
      header(8, 3),
      pngChunk('iCCP', Buffer.from('profile\0\0xyz')),
      pngChunk('gAMA', Buffer.alloc(4)),
      pngChunk('sRGB', Buffer.from([0])),
      pngChunk('PLTE', Buffer.alloc(6)),
      pngChunk('tRNS', Buffer.from([0])),
      pngChunk('pHYs', Buffer.alloc(9)),
      pngChunk('eXIf', Buffer.from('MM\0*')),
      idat,
      pngChunk('iTXt', Buffer.from('Comment\0\0\0\0\0hej')),
      iend,
    );

    expect(chunkTypes(checkLogo(uploaded, 'image/png').bytes)).toEqual([
      'IHDR',
      'gAMA',
      'sRGB',
      'PLTE',
      'tRNS',
      'IDAT',
      'IEND',
    ]);
  });

  it('takes an interlaced image and 16-bit colour', () => {
    expect(checkLogo(png(header(16, 6, 1), idat, iend), 'image/png')).toMatchObject({ width: 32, height: 32 });
  });

  it.each([
    ['a bit depth its colour type does not have', png(header(4, 2), idat, iend), 'bit depth 4 with colour type 2'],
    ['a palette image without a palette', png(header(8, 3), idat, iend), 'without a palette'],
    [
      'an unknown critical chunk (Apple CgBI)',
      png(pngChunk('CgBI', Buffer.alloc(4)), header(8, 6), idat, iend),
      'IHDR',
    ],
    [
      'an unknown critical chunk after the header',
      png(header(8, 6), pngChunk('ABCD'), idat, iend),
      'critical chunk ABCD',
    ],
    ['no image data', png(header(8, 6), iend), 'no image data'],
    [
      'image data interrupted',
      png(header(8, 6), idat, pngChunk('tEXt', Buffer.from('a\0b')), idat, iend),
      'interrupted',
    ],
    ['no end', png(header(8, 6), idat), 'ends before its IEND'],
  ])('refuses %s with 400 naming it', (_, bytes, reason) => {
    const error = errorOf(() => checkLogo(bytes, 'image/png'));

    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toContain(reason);
  });
});

/** The fixture's frame header (SOF0) and first scan header (SOS) offsets. */
const sofAt = JPEG_40x24.indexOf(Buffer.from([0xff, 0xc0]));
const sosAt = JPEG_40x24.indexOf(Buffer.from([0xff, 0xda]));

describe('JPEG', () => {
  it('follows several scans with tables between them (as progressive JPEGs have), stuffed bytes and restarts', () => {
    const end = JPEG_40x24.byteLength - 2;
    const secondScan = Buffer.concat([
      jpegSegment(0xc4, JPEG_40x24.subarray(JPEG_40x24.indexOf(Buffer.from([0xff, 0xc4])) + 4, sosAt)),
      JPEG_40x24.subarray(sosAt, sosAt + 14),
      Buffer.from([0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56]),
    ]);
    const progressive = Buffer.from(JPEG_40x24);
    progressive[sofAt + 1] = 0xc2;
    const uploaded = Buffer.concat([
      progressive.subarray(0, end),
      secondScan,
      Buffer.from([0xff, 0xd9]),
      Buffer.from('trailing bytes'),
    ]);

    const checked = checkLogo(uploaded, 'image/jpeg');

    expect(Buffer.from(checked.bytes)).toEqual(uploaded.subarray(0, uploaded.byteLength - 'trailing bytes'.length));
    expect(checked).toMatchObject({ width: 40, height: 24 });
  });

  it('refuses arithmetic-coded, lossless and hierarchical JPEGs, which browsers cannot show', () => {
    const arithmetic = Buffer.from(JPEG_40x24);
    arithmetic[sofAt + 1] = 0xc9;

    const error = errorOf(() => checkLogo(arithmetic, 'image/jpeg'));

    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toContain('SOF9');
  });

  it('refuses a frame header with an impossible number of components', () => {
    const twoComponents = Buffer.from(JPEG_40x24);
    twoComponents[sofAt + 9] = 2;

    expect((errorOf(() => checkLogo(twoComponents, 'image/jpeg')) as Error).message).toContain('frame header');
  });

  it('refuses image data before the frame header', () => {
    const scanFirst = jpegWith(JPEG_40x24, [JPEG_40x24.subarray(sosAt, sosAt + 14)]);

    expect((errorOf(() => checkLogo(scanFirst, 'image/jpeg')) as Error).message).toContain('before the frame header');
  });
});
