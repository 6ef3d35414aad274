import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
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
import type { PartitionKeyNames } from '../adapters/security/tenant-key-guard';
import type { Clock, TenantDirectory, TenantTableScope } from '../domain/ports';
import { cachedTenantDirectory } from './cached-tenant-directory';
import { type SiloClinic, tableRouting } from './storage-routing';

/*
 * The table's part of tenant scopes, in a module of its own, so that a function using the table alone (the
 * notification sender) imports no S3 adapter. Tree shaking is not enough there: a bundle that merely includes the
 * archive store (./tenant-scope.ts) gets its lazily loaded multipart upload as a chunk, and esbuild puts the part of
 * the S3 client which that chunk shares into the code loaded at cold start (~70 KB, whether or not S3 is used).
 */

/** What the table's adapters are built on, whichever part of a tenant's scope a function needs. */
export interface TableServices {
  /**
   * The function's own DynamoDB client: used for the platform directory alone (`DIRECTORY#…`), which is read before
   * any tenant is known.
   */
  readonly platformDynamoDb: DynamoDBClient;
  /** The pool's table: every pooled clinic's data, and the platform directory. */
  readonly tableName: string;
  /** Clinics on dedicated resources (SILO_CLINICS): their data is in their own table (./storage-routing.ts). */
  readonly silos?: readonly SiloClinic[];
  readonly clock: Clock;
}

export interface TableDataServices extends TableServices {
  /**
   * Makes one tenant's DynamoDB client, fenced to its table; called once per tenant while its scope stays cached.
   */
  readonly tenantDynamoDb: (tenantId: string, tableName: string) => DynamoDBClient;
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
 * The table's part of a tenant's scope alone (./tenant-scope.ts adds the buckets), for a function that uses no bucket
 * (the notification sender). Each tenant's repositories sit on that tenant's own client, as in ./tenant-scope.ts.
 */
export function tableDataAdapters(services: TableDataServices): {
  scopeFor: (tenantId: string) => TenantTableScope;
  directory: TenantDirectory;
} {
  const tableFor = tableRouting(services.tableName, services.silos ?? []);
  return {
    scopeFor: cachedScopes((tenantId) => {
      const tableName = tableFor(tenantId);
      return tableRepositories(new DynamoDbTable(services.tenantDynamoDb(tenantId, tableName), tableName), tenantId);
    }),
    directory: tenantDirectory(services),
  };
}

/** One tenant's repositories in the table. */
export function tableRepositories(table: DynamoDbTable, tenantId: string): TenantTableScope {
  return {
    tenantId,
    tenant: dynamoDbTenantRepository(table)(tenantId),
    customers: dynamoDbCustomerRepository(table)(tenantId),
    contacts: dynamoDbContactRepository(table)(tenantId),
    documents: dynamoDbDocumentRepository(table)(tenantId),
    sessions: dynamoDbSessionRepository(table)(tenantId),
    audit: dynamoDbAuditLog(table)(tenantId),
    bankIdOrders: dynamoDbBankIdLoginOrderRepository(table)(tenantId),
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
}

/** The host directory, read with the function's own client and cached (./cached-tenant-directory.ts). */
export function tenantDirectory(services: TableServices): TenantDirectory {
  return cachedTenantDirectory(
    dynamoDbTenantDirectory(new DynamoDbTable(services.platformDynamoDb, services.tableName)),
    services.clock,
  );
}

/** Up to {@link CACHED_TENANT_SCOPES} scopes, the least recently used dropped first. */
export function cachedScopes<Scope>(build: (tenantId: string) => Scope): (tenantId: string) => Scope {
  const scopes = new Map<string, Scope>();
  return (tenantId) => {
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
  };
}
