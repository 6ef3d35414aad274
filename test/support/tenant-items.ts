import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { inject } from 'vitest';
import { createDynamoDbClient } from '../../functions/runtime/aws-clients';
import { LOCAL_REGION } from '../../functions/runtime/local';
import { LOCAL_CREDENTIALS } from './emulators.global-setup';

/**
 * Every stored item of one clinic (every partition key that begins with its tenant), sorted by key: a snapshot to
 * compare before and after requests that must change nothing. A Scan, which only tests may use (on the emulator);
 * the session records are left out, because a request that is refused still proves its session alive and touches it.
 */
export async function tenantItemsSnapshot(tenantId: string): Promise<string[]> {
  const emulators = inject('emulators');
  const client = createDynamoDbClient({
    region: LOCAL_REGION,
    endpoint: emulators.dynamoEndpoint,
    credentials: LOCAL_CREDENTIALS,
  });
  const items: string[] = [];
  let startKey: ScanCommand['input']['ExclusiveStartKey'];
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: emulators.tableName,
        FilterExpression: 'begins_with(PK, :tenant) AND NOT begins_with(SK, :session)',
        ExpressionAttributeValues: { ':tenant': { S: `T#${tenantId}` }, ':session': { S: 'SESSION#' } },
        ConsistentRead: true,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    items.push(...(page.Items ?? []).map((item) => JSON.stringify(unmarshall(item), replaceSets)));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  client.destroy();
  return items.sort();
}

/** String sets come back as JS Sets, which JSON would write as `{}`: sorted arrays keep them comparable. */
function replaceSets(_key: string, value: unknown): unknown {
  return value instanceof Set ? [...value].map(String).sort() : value;
}
