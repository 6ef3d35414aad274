import { createHash } from 'node:crypto';
import { GetObjectCommand, type GetObjectCommandOutput, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import {
  ARCHIVE_MANIFEST_NAME,
  type ArchiveFile,
  ArchiveIntegrityError,
  type ArchiveManifest,
} from '../../domain/archive';
import type { ArchiveStore, Clock } from '../../domain/ports';
import { objectKeys, TEMPORARY_OBJECT_TAG } from './keys';
import { presignGet } from './s3-document-store';

export interface S3ArchiveStoreOptions {
  readonly client: S3Client;
  readonly bucket: string;
  readonly clock: Clock;
}

/**
 * Memory stays bounded by these, whatever the archive's size: the upload holds at most `queueSize` parts of
 * `partSize` (S3's minimum part size) while they are sent, and at most `PREFETCH` PDFs are requested ahead of the
 * one being zipped (their bodies wait behind backpressure, so a request ahead costs a socket, not its file's size).
 * Fetching ahead hides the per-object round trip, which otherwise dominates for many small PDFs.
 */
const UPLOAD = { partSize: 5 * 1024 * 1024, queueSize: 2 } as const;
const PREFETCH = 4;

/**
 * "Download many" archives under `tenants/<t>/archives/<customer>/<id>.zip`. PDFs are stored, not deflated
 * (client-zip writes stored entries: a PDF's streams are compressed already, so deflating would cost CPU for a
 * few per cent).
 */
export const s3ArchiveStore =
  ({ client, bucket, clock }: S3ArchiveStoreOptions) =>
  (tenantId: string): ArchiveStore => ({
    async create(customerId, archiveId, files, { createdAt }) {
      // Loaded by the first archive, not at cold start: only "download many" needs the zip writer and the multipart
      // upload, and the Lambda bundle (lib/constructs/lambda-bundling.ts) puts them in a chunk of their own.
      const [{ Upload }, { makeZip }] = await Promise.all([import('@aws-sdk/lib-storage'), import('client-zip')]);
      const fetches: Array<Promise<GetObjectCommandOutput | undefined>> = [];
      const fetchAhead = (index: number) => {
        const file = files[index];
        if (file && fetches[index] === undefined) {
          fetches[index] = getObject(client, bucket, objectKeys.documentPdf(tenantId, customerId, file.documentId));
          // Rejections are handled when the entry is reached; this only keeps an early one from going unhandled.
          fetches[index].catch(() => undefined);
        }
      };
      let integrityFailure: ArchiveIntegrityError | undefined;
      const failIntegrity = (file: ArchiveFile): never => {
        integrityFailure = new ArchiveIntegrityError(file.documentId);
        throw integrityFailure;
      };

      async function* entries() {
        for (const [index, file] of files.entries()) {
          for (let ahead = index; ahead < Math.min(files.length, index + PREFETCH); ahead += 1) fetchAhead(ahead);
          const object = await fetches[index];
          if (!object?.Body) failIntegrity(file);
          yield {
            name: file.fileName,
            lastModified: createdAt,
            input: verified(object?.Body?.transformToWebStream() as ReadableStream<Uint8Array>, file, failIntegrity),
          };
        }
        const manifest: ArchiveManifest = {
          createdAt: createdAt.toISOString(),
          files: files.map((file) => ({ name: file.fileName, sizeBytes: file.sizeBytes, sha256: file.sha256 })),
        };
        yield {
          name: ARCHIVE_MANIFEST_NAME,
          lastModified: createdAt,
          input: new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`),
        };
      }

      let sizeBytes = 0;
      const counter = new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          sizeBytes += chunk.byteLength;
          controller.enqueue(chunk);
        },
      });
      const upload = new Upload({
        client,
        ...UPLOAD,
        // On any failure (an integrity check included) the multipart upload is aborted: no partial archive is left.
        leavePartsOnError: false,
        params: {
          Bucket: bucket,
          Key: objectKeys.archive(tenantId, customerId, archiveId),
          Body: makeZip(entries()).pipeThrough(counter),
          ContentType: 'application/zip',
          Tagging: `${TEMPORARY_OBJECT_TAG.key}=${TEMPORARY_OBJECT_TAG.value}`,
        },
      });
      try {
        await upload.done();
      } catch (error) {
        // PDFs fetched ahead but never reached would hold their sockets open until they time out.
        for (const fetch of fetches.slice(1)) void fetch?.then((object) => discard(object?.Body));
        throw integrityFailure ?? error;
      }
      return { sizeBytes };
    },

    presignDownload(customerId, archiveId, options) {
      return presignGet(
        { client, clock },
        { bucket, key: objectKeys.archive(tenantId, customerId, archiveId), contentType: 'application/zip' },
        options,
      );
    },
  });

async function getObject(client: S3Client, bucket: string, key: string): Promise<GetObjectCommandOutput | undefined> {
  try {
    return await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  } catch (error) {
    if (error instanceof NoSuchKey) return undefined;
    throw error;
  }
}

function discard(body: unknown): void {
  (body as { destroy?: () => void } | undefined)?.destroy?.();
}

/**
 * Passes a PDF through unchanged while hashing it; at its end, a SHA-256 or size other than the recorded one
 * errors the stream, which fails the ZIP and with it the upload.
 */
function verified(
  body: ReadableStream<Uint8Array>,
  file: ArchiveFile,
  fail: (file: ArchiveFile) => never,
): ReadableStream<Uint8Array> {
  const hash = createHash('sha256');
  let size = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        hash.update(chunk);
        size += chunk.byteLength;
        if (size > file.sizeBytes) fail(file);
        controller.enqueue(chunk);
      },
      flush() {
        if (size !== file.sizeBytes || hash.digest('hex') !== file.sha256) fail(file);
      },
    }),
  );
}
