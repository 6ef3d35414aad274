import { embeddedRoboto } from '../adapters/pdf/embedded-roboto';
import { createPdfmakeInvoiceRenderer } from '../adapters/pdf/pdfmake-invoice-renderer';
import { sqsRenderWorker } from '../adapters/queue/sqs-render-worker';
import { randomIds, systemClock } from '../adapters/system/system-clock-and-ids';
import { awsDataAdapters } from '../runtime/aws';
import { createSqsClient } from '../runtime/aws-clients';
import { required } from '../runtime/aws-environment';
import { lambdaLogger, withInvocationLogging } from '../runtime/lambda-logging';
import { renderDocument } from '../use-cases/ingest/render-document';

const { scopeFor } = awsDataAdapters();
// Fonts come from the bundle (esbuild embeds the TTFs): a Lambda has no node_modules to read them from.
const renderer = createPdfmakeInvoiceRenderer({ fontSource: embeddedRoboto() });

/** The render worker, fed by the render queue (lib/constructs/render-worker.ts). */
export const handler = withInvocationLogging(
  sqsRenderWorker({
    work: (job, delivery) => renderDocument({ scopeFor, renderer, clock: systemClock, ids: randomIds }, job, delivery),
    sqs: createSqsClient({ region: required(process.env, 'AWS_REGION') }),
    queueUrl: required(process.env, 'RENDER_QUEUE_URL'),
    maxReceives: Number(required(process.env, 'RENDER_MAX_RECEIVES')),
    log: lambdaLogger('render-worker'),
  }),
);
