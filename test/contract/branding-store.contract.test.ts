import { createHash } from 'node:crypto';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { beforeEach, describe, expect, it } from 'vitest';
import { objectKeys } from '../../functions/adapters/s3/keys';
import { pngImage } from '../support/logo-images';
import { s3TestClient } from '../support/s3-test-client';
import { type ClinicFixture, createClinic, createTestPortal } from '../support/test-portal';

/** The BrandingStore port's contract, run against the signature-verifying S3 emulator. */
describe('branding store (S3 emulator)', () => {
  const portal = createTestPortal();
  let clinic: ClinicFixture;
  const logo = pngImage(40, 20);
  const sha256 = createHash('sha256').update(logo).digest('hex');

  beforeEach(async () => {
    clinic = await createClinic(portal);
  });

  it("stores a logo under the clinic's branding prefix, named by its SHA-256, with its content type", async () => {
    await clinic.scope.branding.putLogo(sha256, logo, 'image/png');

    const { client, bucket } = s3TestClient();
    const head = await client.send(
      new HeadObjectCommand({ Bucket: bucket, Key: `tenants/${clinic.tenantId}/branding/logo-${sha256}` }),
    );
    expect(head.ContentType).toBe('image/png');
    expect(head.Metadata).toEqual({ sha256 });
    expect(Buffer.from((await clinic.scope.branding.getLogo(sha256)) ?? [])).toEqual(logo);
    expect(objectKeys.brandingLogo(clinic.tenantId, sha256)).toBe(`tenants/${clinic.tenantId}/branding/logo-${sha256}`);
  });

  it('returns nothing for a logo that does not exist, or that belongs to another clinic', async () => {
    await clinic.scope.branding.putLogo(sha256, logo, 'image/png');
    const otherClinic = await createClinic(portal);

    await expect(clinic.scope.branding.getLogo('0'.repeat(64))).resolves.toBeUndefined();
    await expect(otherClinic.scope.branding.getLogo(sha256)).resolves.toBeUndefined();
  });

  it('stores the same logo twice harmlessly, and deletes it, also when it is gone already', async () => {
    await clinic.scope.branding.putLogo(sha256, logo, 'image/png');
    await clinic.scope.branding.putLogo(sha256, logo, 'image/png');

    await clinic.scope.branding.deleteLogo(sha256);
    await clinic.scope.branding.deleteLogo(sha256);

    await expect(clinic.scope.branding.getLogo(sha256)).resolves.toBeUndefined();
  });

  it('refuses a name that is not a SHA-256, so nothing else can be addressed', async () => {
    await expect(clinic.scope.branding.getLogo('../customers/x')).rejects.toThrow(/expected 64 hex digits/u);
  });
});
