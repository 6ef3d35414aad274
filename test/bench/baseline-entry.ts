/**
 * The bundle benchmark's yardstick: the same libraries our API uses (Hono, DynamoDB, S3 + presigner, jose), wired
 * the way a minimal Lambda would wire them, and nothing of ours. Clients are created at module scope, as in
 * functions/runtime/aws.ts, so both bundles pay the same construction cost on import.
 */
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
import { jwtVerify } from 'jose';

const region = process.env.AWS_REGION ?? 'eu-north-1';
const tableName = process.env.TABLE_NAME ?? 'table';
const bucket = process.env.DOCUMENTS_BUCKET ?? 'bucket';
const dynamoDb = new DynamoDBClient({ region });
const s3 = new S3Client({ region });
const key = new TextEncoder().encode('baseline-only-key-baseline-only-key');

const app = new Hono();

app.get('/api/items/:id', async (c) => {
  const result = await dynamoDb.send(
    new GetItemCommand({ TableName: tableName, Key: { PK: { S: c.req.param('id') }, SK: { S: 'item' } } }),
  );
  return c.json({ found: Boolean(result.Item) });
});

app.get('/api/links/:key', async (c) => {
  const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: c.req.param('key') }), {
    expiresIn: 60,
  });
  return c.json({ url });
});

app.get('/api/me', async (c) => {
  const token = c.req.header('authorization')?.replace(/^Bearer /u, '') ?? '';
  const { payload } = await jwtVerify(token, key);
  return c.json({ subject: payload.sub });
});

export const handler = handle(app);
