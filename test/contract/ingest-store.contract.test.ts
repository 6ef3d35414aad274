import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_UPLOAD_PRESIGN_SECONDS, s3IngestStore } from '../../functions/adapters/s3/s3-ingest-store';
import { PayloadTooLargeError } from '../../functions/domain/errors';
import type { IngestStore, PresignedUpload } from '../../functions/domain/ports';
import { createS3Client } from '../../functions/runtime/aws-clients';
import { s3TestClient } from '../support/s3-test-client';
import { TestClock } from '../support/test-clock';
import { tinyPdf } from '../support/test-portal';

/** The IngestStore port's contract, run against the signature-verifying S3 emulator. */
describe('ingest store (S3 emulator)', () => {
  const { client, bucket } = s3TestClient();
  const clock = new TestClock();
  const storeFor = s3IngestStore({ client, bucket, clock });
  const newClinic = (): IngestStore => storeFor(randomUUID());

  afterAll(() => client.destroy());

  const upload = (presigned: PresignedUpload, body: Uint8Array, headers = presigned.headers) =>
    fetch(presigned.url, { method: presigned.method, headers, body: Buffer.from(body) });

  /** The headers as given, minus Content-Length: fetch then sends the body's real length. */
  const withoutContentLength = ({ headers }: PresignedUpload) =>
    Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'content-length'));

  it('keeps a payload and returns exactly its bytes; a payload never stored is undefined', async () => {
    const store = newClinic();
    const documentId = randomUUID();
    const json = new TextEncoder().encode(JSON.stringify({ invoiceNumber: '2024-0001', kund: 'Åkeriet i Väst AB' }));

    await store.putPayload(documentId, json);

    expect(Buffer.from((await store.getPayload(documentId)) ?? [])).toEqual(Buffer.from(json));
    await expect(store.getPayload(randomUUID())).resolves.toBeUndefined();
  });

  it('presigns an upload that a plain HTTP PUT with the given headers stores, until it is deleted', async () => {
    const store = newClinic();
    const documentId = randomUUID();
    const pdf = tinyPdf();

    const signedFrom = clock.now().getTime();
    const presigned = await store.presignPdfUpload(documentId, { sizeBytes: pdf.byteLength, expiresInSeconds: 900 });
    const signedBy = clock.now().getTime();
    const response = await upload(presigned, pdf);

    expect(response.status).toBe(200);
    expect(presigned.method).toBe('PUT');
    expect(presigned.headers).toEqual({ 'Content-Type': 'application/pdf', 'Content-Length': String(pdf.byteLength) });
    // The test clock runs along with real time: the expiry is 900 s after the moment of signing.
    const expiresAt = Date.parse(presigned.expiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(signedFrom + 900_000);
    expect(expiresAt).toBeLessThanOrEqual(signedBy + 900_000);
    expect(new URL(presigned.url).searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host');
    expect(Buffer.from((await store.getUploadedPdf(documentId, pdf.byteLength)) ?? [])).toEqual(Buffer.from(pdf));

    await store.deleteUploadedPdf(documentId);
    await expect(store.getUploadedPdf(documentId, pdf.byteLength)).resolves.toBeUndefined();
  });

  it('refuses an upload of another length than the signed one, longer or shorter, and stores nothing', async () => {
    const store = newClinic();
    const documentId = randomUUID();
    const pdf = tinyPdf();
    const presigned = await store.presignPdfUpload(documentId, { sizeBytes: pdf.byteLength, expiresInSeconds: 900 });

    const longer = await upload(presigned, new Uint8Array([...pdf, 0x0a]), withoutContentLength(presigned));
    const shorter = await upload(presigned, pdf.subarray(1), withoutContentLength(presigned));
    const exact = await upload(presigned, pdf, withoutContentLength(presigned));

    expect([longer.status, shorter.status]).toEqual([403, 403]);
    expect(exact.status).toBe(200); // the same request with the signed length: only the length made the difference
    expect(Buffer.from((await store.getUploadedPdf(documentId, pdf.byteLength)) ?? [])).toEqual(Buffer.from(pdf));
  });

  it('refuses an upload declared as another content type', async () => {
    const store = newClinic();
    const documentId = randomUUID();
    const pdf = tinyPdf();
    const presigned = await store.presignPdfUpload(documentId, { sizeBytes: pdf.byteLength, expiresInSeconds: 900 });

    const response = await upload(presigned, pdf, { ...presigned.headers, 'Content-Type': 'text/html' });

    expect(response.status).toBe(403);
    await expect(store.getUploadedPdf(documentId, pdf.byteLength)).resolves.toBeUndefined();
  });

  it('refuses an upload URL once its lifetime has passed, and accepts it just before', async () => {
    const store = newClinic();
    const pdf = tinyPdf();
    const presignAt = async (documentId: string, secondsAgo: number) => {
      clock.set(new Date(Date.now() - secondsAgo * 1000));
      const presigned = await store.presignPdfUpload(documentId, { sizeBytes: pdf.byteLength, expiresInSeconds: 60 });
      clock.set(new Date());
      return presigned;
    };
    const [fresh, stale] = [randomUUID(), randomUUID()];

    const stillValid = await upload(await presignAt(fresh, 50), pdf);
    const expired = await upload(await presignAt(stale, 65), pdf);

    expect(stillValid.status).toBe(200);
    expect(expired.status).toBe(403);
    await expect(store.getUploadedPdf(stale, pdf.byteLength)).resolves.toBeUndefined();
  });

  it('keeps one clinic’s payloads and uploads from another clinic', async () => {
    const store = newClinic();
    const otherClinic = newClinic();
    const documentId = randomUUID();
    const pdf = tinyPdf();
    await store.putPayload(documentId, new TextEncoder().encode('{}'));
    const presigned = await store.presignPdfUpload(documentId, { sizeBytes: pdf.byteLength, expiresInSeconds: 900 });
    expect((await upload(presigned, pdf)).status).toBe(200);

    await expect(otherClinic.getPayload(documentId)).resolves.toBeUndefined();
    await expect(otherClinic.getUploadedPdf(documentId, pdf.byteLength)).resolves.toBeUndefined();
    await otherClinic.deleteUploadedPdf(documentId);
    await expect(store.getUploadedPdf(documentId, pdf.byteLength)).resolves.toBeInstanceOf(Uint8Array);
  });

  it('refuses to read an upload larger than the limit, naming the limit', async () => {
    const store = newClinic();
    const documentId = randomUUID();
    const pdf = tinyPdf();
    const presigned = await store.presignPdfUpload(documentId, { sizeBytes: pdf.byteLength, expiresInSeconds: 900 });
    expect((await upload(presigned, pdf)).status).toBe(200);

    const limit = pdf.byteLength - 1;
    const reading = store.getUploadedPdf(documentId, limit);

    await expect(reading).rejects.toThrow(PayloadTooLargeError);
    await expect(reading).rejects.toThrow(`the limit is ${limit} bytes`);
  });

  it(`will not sign an upload URL that lives longer than ${MAX_UPLOAD_PRESIGN_SECONDS} seconds, or without a size`, async () => {
    const store = newClinic();

    await expect(
      store.presignPdfUpload(randomUUID(), { sizeBytes: 100, expiresInSeconds: MAX_UPLOAD_PRESIGN_SECONDS + 1 }),
    ).rejects.toThrow(/1 to 900 seconds/u);
    await expect(store.presignPdfUpload(randomUUID(), { sizeBytes: 0, expiresInSeconds: 60 })).rejects.toThrow(
      /positive whole number of bytes/u,
    );
  });

  it('signs no checksum of the (absent) body into the URL with the AWS client settings', async () => {
    // The AWS wiring's client computes checksums "when supported"; the emulator's does not, so check the URL itself.
    // Signing only: no request is sent.
    const awsClient = createS3Client({ region: 'eu-north-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    const store = s3IngestStore({ client: awsClient, bucket: 'portal-documents', clock })(randomUUID());

    const { url } = await store.presignPdfUpload(randomUUID(), { sizeBytes: 1234, expiresInSeconds: 900 });
    awsClient.destroy();

    const names = [...new URL(url).searchParams.keys()].map((name) => name.toLowerCase());
    expect(names.filter((name) => name.includes('checksum'))).toEqual([]);
    expect(new URL(url).searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host');
  });
});
