import { handle, type LambdaContext, type LambdaEvent } from 'hono/aws-lambda';
import { createApp } from '../http/create-app';
import { awsDeps } from '../runtime/aws';
import { withInvocationLogging } from '../runtime/lambda-logging';

/** The portal API behind API Gateway (HTTP API, payload v2). All wiring lives in functions/runtime/aws.ts. */
const app = handle(createApp(awsDeps()));

export const handler = withInvocationLogging((event: LambdaEvent, context: LambdaContext) => app(event, context));
