import { createHash } from 'node:crypto';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import type { Context } from 'hono';
import type { LambdaEvent } from 'hono/aws-lambda';
import { joseSessionTokens, signingKeysFromSeed } from '../adapters/security/jose-session-tokens';
import { scryptPasswordHasher } from '../adapters/security/scrypt-password-hasher';
import { randomIds, systemClock } from '../adapters/system/system-clock-and-ids';
import type { AppDeps, TrustedRequestInfo } from '../http/app-types';
import { createDynamoDbClient, createS3Client, createSecretsManagerClient } from './aws-clients';
import { dataAdapters } from './tenant-scope';

/** The Lambda environment the API stack sets (lib/stacks/api-stack.ts). */
export interface AwsEnvironment {
  readonly AWS_REGION?: string | undefined;
  readonly TABLE_NAME?: string | undefined;
  readonly DOCUMENTS_BUCKET?: string | undefined;
  readonly SESSION_SECRET_ARN?: string | undefined;
  readonly RENDER_QUEUE_URL?: string | undefined;
  /** The render queue's maxReceiveCount: the worker treats that delivery as the last. */
  readonly RENDER_MAX_RECEIVES?: string | undefined;
}

export function required(env: AwsEnvironment, name: keyof AwsEnvironment): string {
  const value = env[name];
  if (!value) throw new Error(`The Lambda environment variable ${name} is not set.`);
  return value;
}

/**
 * API Gateway's request context is set by AWS, not by the client: sourceIp is the TCP peer as API Gateway saw it.
 * The clinic's host name comes from `x-forwarded-host`, which the CloudFront viewer-request function overwrites
 * with the viewer's Host header on every request (lib/stacks/web-stack.ts).
 */
export function lambdaRequestInfo(c: Context): TrustedRequestInfo {
  const event = (c.env as { event?: LambdaEvent } | undefined)?.event;
  const context = event && 'requestContext' in event ? event.requestContext : undefined;
  const sourceIp = context && 'http' in context ? context.http.sourceIp : 'unknown';
  const forwardedHost = c.req.header('x-forwarded-host');
  const viewerHost = (forwardedHost ?? new URL(c.req.url).host).toLowerCase();
  // CloudFront only serves HTTPS to viewers, so the viewer's origin is always https://<host>.
  return { host: viewerHost.split(':')[0] ?? '', origin: `https://${viewerHost}`, sourceIp };
}

/**
 * Production wiring: SDK clients are created once per Lambda container, here. The session key is fetched from
 * Secrets Manager on first use rather than at import, so a cold start that serves /api/health does no extra I/O.
 */
export function awsDeps(env: AwsEnvironment = process.env): AppDeps {
  const region = required(env, 'AWS_REGION');
  const secretArn = required(env, 'SESSION_SECRET_ARN');
  const secrets = createSecretsManagerClient({ region });
  const data = awsDataAdapters(env);
  return {
    ...data,
    tokens: joseSessionTokens(async () => {
      const secret = await secrets.send(new GetSecretValueCommand({ SecretId: secretArn }));
      if (!secret.SecretString) throw new Error('The session signing secret is empty.');
      return signingKeysFromSeed(createHash('sha256').update(secret.SecretString).digest());
    }),
    hasher: scryptPasswordHasher(),
    clock: systemClock,
    ids: randomIds,
    requestInfo: lambdaRequestInfo,
  };
}

/** The table and bucket adapters every function shares (TABLE_NAME, DOCUMENTS_BUCKET). */
export function awsDataAdapters(env: AwsEnvironment = process.env) {
  const region = required(env, 'AWS_REGION');
  return dataAdapters({
    dynamoDb: createDynamoDbClient({ region }),
    tableName: required(env, 'TABLE_NAME'),
    s3: createS3Client({ region }),
    documentsBucket: required(env, 'DOCUMENTS_BUCKET'),
    clock: systemClock,
  });
}
