import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { keys, visibleDocumentsPartition } from '../../functions/adapters/dynamodb/keys';
import type { Customer } from '../../functions/domain/identity';
import { createApp } from '../../functions/http/create-app';
import { startDynamoDbLocal } from '../../functions/local/services/dynamodb-local';
import { ensureTable } from '../../functions/local/services/ensure-table';
import { createDynamoDbClient } from '../../functions/runtime/aws-clients';
import { LOCAL_REGION, localRuntime } from '../../functions/runtime/local';
import { bulkDocument, putDocumentsDirectly } from '../support/bulk-documents';
import { clientFor, createClinic, TEST_PASSWORD_COST, type TestPortal } from '../support/test-portal';

const TABLE_NAME = 'bench-document-list';
const LARGE_LIST = 10_000;
const LARGE_TENANT = 100_000;
const SMALL_LIST = 100;
const PAGE = 50;
const WARM_UP = 50;
const SAMPLES = 500;

/** `count` invoice dates, one a day backwards from 2025-12-31 (several documents a day once the days run out). */
function dates(count: number): string[] {
  return Array.from({ length: count }, (_, index) =>
    new Date(Date.UTC(2025, 11, 31 - (index % 3650))).toISOString().slice(0, 10),
  );
}

function percentile(samples: readonly number[], fraction: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? Number.NaN;
}

/** Runs the measured operations interleaved (so drift of the machine hits all alike) and returns each one's times. */
async function measure(operations: ReadonlyArray<() => Promise<unknown>>): Promise<number[][]> {
  for (let round = 0; round < WARM_UP; round += 1) for (const operation of operations) await operation();
  const times = operations.map((): number[] => []);
  for (let round = 0; round < SAMPLES; round += 1) {
    for (const [index, operation] of operations.entries()) {
      const started = performance.now();
      await operation();
      times[index]?.push(performance.now() - started);
    }
  }
  return times;
}

const ms = (value: number) => `${value.toFixed(2)} ms`;

/**
 * The contact's document list at scale, on DynamoDB Local (in memory) and the real Hono app in process: a customer
 * with 10,000 documents, its first page of 50 through the whole API (host → tenant, session, membership and customer
 * check, the Query, JSON) against a bare DynamoDB Query of the same page; and a 100-document customer in a tenant of
 * 100,000 documents against the same in a tenant of 100, to show that a list's cost does not grow with the tenant.
 * Documents are written straight into the table (BatchWriteItem) as the adapter would store them.
 */
export async function runDocumentListBench(): Promise<void> {
  const dynamoDb = await startDynamoDbLocal();
  const mailDirectory = mkdtempSync(join(tmpdir(), 'list-bench-mail-'));
  const client = createDynamoDbClient({
    region: LOCAL_REGION,
    endpoint: dynamoDb.endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    await ensureTable(client, TABLE_NAME);
    const runtime = localRuntime({
      dynamoDbEndpoint: dynamoDb.endpoint,
      tableName: TABLE_NAME,
      // The list never touches S3; nothing listens here.
      s3Endpoint: 'http://127.0.0.1:9',
      s3Credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
      documentsBucket: 'unused',
      auditAnchorBucket: 'unused',
      sessionSeed: randomBytes(32),
      adminSecretsKey: randomBytes(32),
      mailDirectory,
      passwordCost: TEST_PASSWORD_COST,
    });
    const portal = { deps: runtime.portal, app: createApp(runtime.portal) } as TestPortal;
    const [large, small] = await Promise.all([createClinic(portal), createClinic(portal)]);

    const seed = async (tenantId: string, customer: Customer, count: number) =>
      putDocumentsDirectly(
        { client, tableName: TABLE_NAME, tenantId },
        dates(count).map((date) => bulkDocument(customer.id, randomUUID(), date)),
        16,
      );
    const started = performance.now();
    // The large tenant: the 10,000-document customer, a 100-document one, and 89,900 more over other customers.
    const others = await Promise.all(
      Array.from({ length: 9 }, (_, index) =>
        large.scope.customers
          .put({ ...large.customer, id: randomUUID(), customerNumber: `K-bench-${index}` })
          .then(() => randomUUID()),
      ),
    );
    await seed(large.tenantId, large.customer, LARGE_LIST);
    await seed(large.tenantId, large.otherCustomer, SMALL_LIST);
    const rest = LARGE_TENANT - LARGE_LIST - SMALL_LIST;
    for (const [index, id] of others.entries()) {
      const count = Math.floor(rest / others.length) + (index < rest % others.length ? 1 : 0);
      await seed(large.tenantId, { ...large.customer, id }, count);
    }
    await seed(small.tenantId, small.customer, SMALL_LIST);
    const seededSeconds = (performance.now() - started) / 1000;

    const largeContact = await large.addContact([large.customer, large.otherCustomer]);
    const largeClient = clientFor(portal, large);
    await largeClient.login(largeContact);
    const smallClient = clientFor(portal, small);
    await smallClient.login(small.contact);

    const api = (who: typeof largeClient, customerId: string) => async () => {
      const response = await who.request(`/api/customers/${customerId}/documents?limit=${PAGE}`);
      if (response.status !== 200) throw new Error(`The list answered ${response.status}`);
      await response.json();
    };
    const bareQuery = (tenantId: string, customerId: string) => () =>
      client.send(
        new QueryCommand({
          TableName: TABLE_NAME,
          IndexName: 'GSI1',
          KeyConditionExpression: 'GSI1PK = :partition',
          ExpressionAttributeValues: { ':partition': { S: visibleDocumentsPartition(tenantId, customerId) } },
          ScanIndexForward: false,
          Limit: PAGE,
        }),
      );
    const repository = () => large.scope.documents.listVisible(large.customer, { limit: PAGE });
    // The least any authorized list must read: the page, and alongside it the session record, the membership and
    // the customer (portal access), each a GetItem; issued at once, as the API does. On DynamoDB Local the four
    // share this machine's two cores with the emulator, so they cost more together than the Query alone.
    const getItem = (key: { PK: string; SK: string }) =>
      client.send(new GetItemCommand({ TableName: TABLE_NAME, Key: marshall(key) }));
    const readsFloor = () =>
      Promise.all([
        bareQuery(large.tenantId, large.customer.id)(),
        getItem(keys.session(large.tenantId, largeContact.contact.id, randomUUID())),
        getItem(keys.membership(large.tenantId, largeContact.contact.id, large.customer.id)),
        getItem(keys.customer(large.tenantId, large.customer.id)),
      ]);

    const [apiTimes = [], repositoryTimes = [], bareTimes = [], floorTimes = []] = await measure([
      api(largeClient, large.customer.id),
      repository,
      bareQuery(large.tenantId, large.customer.id),
      readsFloor,
    ]);
    const [inLargeTenant = [], inSmallTenant = []] = await measure([
      api(largeClient, large.otherCustomer.id),
      api(smallClient, small.customer.id),
    ]);

    const row = (label: string, times: readonly number[]) =>
      `  ${label.padEnd(44)} p50 ${ms(percentile(times, 0.5)).padStart(9)}   p99 ${ms(percentile(times, 0.99)).padStart(9)}`;
    const ratio = (a: readonly number[], b: readonly number[], fraction: number) =>
      (percentile(a, fraction) / percentile(b, fraction)).toFixed(2);
    console.log(
      `\nDocument list at scale (DynamoDB Local in memory, Hono in process; first page of ${PAGE}, ${SAMPLES} samples each)`,
    );
    console.log(
      `  seeded ${LARGE_TENANT + SMALL_LIST} documents in ${seededSeconds.toFixed(1)} s (BatchWriteItem, 16 requests at a time)`,
    );
    console.log(`  one customer with ${LARGE_LIST} documents:`);
    console.log(row('list API (GET …/documents)', apiTimes));
    console.log(row('repository listVisible (no HTTP, no auth)', repositoryTimes));
    console.log(row('bare DynamoDB Query of the same page', bareTimes));
    console.log(row('that Query ∥ the 3 GetItems of the checks', floorTimes));
    console.log(
      `  ratio API / bare Query:        p50 ${ratio(apiTimes, bareTimes, 0.5)}   p99 ${ratio(apiTimes, bareTimes, 0.99)}   (target ≤ 1.3)`,
    );
    console.log(
      `  ratio API / those reads:       p50 ${ratio(apiTimes, floorTimes, 0.5)}   p99 ${ratio(apiTimes, floorTimes, 0.99)}   (what Hono, auth and JSON add)`,
    );
    console.log(
      `  ratio repository / bare Query: p50 ${ratio(repositoryTimes, bareTimes, 0.5)}   p99 ${ratio(repositoryTimes, bareTimes, 0.99)}`,
    );
    console.log(`  a customer with ${SMALL_LIST} documents:`);
    console.log(row(`in a tenant of ${LARGE_TENANT.toLocaleString('en')} documents`, inLargeTenant));
    console.log(row(`in a tenant of ${SMALL_LIST} documents`, inSmallTenant));
    console.log(`  ratio large / small tenant:    p50 ${ratio(inLargeTenant, inSmallTenant, 0.5)}   (target ≤ 1.1)`);
  } finally {
    client.destroy();
    await dynamoDb.stop();
    rmSync(mailDirectory, { recursive: true, force: true });
  }
}
