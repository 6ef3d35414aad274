import { crc32, deflateSync } from 'node:zlib';

/*
 * Image files for logo tests, made independently of the portal's own parser (functions/domain/logo.ts): PNGs built
 * here with node:zlib, and a JPEG encoded once by a JPEG encoder and kept as bytes.
 */

/** One PNG chunk: length, type, data, CRC-32 of type and data. */
export function pngChunk(type: string, data: Uint8Array = new Uint8Array()): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.byteLength);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * A real RGB PNG of `width` × `height` (left half the demo green, right half white). `beforeImage` chunks go between
 * IHDR and IDAT (metadata, say); `after` bytes follow IEND.
 */
export function pngImage(
  width: number,
  height: number,
  options: { readonly beforeImage?: readonly Buffer[]; readonly after?: Uint8Array } = {},
): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.alloc(height * (1 + width * 3));
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const at = y * (1 + width * 3) + 1 + x * 3;
      rows.set(x < width / 2 ? [0x0e, 0x6e, 0x5c] : [0xff, 0xff, 0xff], at);
    }
  }
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', header),
    ...(options.beforeImage ?? []),
    pngChunk('IDAT', deflateSync(rows)),
    pngChunk('IEND'),
    Buffer.from(options.after ?? []),
  ]);
}

/** A 40×24 baseline JPEG (JFIF), left half green, right half white, 713 bytes. */
export const JPEG_40x24 = Buffer.from(
  '/9j/4AAQSkZJRgABAQAAAQABAAD/2wCEAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSgBBwcHCggKEwoKEygaFhooKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKP/AABEIABgAKAMBEQACEQEDEQH/xAGiAAABBQEBAQEBAQAAAAAAAAAAAQIDBAUGBwgJCgsQAAIBAwMCBAMFBQQEAAABfQECAwAEEQUSITFBBhNRYQcicRQygZGhCCNCscEVUtHwJDNicoIJChYXGBkaJSYnKCkqNDU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6g4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2drh4uPk5ebn6Onq8fLz9PX29/j5+gEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoLEQACAQIEBAMEBwUEBAABAncAAQIDEQQFITEGEkFRB2FxEyIygQgUQpGhscEJIzNS8BVictEKFiQ04SXxFxgZGiYnKCkqNTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqCg4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2dri4+Tl5ufo6ery8/T19vf4+fr/2gAMAwEAAhEDEQA/APPq6D4kKAPdf2YP+Zl/7dv/AGrWdQ9vJ/t/L9T3Wsz2woA+Fa6D4kKAPdf2YP8AmZf+3b/2rWdQ9vJ/t/L9T3Wsz2woA+Fa6D4kKAPdf2YP+Zl/7dv/AGrWdQ9vJ/t/L9T3Wsz2woA//9k=',
  'base64',
);

/** A JPEG segment: FF, marker, 2-byte length (which counts itself), data. */
export function jpegSegment(marker: number, data: Uint8Array): Buffer {
  const head = Buffer.alloc(4);
  head.set([0xff, marker]);
  head.writeUInt16BE(data.byteLength + 2, 2);
  return Buffer.concat([head, data]);
}

/** The JPEG with `segments` inserted right after its SOI marker (EXIF, comments…). */
export function jpegWith(jpeg: Buffer, segments: readonly Buffer[]): Buffer {
  return Buffer.concat([jpeg.subarray(0, 2), ...segments, jpeg.subarray(2)]);
}
