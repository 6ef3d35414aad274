import { inject } from 'vitest';
import { DynamoDbTable } from '../../functions/adapters/dynamodb/dynamodb-table';
import { createDynamoDbClient } from '../../functions/runtime/aws-clients';
import { LOCAL_REGION } from '../../functions/runtime/local';
import { LOCAL_CREDENTIALS } from './emulators.global-setup';

let shared: DynamoDbTable | undefined;

/**
 * The single table on the integration project's DynamoDB Local, for tests that build one adapter on its own or read
 * stored items directly. One client per test file (module state is per file), made on first use.
 */
export function emulatorTable(): DynamoDbTable {
  if (!shared) {
    const emulators = inject('emulators');
    const client = createDynamoDbClient({
      region: LOCAL_REGION,
      endpoint: emulators.dynamoEndpoint,
      credentials: LOCAL_CREDENTIALS,
    });
    shared = new DynamoDbTable(client, emulators.tableName);
  }
  return shared;
}
