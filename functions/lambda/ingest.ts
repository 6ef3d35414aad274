import { handle, type LambdaContext, type LambdaEvent } from 'hono/aws-lambda';
import { createIngestApp } from '../http/ingest/create-ingest-app';
import { awsIngestDeps } from '../runtime/aws-ingest';
import { withInvocationLogging } from '../runtime/lambda-logging';

/** The ingest API (/ingest/v1) behind API Gateway, for the clinics' practice systems. Wiring: functions/runtime/aws-ingest.ts. */
const app = handle(createIngestApp(awsIngestDeps()));

export const handler = withInvocationLogging((event: LambdaEvent, context: LambdaContext) => app(event, context));
