import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from './errors';
import type { ImageAsset } from './invoice-basis';

/**
 * A clinic's logo, as an administrator uploads it (the admin settings page) and as the portal keeps it.
 *
 * Only PNG and JPEG: raster formats that carry no script (SVG can). What an upload is, is decided by its content,
 * never by its name or declared type alone: the magic bytes and a structural parse (every PNG chunk with its CRC and
 * the IHDR header; every JPEG segment up to the end of the image and its SOFn frame header), which also gives the
 * dimensions. The parse rebuilds the file from the parts a logo needs and drops the rest — text and time chunks,
 * EXIF/XMP (camera, place, software), comments, colour profiles, thumbnails, animation and anything after the end of
 * the image — so no metadata and no trailing "polyglot" payload is kept or served.
 *
 * The pixels are not decoded and re-encoded. A pure-JS codec would add a dependency and CPU to the API function, and
 * re-encoding a JPEG loses quality; what it would add in safety, the serving already gives: the logo is served
 * same-origin with its exact type, `nosniff`, `Content-Security-Policy: default-src 'none'; sandbox` and an inline
 * disposition with a fixed name (functions/http/routes/public-routes.ts), so a browser only ever treats it as an
 * image; and the PDF renderer embeds it as the image it is. Pixel data that a decoder finds broken shows as a broken
 * image, nothing worse.
 */

export type LogoMimeType = ImageAsset['mimeType'];

export const LOGO_LIMITS = {
  /** The file as uploaded. Kept in S3 (a DynamoDB item holds at most 400 KB, and base64 would make this 683 KB). */
  maxBytes: 512 * 1024,
  minSide: 16,
  maxSide: 2000,
} as const;

/** The logo as the tenant record names it; the bytes live in the branding store under their SHA-256. */
export interface StoredLogo {
  readonly mimeType: LogoMimeType;
  /** SHA-256 (hex) of the stored (cleaned) bytes: the object's key and the served address's version. */
  readonly sha256: string;
  readonly sizeBytes: number;
  readonly width: number;
  readonly height: number;
}

/** A checked upload: the cleaned file and what it is. */
export interface CheckedLogo {
  readonly bytes: Uint8Array;
  readonly mimeType: LogoMimeType;
  readonly width: number;
  readonly height: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;
const LOGO_TYPES: readonly LogoMimeType[] = ['image/png', 'image/jpeg'];

/**
 * Checks an uploaded logo: 413 if larger than {@link LOGO_LIMITS.maxBytes}; 415 unless it is declared as PNG or JPEG
 * and its content is that type; 400 (ValidationError naming `logo`) for a file that is broken, or whose dimensions
 * are outside {@link LOGO_LIMITS}. Returns the cleaned file.
 */
export function checkLogo(bytes: Uint8Array, declaredType: string | undefined): CheckedLogo {
  if (bytes.byteLength > LOGO_LIMITS.maxBytes) {
    throw new PayloadTooLargeError(
      `The logo may be at most ${LOGO_LIMITS.maxBytes / 1024} KB (${LOGO_LIMITS.maxBytes} bytes); this file is ${bytes.byteLength} bytes.`,
    );
  }
  const declared = declaredType?.split(';')[0]?.trim().toLowerCase();
  if (!LOGO_TYPES.some((type) => type === declared)) {
    throw new UnsupportedMediaTypeError(
      `The logo must be sent as image/png or image/jpeg, not ${declared ? declared : 'without a type'}.`,
      'unsupported_image_type',
    );
  }
  const actual = sniff(bytes);
  if (!actual) {
    throw new UnsupportedMediaTypeError(
      'The logo is not a PNG or JPEG image (its content is something else).',
      'unsupported_image_type',
    );
  }
  if (actual !== declared) {
    throw new UnsupportedMediaTypeError(
      `The logo was sent as ${declared} but its content is ${actual}.`,
      'unsupported_image_type',
    );
  }
  const parsed = actual === 'image/png' ? parsePng(bytes) : parseJpeg(bytes);
  const { minSide, maxSide } = LOGO_LIMITS;
  if (parsed.width < minSide || parsed.height < minSide || parsed.width > maxSide || parsed.height > maxSide) {
    const reason = `must be ${minSide}×${minSide} to ${maxSide}×${maxSide} pixels, not ${parsed.width}×${parsed.height}`;
    throw new ValidationError(`The logo ${reason}.`, { fields: { logo: reason } });
  }
  return { ...parsed, mimeType: actual };
}

function sniff(bytes: Uint8Array): LogoMimeType | undefined {
  if (PNG_SIGNATURE.every((byte, i) => bytes[i] === byte)) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  return undefined;
}

function broken(kind: 'PNG' | 'JPEG', reason: string): ValidationError {
  const message = `is not a valid ${kind} image: ${reason}`;
  return new ValidationError(`The logo ${message}.`, { fields: { logo: message } });
}

interface ParsedImage {
  readonly bytes: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/*
 * PNG (ISO/IEC 15948): the signature, then chunks of length (4 bytes), type (4), data, CRC-32 of type and data (4).
 * IHDR first, PLTE (for palette images) before the IDAT chunks, which follow each other, IEND last.
 */

/** The chunks a logo needs to look as intended: the image, its palette and transparency, and how to read colours. */
const KEPT_PNG_CHUNKS = new Set(['IHDR', 'PLTE', 'tRNS', 'gAMA', 'cHRM', 'sRGB', 'IDAT', 'IEND']);

/** Allowed bit depths per colour type (IHDR). */
const PNG_BIT_DEPTHS: Readonly<Record<number, readonly number[]>> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};

function parsePng(bytes: Uint8Array): ParsedImage {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const kept: Uint8Array[] = [Uint8Array.from(PNG_SIGNATURE)];
  let offset: number = PNG_SIGNATURE.length;
  let size: { width: number; height: number } | undefined;
  let colourType = -1;
  let seen = { plte: false, idat: false, idatEnded: false };
  for (;;) {
    if (offset + 12 > bytes.byteLength) throw broken('PNG', 'the file ends before its IEND chunk');
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    const end = offset + 12 + length;
    if (!/^[A-Za-z]{4}$/u.test(type)) throw broken('PNG', `a chunk at byte ${offset} has no valid type`);
    if (length > 0x7fffffff || end > bytes.byteLength) throw broken('PNG', `the ${type} chunk is cut off`);
    if (crc32(bytes.subarray(offset + 4, end - 4)) !== view.getUint32(end - 4)) {
      throw broken('PNG', `the ${type} chunk's checksum is wrong`);
    }
    if (size === undefined && type !== 'IHDR') throw broken('PNG', 'it does not begin with an IHDR chunk');
    if (type === 'IHDR') {
      if (size !== undefined) throw broken('PNG', 'it has two IHDR chunks');
      if (length !== 13) throw broken('PNG', 'the IHDR chunk has the wrong length');
      size = { width: view.getUint32(offset + 8), height: view.getUint32(offset + 12) };
      const [bitDepth = -1, colour = -1, compression, filter, interlace] = bytes.subarray(offset + 16, offset + 21);
      colourType = colour;
      if (size.width === 0 || size.height === 0) throw broken('PNG', 'its width or height is 0');
      if (!PNG_BIT_DEPTHS[colour]?.includes(bitDepth)) {
        throw broken('PNG', `bit depth ${bitDepth} with colour type ${colour} does not exist`);
      }
      if (compression !== 0 || filter !== 0 || (interlace !== 0 && interlace !== 1)) {
        throw broken('PNG', 'its IHDR names an unknown compression, filter or interlace method');
      }
    } else if (type === 'PLTE') {
      if (seen.idat) throw broken('PNG', 'its palette comes after the image data');
      seen = { ...seen, plte: true };
    } else if (type === 'IDAT') {
      if (seen.idatEnded) throw broken('PNG', 'its image data is interrupted by other chunks');
      seen = { ...seen, idat: true };
    } else if (seen.idat) {
      seen = { ...seen, idatEnded: true };
    }
    // An unknown critical chunk (upper-case first letter) changes how the image is read: a decoder must refuse it.
    if (!KEPT_PNG_CHUNKS.has(type) && type.charCodeAt(0) < 0x61) {
      throw broken('PNG', `it has the unknown critical chunk ${type}`);
    }
    if (KEPT_PNG_CHUNKS.has(type)) kept.push(bytes.subarray(offset, end));
    offset = end;
    if (type === 'IEND') break;
  }
  if (!size) throw broken('PNG', 'it has no IHDR chunk');
  if (!seen.idat) throw broken('PNG', 'it has no image data (IDAT)');
  if (colourType === 3 && !seen.plte) throw broken('PNG', 'a palette image without a palette (PLTE)');
  return { bytes: concat(kept), ...size };
}

/*
 * JPEG (ITU T.81 / JFIF): markers FF xx; SOI first, then segments with a 2-byte length, a frame header (SOFn) with the
 * dimensions, one or more scans (SOS followed by entropy-coded data, in which FF is stuffed as FF 00 and restart
 * markers FF D0–D7 may occur), EOI last.
 */

/** Huffman-coded baseline, extended sequential and progressive: what browsers and PDF viewers decode. */
const SUPPORTED_SOF = new Set([0xc0, 0xc1, 0xc2]);
/** Every other SOFn: lossless, hierarchical or arithmetic-coded JPEGs, which browsers do not show. */
const OTHER_SOF = new Set([0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);
/**
 * Segments kept besides the frame and scans: JFIF (APP0) and Adobe (APP14, which says how the colours are
 * transformed), quantisation and Huffman tables, restart interval. Dropped: EXIF and XMP (APP1), colour profiles
 * (APP2), the other APPn and comments. An EXIF orientation goes with EXIF; a logo is drawn upright.
 */
const KEPT_JPEG_SEGMENTS = new Set([0xe0, 0xee, 0xdb, 0xc4, 0xdd]);

function parseJpeg(bytes: Uint8Array): ParsedImage {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const kept: Uint8Array[] = [bytes.subarray(0, 2)];
  let offset = 2;
  let size: { width: number; height: number } | undefined;
  let scans = 0;
  for (;;) {
    if (offset + 2 > bytes.byteLength) throw broken('JPEG', 'the file ends before its end-of-image marker');
    if (bytes[offset] !== 0xff) throw broken('JPEG', `no marker where one must be (byte ${offset})`);
    let markerAt = offset + 1;
    // Any number of FF fill bytes may precede a marker.
    while (bytes[markerAt] === 0xff) markerAt += 1;
    const marker = bytes[markerAt];
    if (marker === undefined) throw broken('JPEG', 'the file ends inside a marker');
    if (marker === 0xd9) {
      if (scans === 0) throw broken('JPEG', 'it ends before any image data');
      kept.push(Uint8Array.of(0xff, 0xd9));
      break;
    }
    if (marker === 0xd8 || marker === 0x00 || (marker >= 0xd0 && marker <= 0xd7)) {
      throw broken('JPEG', `an unexpected marker FF${hex(marker)} at byte ${markerAt - 1}`);
    }
    if (markerAt + 3 > bytes.byteLength) throw broken('JPEG', 'the file ends inside a segment');
    const length = view.getUint16(markerAt + 1);
    const segmentEnd = markerAt + 1 + length;
    if (length < 2 || segmentEnd > bytes.byteLength) throw broken('JPEG', `the FF${hex(marker)} segment is cut off`);
    const segment = concat([Uint8Array.of(0xff), bytes.subarray(markerAt, segmentEnd)]);
    if (OTHER_SOF.has(marker)) {
      throw broken(
        'JPEG',
        `its coding (SOF${marker - 0xc0}) is lossless, hierarchical or arithmetic, which browsers cannot show; save it as a baseline or progressive JPEG`,
      );
    }
    if (SUPPORTED_SOF.has(marker)) {
      if (size !== undefined) throw broken('JPEG', 'it has two frame headers');
      const components = bytes[markerAt + 8] ?? 0;
      if (length !== 8 + 3 * components || ![1, 3, 4].includes(components)) {
        throw broken('JPEG', 'its frame header is malformed');
      }
      size = { height: view.getUint16(markerAt + 4), width: view.getUint16(markerAt + 6) };
      if (size.width === 0 || size.height === 0) throw broken('JPEG', 'its width or height is 0');
      kept.push(segment);
      offset = segmentEnd;
    } else if (marker === 0xda) {
      if (size === undefined) throw broken('JPEG', 'image data comes before the frame header');
      const dataEnd = endOfEntropyData(bytes, segmentEnd);
      kept.push(segment, bytes.subarray(segmentEnd, dataEnd));
      scans += 1;
      offset = dataEnd;
    } else {
      if (KEPT_JPEG_SEGMENTS.has(marker)) kept.push(segment);
      offset = segmentEnd;
    }
  }
  if (!size) throw broken('JPEG', 'it has no frame header (SOFn)');
  return { bytes: concat(kept), ...size };
}

/** Where a scan's entropy-coded data ends: at the first marker that is neither a stuffed FF 00 nor a restart. */
function endOfEntropyData(bytes: Uint8Array, start: number): number {
  for (let i = start; i + 1 < bytes.byteLength; i += 1) {
    if (bytes[i] !== 0xff) continue;
    const next = bytes[i + 1] ?? 0;
    if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) {
      i += 1;
      continue;
    }
    if (next === 0xff) continue;
    return i;
  }
  throw broken('JPEG', 'the file ends inside its image data');
}

const hex = (byte: number) => byte.toString(16).toUpperCase().padStart(2, '0');

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const result = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    result.set(part, at);
    at += part.byteLength;
  }
  return result;
}

/** CRC-32 (ISO 3309, the polynomial PNG uses), table-driven. */
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
