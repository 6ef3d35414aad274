import { ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ChainHead } from '../../domain/audit-trail';
import type { AuditAnchorStore } from '../../domain/ports';
import { objectKeys, parseAuditAnchorKey } from './keys';

export interface S3AuditAnchorStoreOptions {
  readonly client: S3Client;
  /** The audit anchor bucket (lib/stacks/data-stack.ts: Object Lock, and a policy that refuses overwrites). */
  readonly bucket: string;
}

/**
 * Audit anchors as objects `tenants/<t>/audit-anchors/<index>-<hash>.json`, one per anchored head. The key says it
 * all, so verification lists the prefix and reads no object; the body repeats it with the time, for a person reading
 * the bucket. In AWS the bucket's Object Lock keeps every anchor for the retention period (no delete, no shortening)
 * and its policy refuses a PutObject without `If-None-Match: *`, so nobody overwrites an anchor either.
 */
export const s3AuditAnchorStore =
  ({ client, bucket }: S3AuditAnchorStoreOptions) =>
  (tenantId: string): AuditAnchorStore => {
    const keyOf = (head: ChainHead) => objectKeys.auditAnchor(tenantId, head.index, head.hash);
    // Anchors never change or go, so one seen stays known: the sealer's round then costs an idle clinic no S3 request.
    const known = new Set<string>();
    const has = async (head: ChainHead) => {
      const key = keyOf(head);
      if (known.has(key)) return true;
      // A listing, not HeadObject: the tenant roles may list their anchors' prefix, and HeadObject on a missing key
      // without an unconditioned s3:ListBucket answers 403, not 404.
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: key, MaxKeys: 1 }));
      const found = (page.Contents ?? []).some((object) => object.Key === key);
      if (found) known.add(key);
      return found;
    };
    return {
      has,

      async put(anchor) {
        try {
          await client.send(
            new PutObjectCommand({
              Bucket: bucket,
              Key: keyOf(anchor),
              Body: JSON.stringify({ tenantId, index: anchor.index, hash: anchor.hash, anchoredAt: anchor.anchoredAt }),
              ContentType: 'application/json',
              IfNoneMatch: '*',
            }),
          );
        } catch (error) {
          // 412: the same head is anchored already (a second sealer, a retry): the anchor it wanted exists.
          if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== 412) throw error;
        }
        known.add(keyOf(anchor));
      },

      async all() {
        const anchors: ChainHead[] = [];
        let continuationToken: string | undefined;
        do {
          const page = await client.send(
            new ListObjectsV2Command({
              Bucket: bucket,
              Prefix: objectKeys.auditAnchorPrefix(tenantId),
              ...(continuationToken ? { ContinuationToken: continuationToken } : {}),
            }),
          );
          for (const object of page.Contents ?? []) {
            const anchor = object.Key ? parseAuditAnchorKey(object.Key) : undefined;
            if (anchor) anchors.push(anchor);
          }
          continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (continuationToken);
        return anchors;
      },
    };
  };
