import { createHash } from 'node:crypto';
import { GetSecretValueCommand, ResourceNotFoundException } from '@aws-sdk/client-secrets-manager';
import type { Context } from 'hono';
import type { LambdaEvent } from 'hono/aws-lambda';
import { animatedQrData } from '../adapters/bankid/animated-qr';
import {
  BankIdConfigurationError,
  bankIdBaseUrl,
  bankIdClientOptionsFromSecret,
  isBankIdEnvironment,
} from '../adapters/bankid/bankid-environments';
import { lazyBankIdClient } from '../adapters/bankid/lazy-bankid-client';
import { aesGcmSecretCipher } from '../adapters/security/aes-gcm-secret-cipher';
import { hmacPersonalNumberKeys } from '../adapters/security/hmac-personal-number-keys';
import { joseSessionTokens, signingKeysFromSeed } from '../adapters/security/jose-session-tokens';
import { otpauthTotp } from '../adapters/security/otpauth-totp';
import { scryptPasswordHasher } from '../adapters/security/scrypt-password-hasher';
import { randomIds, systemClock } from '../adapters/system/system-clock-and-ids';
import type { Logger } from '../domain/logging';
import type { AppDeps, TrustedRequestInfo } from '../http/app-types';
import { type OriginLock, secretOriginLock } from '../http/middleware/origin-lock';
import type { BankIdSupport } from '../use-cases/bankid-login';
import { createSecretsManagerClient, createTenantClients } from './aws-clients';
import { type AwsEnvironment, required } from './aws-environment';
import { awsMailer } from './aws-mail';
import { awsTableServices, type TenantDataAccess } from './aws-tables';
import { lambdaLogger } from './lambda-logging';
import { dataAdapters } from './tenant-scope';

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
 * Production wiring: SDK clients are created once per Lambda container, here. The session key and BankID's secrets
 * are fetched from Secrets Manager on first use rather than at import, so a cold start that serves /api/health does
 * no extra I/O.
 */
export function awsDeps(env: AwsEnvironment = process.env, log: Logger = lambdaLogger('api')): AppDeps {
  const region = required(env, 'AWS_REGION');
  const secretArn = required(env, 'SESSION_SECRET_ARN');
  const adminSecretsKeyArn = required(env, 'ADMIN_SECRETS_KEY_ARN');
  const secrets = createSecretsManagerClient({ region });
  const data = awsDataAdapters(env);
  const bankId = awsBankId(env, secrets, log);
  return {
    ...data,
    ...(bankId ? { bankId } : {}),
    originLock: awsOriginLock(env, secrets),
    log,
    tokens: joseSessionTokens(async () => {
      // The seed's current version signs; its previous version (kept by Secrets Manager after a rotation) still
      // verifies, so sessions begun before a rotation live out their time instead of being cut off.
      const [current, previous] = await currentAndPreviousSecret(secrets, secretArn);
      if (!current) throw new Error('The session signing secret is empty.');
      const keysOf = (seed: string) => signingKeysFromSeed(createHash('sha256').update(seed).digest());
      const currentKeys = keysOf(current);
      const previousKeys = previous ? keysOf(previous) : undefined;
      return {
        current: currentKeys,
        previous: previousKeys && previousKeys.keyId !== currentKeys.keyId ? [previousKeys] : [],
      };
    }),
    hasher: scryptPasswordHasher(),
    clock: systemClock,
    ids: randomIds,
    mailer: awsMailer(env),
    requestInfo: lambdaRequestInfo,
    totp: otpauthTotp,
    // Fetched at the first admin login that needs it (enrolment or a code), not at cold start.
    adminSecrets: aesGcmSecretCipher(async () => {
      const key = (await secrets.send(new GetSecretValueCommand({ SecretId: adminSecretsKeyArn }))).SecretString;
      if (!key) throw new Error('The admin secrets key is empty.');
      return new Uint8Array(createHash('sha256').update(key).digest());
    }),
  };
}

/**
 * BankID when BANKID_SECRET_ARN is set, else undefined (the BankID routes answer 503 `bankid_unavailable`). Nothing
 * is fetched here: the RP credentials are read and the mTLS client built on the first BankID call, the pepper on
 * the first completed login; a failed read is retried by the next call. The variables are checked at once, so a
 * wrongly wired function fails at cold start rather than at a login.
 */
function awsBankId(
  env: AwsEnvironment,
  secrets: ReturnType<typeof createSecretsManagerClient>,
  log: Logger,
): BankIdSupport | undefined {
  const bankIdSecretArn = env.BANKID_SECRET_ARN;
  if (!bankIdSecretArn) return undefined;
  const pepperArn = required(env, 'PERSONAL_NUMBER_PEPPER_ARN');
  const environment = required(env, 'BANKID_ENVIRONMENT');
  if (!isBankIdEnvironment(environment)) {
    throw new BankIdConfigurationError(`BANKID_ENVIRONMENT must be test or production, not ${environment}`);
  }
  const baseUrl = bankIdBaseUrl(environment, env.BANKID_BASE_URL);

  const secretString = async (arn: string) =>
    (await secrets.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString;

  return {
    client: lazyBankIdClient({
      log,
      loadOptions: async () =>
        bankIdClientOptionsFromSecret(await secretString(bankIdSecretArn), { environment, baseUrl }),
    }),
    personalNumberKeys: hmacPersonalNumberKeys(async () => {
      const pepper = await secretString(pepperArn);
      if (!pepper) throw new Error('The personal-number pepper secret is empty.');
      return new Uint8Array(Buffer.from(pepper, 'utf8'));
    }),
    animatedQr: animatedQrData,
  };
}

/**
 * The origin lock (functions/http/middleware/origin-lock.ts) on ORIGIN_SECRET_ARN: its current value and, after a
 * rotation, its previous one, which CloudFront sends until the distribution has the new value (docs/operations.md).
 */
export function awsOriginLock(env: AwsEnvironment, secrets: ReturnType<typeof createSecretsManagerClient>): OriginLock {
  const secretArn = required(env, 'ORIGIN_SECRET_ARN');
  return secretOriginLock(
    async () => {
      const [current, previous] = await currentAndPreviousSecret(secrets, secretArn);
      return [current ?? '', previous ?? ''];
    },
    { clock: systemClock },
  );
}

/**
 * A secret's current value and, when it has been rotated, its previous one (Secrets Manager keeps it as
 * AWSPREVIOUS): what lets a rotation take effect without cutting off what was signed or sent with the old value.
 */
async function currentAndPreviousSecret(
  secrets: ReturnType<typeof createSecretsManagerClient>,
  secretArn: string,
): Promise<readonly [string | undefined, string | undefined]> {
  const [current, previous] = await Promise.all([
    secrets.send(new GetSecretValueCommand({ SecretId: secretArn })),
    secrets
      .send(new GetSecretValueCommand({ SecretId: secretArn, VersionStage: 'AWSPREVIOUS' }))
      .catch((error: unknown) => {
        // A secret that was never rotated has no previous version.
        if (error instanceof ResourceNotFoundException) return undefined;
        throw error;
      }),
  ]);
  return [current.SecretString || undefined, previous?.SecretString || undefined];
}

/**
 * The table and bucket adapters of every function but the notification sender (TABLE_NAME, DOCUMENTS_BUCKET,
 * AUDIT_ANCHOR_BUCKET; the sender's are ./aws-tables.ts). Fails closed: without TENANT_DATA_ROLE_ARN a function does
 * not start rather than reach tenant data with its own role.
 */
export function awsDataAdapters(env: AwsEnvironment = process.env, access: TenantDataAccess = 'assume-tenant-role') {
  const buckets = {
    documents: required(env, 'DOCUMENTS_BUCKET'),
    auditAnchors: required(env, 'AUDIT_ANCHOR_BUCKET'),
  };
  const { clientOptionsFor, ...services } = awsTableServices(env, access);
  return dataAdapters({
    ...services,
    tenantClients: (tenantId, storage) => {
      const options = clientOptionsFor(tenantId);
      return createTenantClients(tenantId, { dynamoDb: options, s3: options, storage });
    },
    buckets,
  });
}
