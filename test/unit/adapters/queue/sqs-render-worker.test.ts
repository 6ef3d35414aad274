import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SqsRecord, sqsRenderWorker } from '../../../../functions/adapters/queue/sqs-render-worker';
import { capturingLogger } from '../../../../functions/adapters/system/json-logger';
import type { RenderJob } from '../../../../functions/domain/ports';
import { createSqsClient } from '../../../../functions/runtime/aws-clients';

/**
 * The worker's SQS side with the real SDK client, talking to a small stand-in for SQS's JSON protocol (there is no
 * offline SQS here) that records what it is asked.
 */
const calls: Array<{ target: string | undefined; body: Record<string, unknown> }> = [];
let sqsStandIn: Server;
let endpoint: string;

beforeAll(async () => {
  sqsStandIn = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => {
      calls.push({ target: request.headers['x-amz-target'] as string | undefined, body: JSON.parse(body) });
      response.setHeader('Content-Type', 'application/x-amz-json-1.0');
      response.end('{}');
    });
  });
  await new Promise<void>((resolve) => sqsStandIn.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(sqsStandIn.address() as AddressInfo).port}`;
});

afterAll(() => new Promise((resolve) => sqsStandIn.close(resolve)));

const QUEUE_URL = 'https://sqs.eu-north-1.amazonaws.com/000000000000/render';
const job = (): RenderJob => ({ tenantId: randomUUID(), customerId: randomUUID(), documentId: randomUUID() });
const record = (body: string, receives: number): SqsRecord => ({
  messageId: randomUUID(),
  receiptHandle: `handle-${randomUUID()}`,
  body,
  attributes: { ApproximateReceiveCount: String(receives) },
});

function worker(work: (job: RenderJob, delivery: { finalAttempt: boolean }) => Promise<string>) {
  return sqsRenderWorker({
    work,
    sqs: createSqsClient({ region: 'eu-north-1', endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
    queueUrl: QUEUE_URL,
    maxReceives: 3,
    log: capturingLogger().log,
  });
}

describe('the render worker on SQS', () => {
  it('reports only the failed messages, and brings them back after 30 s, then 2 min', async () => {
    calls.length = 0;
    const [good, bad, badAgain] = [job(), job(), job()];
    const failing = new Set([bad.documentId, badAgain.documentId]);
    const handle = worker(async (received) => {
      if (failing.has(received.documentId)) throw new Error('S3 is throttling');
      return 'published';
    });
    const records = [
      record(JSON.stringify(good), 1),
      record(JSON.stringify(bad), 1),
      record(JSON.stringify(badAgain), 2),
    ];

    const response = await handle({ Records: records });

    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: records[1]?.messageId },
      { itemIdentifier: records[2]?.messageId },
    ]);
    expect(calls).toEqual([
      {
        target: 'AmazonSQS.ChangeMessageVisibility',
        body: { QueueUrl: QUEUE_URL, ReceiptHandle: records[1]?.receiptHandle, VisibilityTimeout: 30 },
      },
      {
        target: 'AmazonSQS.ChangeMessageVisibility',
        body: { QueueUrl: QUEUE_URL, ReceiptHandle: records[2]?.receiptHandle, VisibilityTimeout: 120 },
      },
    ]);
  });

  it('tells the job on the last delivery that it is the last, and leaves the dead-lettering to SQS', async () => {
    calls.length = 0;
    const deliveries: boolean[] = [];
    const handle = worker(async (_job, delivery) => {
      deliveries.push(delivery.finalAttempt);
      throw new Error('still down');
    });

    await handle({ Records: [record(JSON.stringify(job()), 2)] });
    const last = await handle({ Records: [record(JSON.stringify(job()), 3)] });

    expect(deliveries).toEqual([false, true]);
    expect(last.batchItemFailures).toHaveLength(1);
    expect(calls).toHaveLength(1);
  });

  it('refuses a message that is not a render job, without calling the use case', async () => {
    let ran = false;
    const handle = worker(async () => {
      ran = true;
      return 'published';
    });

    const response = await handle({
      Records: [record('{"tenantId":"../other","customerId":"x","documentId":"y"}', 1), record('not json', 1)],
    });

    expect(response.batchItemFailures).toHaveLength(2);
    expect(ran).toBe(false);
  });
});
