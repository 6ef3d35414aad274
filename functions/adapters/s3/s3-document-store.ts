import { createHash } from 'node:crypto';
import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Clock, DocumentStore, PresignOptions } from '../../domain/ports';
import { contentDisposition } from './content-disposition';
import { objectKeys } from './keys';

/** SECURITY.md: presigned links live at most 60 s. */
export const MAX_PRESIGN_SECONDS = 60;

export interface S3DocumentStoreOptions {
  readonly client: S3Client;
  readonly bucket: string;
  /** Links are signed at the clock's time, so tests can prove that an expired link is refused. */
  readonly clock: Clock;
}

/**
 * PDFs in S3 under the tenant's prefix. The SHA-256 is computed here and also stored as object metadata, so the
 * object itself says what it should hash to.
 */
export const s3DocumentStore =
  ({ client, bucket, clock }: S3DocumentStoreOptions) =>
  (tenantId: string): DocumentStore => ({
    async put(customerId, documentId, pdf) {
      const sha256 = createHash('sha256').update(pdf).digest('hex');
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: objectKeys.documentPdf(tenantId, customerId, documentId),
          Body: pdf,
          ContentType: 'application/pdf',
          Metadata: { sha256 },
        }),
      );
      return { sha256, sizeBytes: pdf.byteLength };
    },

    async get(customerId, documentId) {
      try {
        const result = await client.send(
          new GetObjectCommand({ Bucket: bucket, Key: objectKeys.documentPdf(tenantId, customerId, documentId) }),
        );
        return result.Body ? await result.Body.transformToByteArray() : undefined;
      } catch (error) {
        if (error instanceof NoSuchKey) return undefined;
        throw error;
      }
    },

    presignDownload(customerId, documentId, options) {
      return presignGet(
        { client, clock },
        { bucket, key: objectKeys.documentPdf(tenantId, customerId, documentId), contentType: 'application/pdf' },
        options,
      );
    },
  });

/**
 * A GET link for exactly one object key, with the server-chosen file name and type signed into the response
 * headers (changing any of them breaks the signature). Shared by single PDFs and ZIP archives.
 */
export async function presignGet(
  { client, clock }: { readonly client: S3Client; readonly clock: Clock },
  object: { readonly bucket: string; readonly key: string; readonly contentType: string },
  { fileName, expiresInSeconds, disposition = 'attachment' }: PresignOptions,
): Promise<string> {
  if (!Number.isInteger(expiresInSeconds) || expiresInSeconds < 1 || expiresInSeconds > MAX_PRESIGN_SECONDS) {
    throw new RangeError(`A download link may live 1 to ${MAX_PRESIGN_SECONDS} seconds, not ${expiresInSeconds}.`);
  }
  return getSignedUrl(
    client,
    new GetObjectCommand({
      Bucket: object.bucket,
      Key: object.key,
      ResponseContentDisposition: contentDisposition(disposition, fileName),
      ResponseContentType: object.contentType,
      ResponseCacheControl: 'private, no-store',
    }),
    { expiresIn: expiresInSeconds, signingDate: clock.now() },
  );
}
