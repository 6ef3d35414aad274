import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { isUuid } from '../../domain/ids';

/**
 * The client-side twin of the tenant roles' IAM policies (lib/stacks/data-stack.ts, `tenantPolicy`): a scoped
 * DynamoDB or S3 client refuses, before anything is sent, every request that would leave its tenant. In AWS it is a
 * second fence inside the IAM one (and names the bug plainly instead of an AccessDenied); on DynamoDB Local and the
 * S3 emulator, which enforce no policies, it is the fence that makes `npm start` and every test run under the same
 * rule as production.
 *
 * The rule is IAM's `dynamodb:LeadingKeys` pair: a partition key belongs to tenant `t` when it is exactly `T#t` or
 * starts with `T#t#`. Never a bare `T#t` prefix: tenant `ab` would then own `T#abc#…`. Object keys must start with
 * `tenants/t/` (the slash plays the same part).
 */

/** Thrown before sending a request a tenant-scoped client must not make. */
export class TenantScopeViolation extends Error {
  constructor(tenantId: string, what: string) {
    super(`Refused: a client scoped to tenant ${tenantId} may not ${what}.`);
    this.name = 'TenantScopeViolation';
  }
}

/** Whether a partition key value belongs to the tenant (`T#<tenant>` or `T#<tenant>#…`). */
export function isTenantPartitionKey(tenantId: string, value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const own = `T#${tenantId}`;
  return value === own || value.startsWith(`${own}#`);
}

/** Whether an object key lies under the tenant's prefix (`tenants/<tenant>/…`). */
export function isTenantObjectKey(tenantId: string, key: unknown): boolean {
  return typeof key === 'string' && key.startsWith(`tenants/${tenantId}/`) && !key.split('/').includes('..');
}

/** The table's partition key and each index's (functions/adapters/dynamodb/table-schema.ts). */
export interface PartitionKeyNames {
  readonly table: string;
  readonly indexes: Readonly<Record<string, string>>;
}

type AttributeMap = Record<string, { S?: string } | undefined>;

interface DynamoDbInput {
  TableName?: string;
  IndexName?: string;
  Key?: AttributeMap;
  Item?: AttributeMap;
  KeyConditionExpression?: string;
  UpdateExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: AttributeMap;
  TransactItems?: Array<Record<string, DynamoDbInput | undefined>>;
  RequestItems?: Record<string, unknown>;
}

/** Commands a scoped DynamoDB client may send; anything else (Scan, PartiQL, table management) is refused. */
const DYNAMODB_COMMANDS = new Set([
  'GetItemCommand',
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'QueryCommand',
  'TransactWriteItemsCommand',
  'TransactGetItemsCommand',
  'BatchGetItemCommand',
  'BatchWriteItemCommand',
]);

/**
 * Throws {@link TenantScopeViolation} unless the DynamoDB request names only `tableName` (the tenant's table: the
 * pool's, or its silo's) and every partition key it touches belongs to the tenant: the table partition key of each
 * Key and Item, the index partition keys an Item writes (an index entry in another tenant's partition would be read
 * by that tenant), and the partition key a Query names in its key condition.
 */
export function checkDynamoDbRequest(
  tenantId: string,
  names: PartitionKeyNames,
  tableName: string,
  commandName: string,
  input: DynamoDbInput,
): void {
  const refuse = (what: string): never => {
    throw new TenantScopeViolation(tenantId, what);
  };
  if (!DYNAMODB_COMMANDS.has(commandName)) refuse(`send ${commandName} (only key-bound item and query requests)`);
  const tablesNamed = [
    input.TableName,
    ...(input.TransactItems ?? []).flatMap((entry) => Object.values(entry).map((one) => one?.TableName)),
    ...Object.keys(input.RequestItems ?? {}),
  ];
  for (const named of tablesNamed) {
    if (named !== undefined && named !== tableName) refuse(`use table ${JSON.stringify(named)}`);
  }
  if (input.TableName === undefined && !input.TransactItems && !input.RequestItems) refuse('name no table');
  const partitionNames = [names.table, ...Object.values(names.indexes)];
  const checkKey = (key: AttributeMap | undefined) => {
    if (!isTenantPartitionKey(tenantId, key?.[names.table]?.S)) {
      refuse(`touch partition ${JSON.stringify(key?.[names.table]?.S ?? null)}`);
    }
  };
  const checkItem = (item: AttributeMap | undefined) => {
    checkKey(item);
    for (const name of partitionNames) {
      const value = item?.[name];
      if (value !== undefined && !isTenantPartitionKey(tenantId, value.S)) {
        refuse(`write ${name} ${JSON.stringify(value.S ?? null)}`);
      }
    }
  };
  const checkOne = (one: DynamoDbInput) => {
    if (one.Item) checkItem(one.Item);
    else checkKey(one.Key);
    // An update may move an item into an index partition: that one must be the tenant's too.
    for (const [attribute, value] of assignments(one.UpdateExpression, one)) {
      if (partitionNames.includes(attribute) && !isTenantPartitionKey(tenantId, value)) {
        refuse(`write ${attribute} ${JSON.stringify(value ?? null)}`);
      }
    }
  };

  switch (commandName) {
    case 'QueryCommand':
      checkQuery(tenantId, names, input, refuse);
      return;
    case 'TransactWriteItemsCommand':
    case 'TransactGetItemsCommand':
      for (const entry of input.TransactItems ?? []) {
        const operations = Object.values(entry).filter((one): one is DynamoDbInput => one !== undefined);
        if (operations.length === 0) refuse('send an empty transaction item');
        for (const one of operations) checkOne(one);
      }
      return;
    case 'BatchGetItemCommand':
      for (const request of Object.values(input.RequestItems ?? {}) as Array<{ Keys?: AttributeMap[] }>) {
        for (const key of request.Keys ?? []) checkKey(key);
      }
      return;
    case 'BatchWriteItemCommand':
      for (const requests of Object.values(input.RequestItems ?? {}) as Array<
        Array<{ PutRequest?: { Item?: AttributeMap }; DeleteRequest?: { Key?: AttributeMap } }>
      >) {
        for (const request of requests) {
          if (request.PutRequest) checkItem(request.PutRequest.Item);
          else checkKey(request.DeleteRequest?.Key);
        }
      }
      return;
    default:
      checkOne(input);
  }
}

/**
 * A Query must name its partition (table or index) with `<partition key> = :value` in the key condition, and the
 * value must be the tenant's: the index partition keys are constrained exactly like the table's.
 */
function checkQuery(
  tenantId: string,
  names: PartitionKeyNames,
  input: DynamoDbInput,
  refuse: (what: string) => never,
): void {
  const partitionKey = input.IndexName === undefined ? names.table : names.indexes[input.IndexName];
  if (partitionKey === undefined) refuse(`query the unknown index ${input.IndexName}`);
  const named = assignments(input.KeyConditionExpression, input).filter(([attribute]) => attribute === partitionKey);
  const value = named.length === 1 ? named[0]?.[1] : undefined;
  if (!isTenantPartitionKey(tenantId, value)) refuse(`query partition ${JSON.stringify(value ?? null)}`);
}

/** Every `<attribute> = :value` of an expression, names and values resolved (a value that is no string: undefined). */
function assignments(expression: string | undefined, input: DynamoDbInput): Array<[string, string | undefined]> {
  return [...(expression ?? '').matchAll(/(#?[A-Za-z0-9_]+)\s*=\s*(:[A-Za-z0-9_]+)/gu)].map(
    ([, operand = '', placeholder = '']) => [
      (operand.startsWith('#') ? input.ExpressionAttributeNames?.[operand] : operand) ?? operand,
      input.ExpressionAttributeValues?.[placeholder]?.S,
    ],
  );
}

/**
 * Throws {@link TenantScopeViolation} unless the S3 request names one of `buckets` and an object key of the tenant;
 * a listing, a prefix of the tenant (IAM's `s3:prefix` condition on the tenant roles' ListBucket).
 */
export function checkS3Request(
  tenantId: string,
  buckets: readonly string[],
  commandName: string,
  input: { Bucket?: string; Key?: string; Prefix?: string },
): void {
  if (input.Bucket === undefined || !buckets.includes(input.Bucket)) {
    throw new TenantScopeViolation(tenantId, `send ${commandName} to bucket ${JSON.stringify(input.Bucket ?? null)}`);
  }
  if (commandName === 'ListObjectsV2Command') {
    if (!isTenantObjectKey(tenantId, input.Prefix)) {
      throw new TenantScopeViolation(tenantId, `list objects under ${JSON.stringify(input.Prefix ?? null)}`);
    }
    return;
  }
  if (!isTenantObjectKey(tenantId, input.Key)) {
    throw new TenantScopeViolation(tenantId, `send ${commandName} for object ${JSON.stringify(input.Key ?? null)}`);
  }
}

const GUARD = { step: 'initialize', name: 'tenantKeyGuard', override: true } as const;

function assertTenantId(tenantId: string): void {
  // The id becomes part of the prefixes checked above; a malformed one must never widen them.
  if (!isUuid(tenantId)) throw new Error('A tenant-scoped client needs a tenant id that is a UUID.');
}

/**
 * Makes `client` refuse every request outside the tenant (see {@link checkDynamoDbRequest}). Runs at the
 * initialize step, before serialisation and signing, so a refused request never leaves the process.
 */
export function guardDynamoDbClient(
  client: DynamoDBClient,
  tenantId: string,
  names: PartitionKeyNames,
  tableName: string,
): DynamoDBClient {
  assertTenantId(tenantId);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      checkDynamoDbRequest(tenantId, names, tableName, context.commandName ?? 'unknown', args.input as DynamoDbInput);
      return next(args);
    },
    GUARD,
  );
  return client;
}

/**
 * Makes `client` refuse every request outside `tenants/<tenant>/` of `buckets` (see {@link checkS3Request}). The
 * presigner runs the client's initialize middleware too, so no URL for another tenant's object is ever signed.
 */
export function guardS3Client(client: S3Client, tenantId: string, buckets: readonly string[]): S3Client {
  assertTenantId(tenantId);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      checkS3Request(
        tenantId,
        buckets,
        context.commandName ?? 'unknown',
        args.input as { Bucket?: string; Key?: string; Prefix?: string },
      );
      return next(args);
    },
    GUARD,
  );
  return client;
}
