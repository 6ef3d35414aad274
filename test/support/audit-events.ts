import { inject } from 'vitest';
import { DynamoDbTable } from '../../functions/adapters/dynamodb/dynamodb-table';
import { keys } from '../../functions/adapters/dynamodb/keys';
import type { AuditEvent } from '../../functions/domain/identity';
import { createDynamoDbClient } from '../../functions/runtime/aws-clients';
import { LOCAL_REGION } from '../../functions/runtime/local';

/**
 * Reads a clinic's audit events of one month straight from the table, oldest first. (The audit-trail reading
 * port arrives with the admin issue; until then tests look at what was stored.)
 */
export async function readAuditEvents(tenantId: string, month: string): Promise<AuditEvent[]> {
  const emulators = inject('emulators');
  const table = new DynamoDbTable(
    createDynamoDbClient({
      region: LOCAL_REGION,
      endpoint: emulators.dynamoEndpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    emulators.tableName,
  );
  const { PK } = keys.auditEvent(tenantId, `${month}-01T00:00:00.000Z`, 'x');
  const page = await table.query({
    KeyConditionExpression: 'PK = :pk',
    ExpressionAttributeValues: { ':pk': { S: PK } },
    ConsistentRead: true,
  });
  return page.items as AuditEvent[];
}
