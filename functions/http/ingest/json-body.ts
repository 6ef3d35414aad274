import { gunzipSync } from 'node:zlib';
import type { MiddlewareHandler } from 'hono';
import { PayloadTooLargeError, ValidationError } from '../../domain/errors';
import { UnsupportedMediaTypeError } from '../validation';
import type { IngestEnv } from './ingest-env';

export interface JsonBodyLimits {
  /** Bytes as sent (compressed, if gzip). */
  readonly maxBytes: number;
  /** Bytes after decompression: a small gzip body can expand enormously (a "zip bomb"). */
  readonly maxDecodedBytes: number;
}

const megabytes = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

/**
 * Reads a JSON request body the ingest way, before any route sees it: 415 for another content type or encoding,
 * 413 when it is larger than the limit (compressed or decompressed), 400 for malformed JSON with the position.
 * `Content-Encoding: gzip` is accepted because a 20,000-line invoice basis is ~5 MB of JSON but ~0.3 MB gzipped.
 * The decoded text is handed to the routes' schema validation through Hono's body cache.
 */
export function jsonBody(limits: JsonBodyLimits): MiddlewareHandler<IngestEnv> {
  return async function jsonBody(c, next) {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const contentType = c.req.header('Content-Type');
    const isJson = contentType !== undefined && /^application\/json\s*(;|$)/iu.test(contentType);
    // Refused before reading: a body of the wrong type is not worth receiving.
    if (contentType !== undefined && !isJson) throw new UnsupportedMediaTypeError();
    const encoding = (c.req.header('Content-Encoding') ?? 'identity').trim().toLowerCase();
    if (encoding !== 'identity' && encoding !== 'gzip') {
      throw new UnsupportedMediaTypeError(`Content-Encoding ${encoding} is not supported; send gzip or nothing.`);
    }
    const declaredLength = Number(c.req.header('Content-Length') ?? Number.NaN);
    if (declaredLength > limits.maxBytes) throw tooLarge(limits.maxBytes, encoding);
    const raw = await readAtMost(c.req.raw, limits.maxBytes);
    if (!raw) throw tooLarge(limits.maxBytes, encoding);
    // A POST without a body (upload-complete) has nothing to parse, whatever it declares; a route that needs a body
    // still refuses the empty one in its schema validation. Any bytes at all must be declared JSON.
    if (raw.byteLength === 0) {
      c.req.bodyCache = { text: Promise.resolve('') as unknown as string };
      return next();
    }
    if (!isJson) throw new UnsupportedMediaTypeError();
    const decoded = encoding === 'gzip' ? gunzip(raw, limits.maxDecodedBytes) : raw;
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(decoded);
      JSON.parse(text);
    } catch (error) {
      throw new ValidationError(
        `The request body is not valid JSON: ${error instanceof Error ? error.message : 'unreadable'}.`,
      );
    }
    c.set('decodedBody', decoded);
    // Hono's validators read `c.req.json()`, which parses the cached text: hand them the decoded text, not the
    // (possibly gzipped) bytes read above. Hono keeps promises in this cache although its type says plain values.
    c.req.bodyCache = { text: Promise.resolve(text) as unknown as string };
    await next();
  };
}

/**
 * Reads the body, giving up as soon as it exceeds `maxBytes` (a chunked body has no Content-Length to check first,
 * and must not be buffered whole just to be refused). Undefined when it is too large.
 */
async function readAtMost(request: Request, maxBytes: number): Promise<Uint8Array | undefined> {
  if (!request.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

function gunzip(compressed: Uint8Array, maxDecodedBytes: number): Uint8Array {
  try {
    return gunzipSync(compressed, { maxOutputLength: maxDecodedBytes });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new PayloadTooLargeError(`The decompressed request body may be at most ${megabytes(maxDecodedBytes)}.`);
    }
    throw new ValidationError('The request body is not valid gzip data.');
  }
}

function tooLarge(maxBytes: number, encoding: string): PayloadTooLargeError {
  const hint = encoding === 'gzip' ? '' : ' Compress it with Content-Encoding: gzip, or split it up.';
  return new PayloadTooLargeError(`The request body may be at most ${megabytes(maxBytes)}.${hint}`);
}
