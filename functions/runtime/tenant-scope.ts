import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { DynamoDbTable } from '../adapters/dynamodb/dynamodb-table';
import { s3ArchiveStore } from '../adapters/s3/s3-archive-store';
import { s3AuditAnchorStore } from '../adapters/s3/s3-audit-anchor-store';
import { s3BrandingStore } from '../adapters/s3/s3-branding-store';
import { s3DocumentStore } from '../adapters/s3/s3-document-store';
import { s3IngestStore } from '../adapters/s3/s3-ingest-store';
import type { TenantDirectory, TenantScope, TenantScopeFactory } from '../domain/ports';
import { storageRouting, type TenantBuckets, type TenantStorage } from './storage-routing';
import { cachedScopes, type TableServices, tableRepositories, tenantDirectory } from './tenant-table-scope';

/** The clients one tenant's data goes through: tenant-scoped credentials and the tenant key guard. */
export interface TenantClients {
  readonly dynamoDb: DynamoDBClient;
  readonly s3: S3Client;
}

export interface DataServices extends TableServices {
  /** Makes one tenant's clients, fenced to its storage; called once per tenant while its scope stays cached. */
  readonly tenantClients: (tenantId: string, storage: TenantStorage) => TenantClients;
  /** The pool's buckets (a silo clinic's documents are in its silo's bucket: `silos`). */
  readonly buckets: TenantBuckets;
}

/**
 * Binds the DynamoDB and S3 adapters into per-tenant scopes. Shared by the AWS and local wiring, so both runtimes
 * store data in exactly the same shape. Each tenant's repositories sit on that tenant's own clients
 * (`services.tenantClients`), fenced to the tenant's storage (the pool's, or its silo's:
 * ./storage-routing.ts), so a scope can reach nothing of another tenant whatever its code asks for; only the
 * directory uses the function's own client.
 */
export function dataAdapters(services: DataServices): { scopeFor: TenantScopeFactory; directory: TenantDirectory } {
  const storageFor = storageRouting({ tableName: services.tableName, buckets: services.buckets }, services.silos ?? []);
  return {
    scopeFor: cachedScopes((tenantId): TenantScope => {
      const storage = storageFor(tenantId);
      const clients = services.tenantClients(tenantId, storage);
      const bucket = { client: clients.s3, bucket: storage.buckets.documents, clock: services.clock };
      return {
        ...tableRepositories(new DynamoDbTable(clients.dynamoDb, storage.tableName), tenantId),
        documentStore: s3DocumentStore(bucket)(tenantId),
        archiveStore: s3ArchiveStore(bucket)(tenantId),
        branding: s3BrandingStore(bucket)(tenantId),
        auditAnchors: s3AuditAnchorStore({ client: clients.s3, bucket: storage.buckets.auditAnchors })(tenantId),
        ingestStore: s3IngestStore(bucket)(tenantId),
      };
    }),
    directory: tenantDirectory(services),
  };
}
