import { handle } from 'hono/aws-lambda';
import { createIngestApp } from '../http/ingest/create-ingest-app';
import { awsIngestDeps } from '../runtime/aws-ingest';

/** The ingest API (/ingest/v1) behind API Gateway, for the clinics' practice systems. Wiring: functions/runtime/aws-ingest.ts. */
export const handler = handle(createIngestApp(awsIngestDeps()));
