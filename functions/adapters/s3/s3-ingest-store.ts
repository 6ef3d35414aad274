import {
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { PayloadTooLargeError } from '../../domain/errors';
import type { Clock, IngestStore } from '../../domain/ports';
import { objectKeys } from './keys';

/**
 * An upload URL may live up to 15 minutes — longer than SECURITY.md's 60 s download links, because it can only
 * write this one key, with exactly the signed length and type, and reveals nothing: whoever holds it can put one
 * PDF where the portal will check it before anyone sees it, and can read nothing. A large file on a slow line
 * needs the time.
 */
export const MAX_UPLOAD_PRESIGN_SECONDS = 15 * 60;

const PDF_CONTENT_TYPE = 'application/pdf';

export interface S3IngestStoreOptions {
  readonly client: S3Client;
  readonly bucket: string;
  /** URLs are signed at the clock's time, so tests can prove that an expired upload URL is refused. */
  readonly clock: Clock;
}

/** The practice system's input under `tenants/<t>/ingest/`: invoice-basis JSON and uploaded PDFs. */
export const s3IngestStore =
  ({ client, bucket, clock }: S3IngestStoreOptions) =>
  (tenantId: string): IngestStore => {
    const getObject = async (key: string): Promise<GetObjectCommandOutput | undefined> => {
      try {
        return await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      } catch (error) {
        if (error instanceof NoSuchKey) return undefined;
        throw error;
      }
    };

    return {
      async putPayload(documentId, json) {
        await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: objectKeys.ingestPayload(tenantId, documentId),
            Body: json,
            ContentType: 'application/json',
          }),
        );
      },

      async getPayload(documentId) {
        const object = await getObject(objectKeys.ingestPayload(tenantId, documentId));
        return object?.Body ? await object.Body.transformToByteArray() : undefined;
      },

      async presignPdfUpload(documentId, { sizeBytes, expiresInSeconds }) {
        if (!Number.isSafeInteger(sizeBytes) || sizeBytes < 1) {
          throw new RangeError(
            `An upload must announce its size as a positive whole number of bytes, not ${sizeBytes}.`,
          );
        }
        if (
          !Number.isInteger(expiresInSeconds) ||
          expiresInSeconds < 1 ||
          expiresInSeconds > MAX_UPLOAD_PRESIGN_SECONDS
        ) {
          throw new RangeError(
            `An upload URL may live 1 to ${MAX_UPLOAD_PRESIGN_SECONDS} seconds, not ${expiresInSeconds}.`,
          );
        }
        const headers = { 'Content-Type': PDF_CONTENT_TYPE, 'Content-Length': String(sizeBytes) };
        const command = new PutObjectCommand({
          Bucket: bucket,
          Key: objectKeys.ingestUpload(tenantId, documentId),
          ContentType: PDF_CONTENT_TYPE,
          ContentLength: sizeBytes,
        });
        withoutPresignedChecksum(command);
        const signedAt = clock.now();
        const url = await getSignedUrl(client, command, {
          expiresIn: expiresInSeconds,
          signingDate: signedAt,
          // The presigner leaves Content-Type unsigned by default; signing both headers makes S3 refuse an upload
          // of any other length or type with 403 instead of storing it.
          signableHeaders: new Set(Object.keys(headers).map((name) => name.toLowerCase())),
        });
        return {
          url,
          method: 'PUT',
          headers,
          expiresAt: new Date(signedAt.getTime() + expiresInSeconds * 1000).toISOString(),
        };
      },

      async getUploadedPdf(documentId, maxBytes) {
        const object = await getObject(objectKeys.ingestUpload(tenantId, documentId));
        if (!object?.Body) return undefined;
        // S3 states the length before the body is read, so an oversized file is refused without downloading it.
        if (object.ContentLength !== undefined && object.ContentLength > maxBytes) {
          discard(object.Body);
          throw uploadTooLarge(object.ContentLength, maxBytes);
        }
        const pdf = await object.Body.transformToByteArray();
        if (pdf.byteLength > maxBytes) throw uploadTooLarge(pdf.byteLength, maxBytes);
        return pdf;
      },

      async deleteUploadedPdf(documentId) {
        await client.send(
          new DeleteObjectCommand({ Bucket: bucket, Key: objectKeys.ingestUpload(tenantId, documentId) }),
        );
      },
    };
  };

function uploadTooLarge(sizeBytes: number, maxBytes: number): PayloadTooLargeError {
  return new PayloadTooLargeError(`The uploaded PDF is ${sizeBytes} bytes; the limit is ${maxBytes} bytes.`);
}

/** Closes the connection of a response body we decided not to read. */
function discard(body: unknown): void {
  const destroy = (body as { destroy?: unknown }).destroy;
  if (typeof destroy === 'function') destroy.call(body);
}

/**
 * Since SDK 3.729 a client that computes checksums "when supported" (the default, our AWS wiring) signs the CRC32
 * of the EMPTY body into a presigned PutObject URL (`x-amz-checksum-crc32=AAAAAA==`), and S3 then rejects every
 * real upload as a bad digest (aws-sdk-js-v3 #6994). The body does not exist when we sign, so there is nothing to
 * checksum: this drops those headers after the checksum middleware has added them and before they are signed. The
 * portal checks what arrives itself (PDF inspection, SHA-256 when published).
 */
function withoutPresignedChecksum(command: PutObjectCommand): void {
  command.middlewareStack.add(
    (next) => async (args) => {
      const headers = (args.request as { headers?: Record<string, string> }).headers ?? {};
      for (const name of Object.keys(headers)) {
        if (/^x-amz-(sdk-)?checksum-/iu.test(name)) delete headers[name];
      }
      return next(args);
    },
    { step: 'build', priority: 'low', name: 'dropEmptyBodyChecksumFromPresignedUpload' },
  );
}
