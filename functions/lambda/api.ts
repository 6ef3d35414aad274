import { handle } from 'hono/aws-lambda';
import { createApp } from '../http/create-app';
import { awsDeps } from '../runtime/aws';

/** The portal API behind API Gateway (HTTP API, payload v2). All wiring lives in functions/runtime/aws.ts. */
export const handler = handle(createApp(awsDeps()));
