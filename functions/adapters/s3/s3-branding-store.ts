import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { BrandingStore } from '../../domain/ports';
import { objectKeys } from './keys';

export interface S3BrandingStoreOptions {
  readonly client: S3Client;
  readonly bucket: string;
}

/**
 * The clinic's logo under `tenants/<t>/branding/`, one object per logo, keyed by the SHA-256 of its bytes. Never
 * served from S3 directly: the portal API reads it and serves it with its own headers (the bucket stays private).
 */
export const s3BrandingStore =
  ({ client, bucket }: S3BrandingStoreOptions) =>
  (tenantId: string): BrandingStore => ({
    async putLogo(sha256, bytes, mimeType) {
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: objectKeys.brandingLogo(tenantId, sha256),
          Body: bytes,
          ContentType: mimeType,
          Metadata: { sha256 },
        }),
      );
    },

    async getLogo(sha256) {
      try {
        const result = await client.send(
          new GetObjectCommand({ Bucket: bucket, Key: objectKeys.brandingLogo(tenantId, sha256) }),
        );
        return result.Body ? await result.Body.transformToByteArray() : undefined;
      } catch (error) {
        if (error instanceof NoSuchKey) return undefined;
        throw error;
      }
    },

    async deleteLogo(sha256) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: objectKeys.brandingLogo(tenantId, sha256) }));
    },
  });
