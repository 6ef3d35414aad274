import { ChangeMessageVisibilityCommand } from '@aws-sdk/client-sqs';
import { embeddedRoboto } from '../adapters/pdf/embedded-roboto';
import { createPdfmakeInvoiceRenderer } from '../adapters/pdf/pdfmake-invoice-renderer';
import { renderJobFromMessage } from '../adapters/queue/sqs-render-queue';
import { randomIds, systemClock } from '../adapters/system/system-clock-and-ids';
import { awsDataAdapters, required } from '../runtime/aws';
import { createSqsClient } from '../runtime/aws-clients';
import { renderDocument } from '../use-cases/ingest/render-document';

/** The SQS event shapes this handler reads (a subset of aws-lambda's SQSEvent, without a types package). */
interface SqsRecord {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly attributes: { readonly ApproximateReceiveCount: string };
}
interface SqsEvent {
  readonly Records: readonly SqsRecord[];
}
interface SqsBatchResponse {
  readonly batchItemFailures: ReadonlyArray<{ readonly itemIdentifier: string }>;
}

/** Must equal the queue's redrive maxReceiveCount (lib/), so the last delivery knows it is the last. */
const MAX_RECEIVES = Number(process.env.RENDER_MAX_RECEIVES ?? 3);

const { scopeFor } = awsDataAdapters();
const queueUrl = required(process.env, 'RENDER_QUEUE_URL');
const sqs = createSqsClient({ region: required(process.env, 'AWS_REGION') });
// Fonts come from the bundle (esbuild embeds the TTFs): a Lambda has no node_modules to read them from.
const renderer = createPdfmakeInvoiceRenderer({ fontSource: embeddedRoboto() });

/**
 * A failed job would come back only after the queue's visibility timeout (30 minutes, six times the worker's
 * timeout, as AWS advises for Lambda consumers). A passing S3 or DynamoDB hiccup deserves a quicker retry: 30 s after
 * the first failure, 2 min after the second. Best effort: if this fails too, the visibility timeout still applies.
 */
async function retrySoon(record: SqsRecord): Promise<void> {
  const receives = Number(record.attributes.ApproximateReceiveCount);
  if (receives >= MAX_RECEIVES) return;
  try {
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: queueUrl,
        ReceiptHandle: record.receiptHandle,
        VisibilityTimeout: 30 * 4 ** (receives - 1),
      }),
    );
  } catch {
    // The visibility timeout brings the job back later anyway.
  }
}

/**
 * The render worker: one SQS message per document. Failed messages are reported individually (partial batch
 * response), so one bad document never makes the queue redeliver the others.
 */
export async function handler(event: SqsEvent): Promise<SqsBatchResponse> {
  const batchItemFailures: Array<{ itemIdentifier: string }> = [];
  for (const record of event.Records) {
    try {
      const job = renderJobFromMessage(record.body);
      const finalAttempt = Number(record.attributes.ApproximateReceiveCount) >= MAX_RECEIVES;
      const outcome = await renderDocument({ scopeFor, renderer, clock: systemClock, ids: randomIds }, job, {
        finalAttempt,
      });
      console.log(JSON.stringify({ level: 'info', message: 'Render job done', documentId: job.documentId, outcome }));
    } catch (error) {
      console.error(
        JSON.stringify({
          level: 'error',
          message: 'Render job failed',
          messageId: record.messageId,
          errorName: error instanceof Error ? error.name : 'unknown',
          errorMessage: error instanceof Error ? error.message : String(error),
        }),
      );
      batchItemFailures.push({ itemIdentifier: record.messageId });
      await retrySoon(record);
    }
  }
  return { batchItemFailures };
}
