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
import { s3ArchiveStore } from '../adapters/s3/s3-archive-store';
import { s3BrandingStore } from '../adapters/s3/s3-branding-store';
import { s3DocumentStore } from '../adapters/s3/s3-document-store';
import { s3IngestStore } from '../adapters/s3/s3-ingest-store';
import type { Clock, TenantDirectory, TenantScopeFactory } from '../domain/ports';
import { cachedTenantDirectory } from './cached-tenant-directory';

export interface DataServices {
  readonly dynamoDb: DynamoDBClient;
  readonly tableName: string;
  readonly s3: S3Client;
  readonly documentsBucket: string;
  readonly clock: Clock;
}

/**
 * Binds the DynamoDB and S3 adapters into per-tenant scopes. Shared by the AWS and local wiring, so both runtimes
 * store data in exactly the same shape.
 */
export function dataAdapters(services: DataServices): { scopeFor: TenantScopeFactory; directory: TenantDirectory } {
  const table = new DynamoDbTable(services.dynamoDb, services.tableName);
  const tenant = dynamoDbTenantRepository(table);
  const customers = dynamoDbCustomerRepository(table);
  const contacts = dynamoDbContactRepository(table);
  const documents = dynamoDbDocumentRepository(table);
  const sessions = dynamoDbSessionRepository(table);
  const audit = dynamoDbAuditLog(table);
  const bankIdOrders = dynamoDbBankIdLoginOrderRepository(table);
  const bucket = { client: services.s3, bucket: services.documentsBucket, clock: services.clock };
  const documentStore = s3DocumentStore(bucket);
  const archiveStore = s3ArchiveStore(bucket);
  const branding = s3BrandingStore(bucket);
  const ingestStore = s3IngestStore(bucket);
  const apiKeys = dynamoDbApiKeyRepository(table);
  const idempotency = dynamoDbIdempotencyStore(table);
  const loginThrottle = dynamoDbLoginThrottle(table);
  const passwordLinks = dynamoDbPasswordLinkRepository(table);
  const admins = dynamoDbClinicAdminRepository(table);
  const adminChallenges = dynamoDbAdminLoginChallengeRepository(table);
  const adminSessions = dynamoDbSessionRepository(table, 'admin');
  const adminLoginThrottle = dynamoDbLoginThrottle(table, 'admin');
  const notifications = dynamoDbNotificationOutbox(table);
  return {
    scopeFor: (tenantId) => ({
      tenantId,
      tenant: tenant(tenantId),
      customers: customers(tenantId),
      contacts: contacts(tenantId),
      documents: documents(tenantId),
      documentStore: documentStore(tenantId),
      archiveStore: archiveStore(tenantId),
      branding: branding(tenantId),
      sessions: sessions(tenantId),
      audit: audit(tenantId),
      bankIdOrders: bankIdOrders(tenantId),
      ingestStore: ingestStore(tenantId),
      apiKeys: apiKeys(tenantId),
      idempotency: idempotency(tenantId),
      loginThrottle: loginThrottle(tenantId),
      passwordLinks: passwordLinks(tenantId),
      admins: admins(tenantId),
      adminChallenges: adminChallenges(tenantId),
      adminSessions: adminSessions(tenantId),
      notifications: notifications(tenantId),
      adminLoginThrottle: adminLoginThrottle(tenantId),
    }),
    directory: cachedTenantDirectory(dynamoDbTenantDirectory(table), services.clock),
  };
}
