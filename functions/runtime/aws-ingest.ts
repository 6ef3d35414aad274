import { lazyPdfLibInspector } from '../adapters/pdf/lazy-pdf-inspector';
import { sqsRenderQueue } from '../adapters/queue/sqs-render-queue';
import { randomIds, systemClock } from '../adapters/system/system-clock-and-ids';
import type { Logger } from '../domain/logging';
import type { IngestAppDeps } from '../http/ingest/ingest-env';
import { awsDataAdapters, awsOriginLock, lambdaRequestInfo } from './aws';
import { createSecretsManagerClient, createSqsClient } from './aws-clients';
import { type AwsEnvironment, required } from './aws-environment';
import { lambdaLogger } from './lambda-logging';

/*
 * The ingest function's wiring, in its own module so that the portal API and the render worker, which import
 * functions/runtime/aws.ts, do not bundle the PDF inspector (pdf-lib, ~350 KB) they never use.
 */

/** The ingest function: the data adapters, the render queue (RENDER_QUEUE_URL) and the origin lock (ORIGIN_SECRET_ARN). */
export function awsIngestDeps(env: AwsEnvironment = process.env, log: Logger = lambdaLogger('ingest')): IngestAppDeps {
  const region = required(env, 'AWS_REGION');
  return {
    ...awsDataAdapters(env),
    queue: sqsRenderQueue(createSqsClient({ region }), required(env, 'RENDER_QUEUE_URL')),
    inspector: lazyPdfLibInspector(),
    clock: systemClock,
    ids: randomIds,
    requestInfo: lambdaRequestInfo,
    originLock: awsOriginLock(env, createSecretsManagerClient({ region })),
    log,
  };
}
