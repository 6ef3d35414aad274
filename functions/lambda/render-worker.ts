import { embeddedRoboto } from '../adapters/pdf/embedded-roboto';
import { createPdfmakeInvoiceRenderer } from '../adapters/pdf/pdfmake-invoice-renderer';
import { renderJobFromMessage } from '../adapters/queue/sqs-render-queue';
import { randomIds, systemClock } from '../adapters/system/system-clock-and-ids';
import { awsDataAdapters } from '../runtime/aws';
import { renderDocument } from '../use-cases/ingest/render-document';

/** The SQS event shapes this handler reads (a subset of aws-lambda's SQSEvent, without a types package). */
interface SqsRecord {
  readonly messageId: string;
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
// Fonts come from the bundle (esbuild embeds the TTFs): a Lambda has no node_modules to read them from.
const renderer = createPdfmakeInvoiceRenderer({ fontSource: embeddedRoboto() });

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
    }
  }
  return { batchItemFailures };
}
