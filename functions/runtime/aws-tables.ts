import { systemClock } from '../adapters/system/system-clock-and-ids';
import { type ClientOptions, createDynamoDbClient, createStsClient, createTenantDynamoDbClient } from './aws-clients';
import { type AwsEnvironment, required } from './aws-environment';
import { parseSiloClinics } from './storage-routing';
import { type TenantCredentialsOptions, tenantCredentials } from './tenant-credentials';
import { tableDataAdapters } from './tenant-table-scope';

/*
 * How the functions reach the table in AWS, apart from ./aws.ts, so that a function using the table alone (the
 * notification sender) imports no bucket adapter and no S3 client (./tenant-table-scope.ts says why that matters).
 */

/**
 * How tenant data is reached in AWS. `assume-tenant-role` (every Lambda function): each tenant's requests are signed
 * with that tenant's session of TENANT_DATA_ROLE_ARN. `caller-credentials`: the operator commands, run by a person
 * with their own AWS credentials, which no tenant role trusts. Both keep the client-side tenant key guard.
 */
export type TenantDataAccess = 'assume-tenant-role' | 'caller-credentials';

/**
 * The table's adapters alone (TABLE_NAME), for a function that uses no bucket (./tenant-table-scope.ts). Fails closed:
 * without TENANT_DATA_ROLE_ARN a function does not start rather than reach tenant data with its own role.
 */
export function awsTableDataAdapters(env: AwsEnvironment = process.env) {
  const { clientOptionsFor, ...services } = awsTableServices(env, 'assume-tenant-role');
  return tableDataAdapters({
    ...services,
    tenantDynamoDb: (tenantId, tableName) =>
      createTenantDynamoDbClient(tenantId, clientOptionsFor(tenantId), tableName),
  });
}

/**
 * The function's own DynamoDB client, the pool's table, the silos (SILO_CLINICS, required), and how each tenant's
 * clients are to sign (see TenantDataAccess).
 */
export function awsTableServices(env: AwsEnvironment, access: TenantDataAccess) {
  const region = required(env, 'AWS_REGION');
  const clock = systemClock;
  const credentialsFor =
    access === 'assume-tenant-role'
      ? tenantCredentialsFactory({
          sts: createStsClient({ region }),
          roleArn: required(env, 'TENANT_DATA_ROLE_ARN'),
          clock,
        })
      : () => undefined;
  return {
    platformDynamoDb: createDynamoDbClient({ region }),
    tableName: required(env, 'TABLE_NAME'),
    silos: parseSiloClinics(env.SILO_CLINICS),
    clock,
    clientOptionsFor: (tenantId: string): ClientOptions => {
      const credentials = credentialsFor(tenantId);
      return { region, ...(credentials ? { credentials } : {}) };
    },
  };
}

function tenantCredentialsFactory(options: TenantCredentialsOptions) {
  return (tenantId: string) => tenantCredentials(options, tenantId);
}
