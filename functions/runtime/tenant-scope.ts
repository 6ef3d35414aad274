import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { dynamoDbApiKeyRepository } from '../adapters/dynamodb/dynamodb-api-key-repository';
import { dynamoDbAuditLog } from '../adapters/dynamodb/dynamodb-audit-log';
import {
  dynamoDbAdminLoginChallengeRepository,
  dynamoDbClinicAdminRepository,
} from '../adapters/dynamodb/dynamodb-clinic-admin-repository';
import { dynamoDbDocumentRepository } from '../adapters/dynamodb/dynamodb-document-repository';
import { dynamoDbIdempotencyStore } from '../adapters/dynamodb/dynamodb-idempotency-store';
import {
  dynamoDbBankIdLoginOrderRepository,
  dynamoDbContactRepository,
  dynamoDbCustomerRepository,
  dynamoDbSessionRepository,
  dynamoDbTenantDirectory,
  dynamoDbTenantRepository,
} from '../adapters/dynamodb/dynamodb-identity-repositories';
import { dynamoDbLoginThrottle } from '../adapters/dynamodb/dynamodb-login-throttle';
import { dynamoDbNotificationOutbox } from '../adapters/dynamodb/dynamodb-notification-outbox';
import { dynamoDbPasswordLinkRepository } from '../adapters/dynamodb/dynamodb-password-link-repository';
import { DynamoDbTable } from '../adapters/dynamodb/dynamodb-table';
import { TABLE_SCHEMA } from '../adapters/dynamodb/table-schema';
import { s3ArchiveStore } from '../adapters/s3/s3-archive-store';
import { s3AuditAnchorStore } from '../adapters/s3/s3-audit-anchor-store';
import { s3BrandingStore } from '../adapters/s3/s3-branding-store';
import { s3DocumentStore } from '../adapters/s3/s3-document-store';
import { s3IngestStore } from '../adapters/s3/s3-ingest-store';
import type { PartitionKeyNames } from '../adapters/security/tenant-key-guard';
import type { Clock, TenantDirectory, TenantScope, TenantScopeFactory } from '../domain/ports';
import { cachedTenantDirectory } from './cached-tenant-directory';
import { type SiloClinic, storageRouting, type TenantStorage } from './storage-routing';

/** The clients one tenant's data goes through: tenant-scoped credentials and the tenant key guard. */
export interface TenantClients {
  readonly dynamoDb: DynamoDBClient;
  readonly s3: S3Client;
}

export interface DataServices {
  /**
   * The function's own DynamoDB client: used for the platform directory alone (`DIRECTORY#…`), which is read before
   * any tenant is known.
   */
  readonly platformDynamoDb: DynamoDBClient;
  /**
   * Makes one tenant's clients, fenced to its storage; called once per tenant while its scope stays cached.
   */
  readonly tenantClients: (tenantId: string, storage: TenantStorage) => TenantClients;
  /** The pool's table and buckets: every pooled clinic's data, and the platform directory. */
  readonly pool: TenantStorage;
  /** Clinics on dedicated resources (SILO_CLINICS): their data goes to their own table and bucket. */
  readonly silos?: readonly SiloClinic[];
  readonly clock: Clock;
}

/**
 * Scopes kept per container. A container serves a handful of clinics; the bound keeps a flood of distinct tenant
 * ids (each API key names its clinic) from growing memory and STS sessions without limit.
 */
export const CACHED_TENANT_SCOPES = 64;

/**
 * The table's partition key names, as the tenant key guard needs them (functions/adapters/security/tenant-key-guard.ts).
 */
export const PARTITION_KEY_NAMES: PartitionKeyNames = {
  table: TABLE_SCHEMA.partitionKey,
  indexes: Object.fromEntries(TABLE_SCHEMA.indexes.map((index) => [index.name, index.partitionKey])),
};

/**
 * Binds the DynamoDB and S3 adapters into per-tenant scopes. Shared by the AWS and local wiring, so both runtimes
 * store data in exactly the same shape. Each tenant's repositories sit on that tenant's own clients
 * (`services.tenantClients`), so a scope can reach nothing of another tenant whatever its code asks for; only the
 * directory uses the function's own client.
 */
export function dataAdapters(services: DataServices): { scopeFor: TenantScopeFactory; directory: TenantDirectory } {
  const scopes = new Map<string, TenantScope>();
  const storageFor = storageRouting(services.pool, services.silos ?? []);
  const build = (tenantId: string): TenantScope => {
    const storage = storageFor(tenantId);
    const clients = services.tenantClients(tenantId, storage);
    const table = new DynamoDbTable(clients.dynamoDb, storage.tableName);
    const bucket = { client: clients.s3, bucket: storage.buckets.documents, clock: services.clock };
    return {
      tenantId,
      tenant: dynamoDbTenantRepository(table)(tenantId),
      customers: dynamoDbCustomerRepository(table)(tenantId),
      contacts: dynamoDbContactRepository(table)(tenantId),
      documents: dynamoDbDocumentRepository(table)(tenantId),
      documentStore: s3DocumentStore(bucket)(tenantId),
      archiveStore: s3ArchiveStore(bucket)(tenantId),
      branding: s3BrandingStore(bucket)(tenantId),
      sessions: dynamoDbSessionRepository(table)(tenantId),
      audit: dynamoDbAuditLog(table)(tenantId),
      auditAnchors: s3AuditAnchorStore({ client: clients.s3, bucket: storage.buckets.auditAnchors })(tenantId),
      bankIdOrders: dynamoDbBankIdLoginOrderRepository(table)(tenantId),
      ingestStore: s3IngestStore(bucket)(tenantId),
      apiKeys: dynamoDbApiKeyRepository(table)(tenantId),
      idempotency: dynamoDbIdempotencyStore(table)(tenantId),
      loginThrottle: dynamoDbLoginThrottle(table)(tenantId),
      passwordLinks: dynamoDbPasswordLinkRepository(table)(tenantId),
      admins: dynamoDbClinicAdminRepository(table)(tenantId),
      adminChallenges: dynamoDbAdminLoginChallengeRepository(table)(tenantId),
      adminSessions: dynamoDbSessionRepository(table, 'admin')(tenantId),
      notifications: dynamoDbNotificationOutbox(table)(tenantId),
      adminLoginThrottle: dynamoDbLoginThrottle(table, 'admin')(tenantId),
    };
  };
  return {
    scopeFor: (tenantId) => {
      let scope = scopes.get(tenantId);
      if (scope) {
        // Map order is insertion order: re-inserting marks the scope as most recently used.
        scopes.delete(tenantId);
      } else {
        scope = build(tenantId);
        if (scopes.size >= CACHED_TENANT_SCOPES) {
          const oldest = scopes.keys().next().value;
          if (oldest !== undefined) scopes.delete(oldest);
        }
      }
      scopes.set(tenantId, scope);
      return scope;
    },
    directory: cachedTenantDirectory(
      dynamoDbTenantDirectory(new DynamoDbTable(services.platformDynamoDb, services.pool.tableName)),
      services.clock,
    ),
  };
}
