import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { errorFields, type Logger } from '../../domain/logging';
import type { RenderJob } from '../../domain/ports';
import { renderJobFromMessage } from './sqs-render-queue';

/** The SQS event shapes the worker reads (a subset of aws-lambda's SQSEvent, without a types package). */
export interface SqsRecord {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly attributes: { readonly ApproximateReceiveCount: string };
}
export interface SqsEvent {
  readonly Records: readonly SqsRecord[];
}
export interface SqsBatchResponse {
  readonly batchItemFailures: ReadonlyArray<{ readonly itemIdentifier: string }>;
}

export interface SqsRenderWorkerOptions {
  /** Runs one job; `finalAttempt` on the delivery after which SQS dead-letters the message. */
  readonly work: (job: RenderJob, delivery: { readonly finalAttempt: boolean }) => Promise<string>;
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  /** The queue's redrive maxReceiveCount (lib/ passes it as RENDER_MAX_RECEIVES). */
  readonly maxReceives: number;
  readonly log: Logger;
}

/**
 * The render worker's SQS side: one job per message, failures reported per message (partial batch response), so one
 * bad document never makes the queue redeliver the others. A failed job would come back only after the queue's
 * visibility timeout (30 minutes, six times the worker's timeout, as AWS advises for Lambda consumers); a passing S3
 * or DynamoDB hiccup deserves a quicker retry, so the worker shortens it to 30 s after the first failure and 2 min
 * after the second (best effort: if that call fails too, the visibility timeout still applies).
 */
export function sqsRenderWorker(options: SqsRenderWorkerOptions): (event: SqsEvent) => Promise<SqsBatchResponse> {
  const { log } = options;
  const retrySoon = async (record: SqsRecord, receives: number) => {
    if (receives >= options.maxReceives) return;
    await options.sqs
      .send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: options.queueUrl,
          ReceiptHandle: record.receiptHandle,
          VisibilityTimeout: 30 * 4 ** (receives - 1),
        }),
      )
      .catch(() => undefined);
  };

  return async (event) => {
    const batchItemFailures: Array<{ itemIdentifier: string }> = [];
    for (const record of event.Records) {
      const receives = Number(record.attributes.ApproximateReceiveCount);
      try {
        const job = renderJobFromMessage(record.body);
        const outcome = await options.work(job, { finalAttempt: receives >= options.maxReceives });
        log.info('Render job done', { documentId: job.documentId, outcome });
      } catch (error) {
        log.error('Render job failed', { messageId: record.messageId, receives, ...errorFields(error) });
        batchItemFailures.push({ itemIdentifier: record.messageId });
        await retrySoon(record, receives);
      }
    }
    return { batchItemFailures };
  };
}
