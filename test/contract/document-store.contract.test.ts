import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { type ClinicFixture, createClinic, createTestPortal, tinyPdf } from '../support/test-portal';

/** The DocumentStore port's contract, run against the signature-verifying S3 emulator. */
describe('document store (S3 emulator)', () => {
  const portal = createTestPortal();
  let clinic: ClinicFixture;

  beforeEach(async () => {
    clinic = await createClinic(portal);
  });

  it('stores a PDF and reports its SHA-256 and size', async () => {
    const pdf = tinyPdf();
    const documentId = randomUUID();

    const stored = await clinic.scope.documentStore.put(clinic.customer.id, documentId, pdf);

    const expectedSha = (await import('node:crypto')).createHash('sha256').update(pdf).digest('hex');
    expect(stored).toEqual({ sha256: expectedSha, sizeBytes: pdf.byteLength });
    expect(Buffer.from((await clinic.scope.documentStore.get(clinic.customer.id, documentId)) ?? [])).toEqual(
      Buffer.from(pdf),
    );
  });

  it('returns nothing for an object that does not exist, or that belongs to another clinic', async () => {
    const documentId = randomUUID();
    await clinic.scope.documentStore.put(clinic.customer.id, documentId, tinyPdf());
    const otherClinic = await createClinic(portal);

    await expect(clinic.scope.documentStore.get(clinic.customer.id, randomUUID())).resolves.toBeUndefined();
    await expect(otherClinic.scope.documentStore.get(clinic.customer.id, documentId)).resolves.toBeUndefined();
  });

  it('presigns a link that downloads exactly the stored bytes as an attachment with the Swedish file name', async () => {
    const pdf = tinyPdf();
    const documentId = randomUUID();
    await clinic.scope.documentStore.put(clinic.customer.id, documentId, pdf);

    const url = await clinic.scope.documentStore.presignDownload(clinic.customer.id, documentId, {
      fileName: 'Fakturaunderlag_2024-01_Årsavgift.pdf',
      expiresInSeconds: 60,
    });
    const response = await fetch(url);

    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(Buffer.from(pdf));
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="Fakturaunderlag_2024-01_Arsavgift.pdf"; filename*=UTF-8''Fakturaunderlag_2024-01_%C3%85rsavgift.pdf`,
    );
    expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('60');
  });

  it("presigns an inline link (the browser's PDF viewer) with the same file name when asked", async () => {
    const documentId = randomUUID();
    await clinic.scope.documentStore.put(clinic.customer.id, documentId, tinyPdf());

    const url = await clinic.scope.documentStore.presignDownload(clinic.customer.id, documentId, {
      fileName: 'Fakturaunderlag_2024-01_Årsavgift.pdf',
      expiresInSeconds: 60,
      disposition: 'inline',
    });
    const response = await fetch(url);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe(
      `inline; filename="Fakturaunderlag_2024-01_Arsavgift.pdf"; filename*=UTF-8''Fakturaunderlag_2024-01_%C3%85rsavgift.pdf`,
    );
  });

  it('refuses a link whose object key was changed to another document', async () => {
    const [first, second] = [randomUUID(), randomUUID()];
    await clinic.scope.documentStore.put(clinic.customer.id, first, tinyPdf());
    await clinic.scope.documentStore.put(clinic.customer.id, second, tinyPdf());
    const url = new URL(
      await clinic.scope.documentStore.presignDownload(clinic.customer.id, first, {
        fileName: 'a.pdf',
        expiresInSeconds: 60,
      }),
    );

    const untampered = await fetch(url);
    url.pathname = url.pathname.replace(first, second);
    const tampered = await fetch(url);

    expect(untampered.status).toBe(200);
    expect(tampered.status).toBe(403);
  });

  it('refuses a link whose signature was altered', async () => {
    const documentId = randomUUID();
    await clinic.scope.documentStore.put(clinic.customer.id, documentId, tinyPdf());
    const url = new URL(
      await clinic.scope.documentStore.presignDownload(clinic.customer.id, documentId, {
        fileName: 'a.pdf',
        expiresInSeconds: 60,
      }),
    );
    const signature = url.searchParams.get('X-Amz-Signature') ?? '';

    const untampered = await fetch(url);
    url.searchParams.set('X-Amz-Signature', `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`);
    const tampered = await fetch(url);

    expect(untampered.status).toBe(200);
    expect(tampered.status).toBe(403);
  });

  it('refuses a link once its lifetime has passed, and accepts it just before', async () => {
    const documentId = randomUUID();
    await clinic.scope.documentStore.put(clinic.customer.id, documentId, tinyPdf());
    const presignAt = async (secondsAgo: number) => {
      portal.clock.set(new Date(Date.now() - secondsAgo * 1000));
      return clinic.scope.documentStore.presignDownload(clinic.customer.id, documentId, {
        fileName: 'a.pdf',
        expiresInSeconds: 60,
      });
    };

    const stillValid = await fetch(await presignAt(50));
    const expired = await fetch(await presignAt(65));
    portal.clock.set(new Date());

    expect(stillValid.status).toBe(200);
    expect(expired.status).toBe(403);
  });

  it('will not sign a link that lives longer than 60 seconds', async () => {
    await expect(
      clinic.scope.documentStore.presignDownload(clinic.customer.id, randomUUID(), {
        fileName: 'a.pdf',
        expiresInSeconds: 61,
      }),
    ).rejects.toThrow(/1 to 60 seconds/u);
  });
});
