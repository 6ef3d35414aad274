import { keys } from '../../functions/adapters/dynamodb/keys';
import type { AuditEvent } from '../../functions/domain/identity';
import { emulatorTable } from './emulator-table';

/**
 * Reads a clinic's audit events of one month straight from the table, oldest first: what was stored, independently
 * of the audit-trail port (functions/adapters/dynamodb/dynamodb-audit-log.ts) whose contract tests use it too.
 */
export async function readAuditEvents(tenantId: string, month: string): Promise<AuditEvent[]> {
  const table = emulatorTable();
  const { PK } = keys.auditEvent(tenantId, `${month}-01T00:00:00.000Z`, 'x');
  const page = await table.query({
    KeyConditionExpression: 'PK = :pk',
    ExpressionAttributeValues: { ':pk': { S: PK } },
    ConsistentRead: true,
  });
  return page.items as AuditEvent[];
}
