import type { Context } from 'hono';
import { animatedQrData } from '../adapters/bankid/animated-qr';
import { type BankIdRpClientOptions, bankIdRpClient } from '../adapters/bankid/bankid-rp-client';
import { type FileMailSink, fileMailSink } from '../adapters/mail/file-mail-sink';
import { pdfLibInspector } from '../adapters/pdf/pdf-lib-inspector';
import { createPdfmakeInvoiceRenderer } from '../adapters/pdf/pdfmake-invoice-renderer';
import { type InProcessRenderQueue, inProcessRenderQueue } from '../adapters/queue/in-process-render-queue';
import { aesGcmSecretCipher } from '../adapters/security/aes-gcm-secret-cipher';
import { hmacPersonalNumberKeys } from '../adapters/security/hmac-personal-number-keys';
import { joseSessionTokens, signingKeysFromSeed } from '../adapters/security/jose-session-tokens';
import { otpauthTotp } from '../adapters/security/otpauth-totp';
import { type ScryptCost, scryptPasswordHasher } from '../adapters/security/scrypt-password-hasher';
import { jsonLogger } from '../adapters/system/json-logger';
import { randomIds, systemClock } from '../adapters/system/system-clock-and-ids';
import { errorFields, type Logger } from '../domain/logging';
import type { Clock, IdGenerator, InvoiceRenderer } from '../domain/ports';
import type { AppDeps, TrustedRequestInfo } from '../http/app-types';
import type { IngestAppDeps } from '../http/ingest/ingest-env';
import { renderDocument } from '../use-cases/ingest/render-document';
import { createDynamoDbClient, createTenantClients } from './aws-clients';
import type { SiloClinic } from './storage-routing';
import { dataAdapters } from './tenant-scope';

/** Region and credentials the local emulators accept; nothing here ever reaches AWS. */
export const LOCAL_REGION = 'eu-north-1';

/** Written into the data folder while `npm start` runs: how operator tools find its DynamoDB Local and S3 emulator. */
export const LOCAL_SERVICES_FILE = 'local-services.json';

/** The content of {@link LOCAL_SERVICES_FILE}. */
export interface LocalServicesFile extends LocalServiceEndpoints {
  readonly portalUrl: string;
}

export interface LocalServiceEndpoints {
  readonly dynamoDbEndpoint: string;
  readonly tableName: string;
  readonly s3Endpoint: string;
  readonly s3Credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly documentsBucket: string;
  readonly auditAnchorBucket: string;
  /** Clinics on their own table and bucket, as SILO_CLINICS names them in AWS (tests of the routing; none by default). */
  readonly silos?: readonly SiloClinic[];
}

export interface LocalDepsOptions extends LocalServiceEndpoints {
  /** 32 random bytes; the dev server keeps them in its data folder so sessions survive restarts. */
  readonly sessionSeed: Uint8Array;
  /**
   * The AES-256 key that seals administrators' TOTP secrets (32 bytes): the dev server keeps it in its data folder
   * (enrolled authenticators keep working across restarts), as AWS keeps it in Secrets Manager.
   */
  readonly adminSecretsKey: Uint8Array;
  /** Where the local mail sink keeps sent mail (the dev server: `<data folder>/mail`; tests: a temporary folder). */
  readonly mailDirectory: string;
  /** Tests use a cheap cost; the dev server uses the production cost. */
  readonly passwordCost?: ScryptCost;
  readonly clock?: Clock;
  readonly ids?: IdGenerator;
  /** Defaults to pdfmake with Roboto from node_modules; fault-injection tests wrap it. */
  readonly renderer?: InvoiceRenderer;
  /** Pause between local render retries (the SQS visibility timeout's stand-in). */
  readonly renderRetryDelayMs?: number;
  /** The BankID to log in with (the local simulator), and the pepper for personal-number hashes. */
  readonly bankId?: {
    readonly endpoint: BankIdRpClientOptions;
    readonly personalNumberPepper: Uint8Array;
  };
  /**
   * Default: the JSON logger at WARN, so the dev server's console and the test output show problems, not one line per
   * request. Tests that assert what is logged pass a capturing logger.
   */
  readonly log?: Logger;
}

/** Everything that runs locally: the portal API, the ingest API and the render worker behind its in-process queue. */
export interface LocalRuntime {
  readonly portal: AppDeps;
  /** The mail the portal "sent": what the dev mail page lists and tests read. */
  readonly mailSink: FileMailSink;
  /** The one renderer of this runtime (the worker's; the demo seed renders with it too). */
  readonly renderer: InvoiceRenderer;
  readonly ingest: IngestAppDeps;
  readonly renderQueue: InProcessRenderQueue;
}

/**
 * The dev server is reached directly, so the socket's peer is the client and the Host header is what the
 * browser used. (`app.request()` in tests has no socket: those requests count as loopback.)
 */
function localRequestInfo(c: Context): TrustedRequestInfo {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  const url = new URL(c.req.url);
  return {
    host: url.hostname.toLowerCase(),
    origin: url.origin,
    sourceIp: incoming?.socket?.remoteAddress ?? '127.0.0.1',
  };
}

/**
 * The table and bucket adapters on DynamoDB Local and the S3 emulator (the dev server, tests, operator commands).
 * The emulators enforce no IAM, so each tenant's clients carry the tenant key guard alone: the same rule as the
 * tenant role's policy in AWS, checked before a request is sent.
 */
export function localDataAdapters(endpoints: LocalServiceEndpoints, clock: Clock = systemClock) {
  const dynamoDb = {
    region: LOCAL_REGION,
    endpoint: endpoints.dynamoDbEndpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  const s3 = { region: LOCAL_REGION, endpoint: endpoints.s3Endpoint, credentials: endpoints.s3Credentials };
  return dataAdapters({
    platformDynamoDb: createDynamoDbClient(dynamoDb),
    tenantClients: (tenantId, storage) => createTenantClients(tenantId, { dynamoDb, s3, storage }),
    tableName: endpoints.tableName,
    buckets: { documents: endpoints.documentsBucket, auditAnchors: endpoints.auditAnchorBucket },
    ...(endpoints.silos ? { silos: endpoints.silos } : {}),
    clock,
  });
}

/** Local wiring: the same adapters as in AWS, pointed at DynamoDB Local and the S3 emulator. */
export function localRuntime(options: LocalDepsOptions): LocalRuntime {
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? randomIds;
  const data = localDataAdapters(options, clock);
  const keys = signingKeysFromSeed(options.sessionSeed);
  const renderer = options.renderer ?? createPdfmakeInvoiceRenderer();
  const log = options.log ?? jsonLogger({ level: 'WARN' });
  const mailSink = fileMailSink({ directory: options.mailDirectory, clock, ids });
  const renderQueue = inProcessRenderQueue({
    work: (job, delivery) => renderDocument({ scopeFor: data.scopeFor, renderer, clock, ids }, job, delivery),
    ...(options.renderRetryDelayMs === undefined ? {} : { retryDelayMs: options.renderRetryDelayMs }),
    onDeadLetter: (job, error) =>
      log.error('Render job failed for good', { documentId: job.documentId, ...errorFields(error) }),
  });
  return {
    portal: {
      ...data,
      ...(options.bankId
        ? {
            bankId: {
              client: bankIdRpClient(options.bankId.endpoint),
              personalNumberKeys: hmacPersonalNumberKeys(options.bankId.personalNumberPepper),
              animatedQr: animatedQrData,
            },
          }
        : {}),
      tokens: joseSessionTokens(async () => ({ current: keys })),
      hasher: scryptPasswordHasher(options.passwordCost),
      clock,
      ids,
      mailer: mailSink,
      requestInfo: localRequestInfo,
      totp: otpauthTotp,
      adminSecrets: aesGcmSecretCipher(options.adminSecretsKey),
      log,
    },
    mailSink,
    ingest: {
      ...data,
      queue: renderQueue,
      inspector: pdfLibInspector(),
      clock,
      ids,
      requestInfo: localRequestInfo,
      log,
    },
    renderQueue,
    renderer,
  };
}
