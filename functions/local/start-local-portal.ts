import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { errorFields, type Logger } from '../domain/logging';
import type { TenantScope } from '../domain/ports';
import { createApp } from '../http/create-app';
import { createIngestApp } from '../http/ingest/create-ingest-app';
import { createDynamoDbClient } from '../runtime/aws-clients';
import {
  LOCAL_REGION,
  LOCAL_SERVICES_FILE,
  type LocalServiceEndpoints,
  type LocalServicesFile,
  localRuntime,
} from '../runtime/local';
import { anchorAllAuditTrails } from '../use-cases/audit-trail';
import type { ClinicRunResult } from '../use-cases/for-each-clinic';
import { sendPublicationNoticesForAllClinics } from '../use-cases/send-publication-notices';
import { BANKID_DEV_PAGE_PATH, bankIdDevPage } from './bankid-dev-page';
import { startBankIdSimulator } from './bankid-simulator/start-bankid-simulator';
import { MAIL_DEV_PAGE_PATH, mailDevPage } from './mail-dev-page';
import { demoSeed } from './seed/demo-data';
import { seedDemoClinic } from './seed/seed-demo-clinic';
import { startDynamoDbLocal } from './services/dynamodb-local';
import { ensureTable } from './services/ensure-table';
import { findFreePort } from './services/free-port';
import { S3_EMULATOR_CREDENTIALS, startS3Emulator } from './services/s3-emulator';
import { staticFrontend } from './static-frontend';
import { TOTP_DEV_PAGE_PATH, totpDevPage } from './totp-dev-page';

const TABLE_NAME = 'portal';
const DOCUMENTS_BUCKET = 'portal-documents';
const AUDIT_ANCHOR_BUCKET = 'portal-audit-anchors';
/** The demo clinic answers on these host names (the tenant directory maps host → clinic, as in AWS). */
const DEMO_HOSTS = ['localhost', '127.0.0.1'] as const;
const FRONTEND_DIST = fileURLToPath(new URL('../../frontend/dist', import.meta.url));

export interface LocalPortalOptions {
  /** Port of the portal; a free one when omitted. */
  readonly port?: number;
  /** Where DynamoDB Local, the S3 emulator and the session key keep their data; a temp folder (removed on stop) when omitted. */
  readonly dataDirectory?: string;
  /** Suppresses progress output (tests). */
  readonly quiet?: boolean;
  /**
   * The built frontend to serve; frontend/dist when omitted. A browser test that builds its own copy passes it, so
   * that it never serves files another test's build is rewriting.
   */
  readonly frontendDirectory?: string;
  /** How often the notification sender runs (the schedule in AWS runs it every minute); every 5 s when omitted. */
  readonly noticeIntervalMs?: number;
}

/** Locally the sender runs often, so that a developer sees a notice soon after the quiet period. */
const NOTICE_INTERVAL_MS = 5_000;
/** The audit sealer's round; every 5 minutes in AWS (lib/stacks/api-stack.ts), every minute locally. */
const AUDIT_SEAL_INTERVAL_MS = 60_000;

export interface DemoLogin {
  readonly name: string;
  readonly username: string;
  readonly password: string;
  readonly customers: readonly string[];
}

export interface LocalPortal {
  readonly url: string;
  /** Where the developer approves BankID logins as a test person (the local BankID simulator's page). */
  readonly bankIdDevPageUrl: string;
  /** Where the developer reads the mail the portal "sent" (invitations, password resets) and follows its links. */
  readonly mailDevPageUrl: string;
  /** Where the running services are, for operator tools (`npm run apikey`, `npm run demo:push`). */
  readonly services: LocalServiceEndpoints;
  /** Resolves when every render job handed to the in-process worker so far has finished. */
  renderingIdle(): Promise<void>;
  readonly demoLogins: readonly DemoLogin[];
  /** The demo clinic's administrator (log in at /admin; the code comes from {@link totpDevPageUrl}). */
  readonly demoAdmin: DemoAdminLogin;
  /** Where the developer reads the demo administrator's current TOTP code. */
  readonly totpDevPageUrl: string;
  readonly seeded: { readonly documentsCreated: number };
  stop(): Promise<void>;
}

export interface DemoAdminLogin {
  readonly name: string;
  readonly username: string;
  readonly password: string;
  /** The demo authenticator's secret: what /dev/totp computes codes from, and browser tests too. */
  readonly totpSecretBase32: string;
}

/**
 * 32 random bytes kept in the data folder, made on first use: the session seed (a developer stays logged in across
 * `npm start`s), the personal-number pepper (the seeded BankID identities stay findable) and the key sealing
 * administrators' TOTP secrets (enrolled authenticators keep working).
 */
function persistentSecret(dataDirectory: string, name: string): Uint8Array {
  const file = join(dataDirectory, name);
  if (!existsSync(file)) writeFileSync(file, randomBytes(32), { mode: 0o600 });
  return readFileSync(file);
}

/**
 * Runs the whole portal locally: DynamoDB Local and the S3 emulator (started here, persisted in the data
 * folder), the demo clinic seeded idempotently, and one server for the API and the built frontend.
 */
export async function startLocalPortal(options: LocalPortalOptions = {}): Promise<LocalPortal> {
  const log = options.quiet ? () => {} : (line: string) => console.log(line);
  const temporary = options.dataDirectory === undefined;
  const dataDirectory = options.dataDirectory ?? mkdtempSync(join(tmpdir(), 'foretagsportal-'));
  mkdirSync(dataDirectory, { recursive: true });
  const frontend = staticFrontend(options.frontendDirectory ?? FRONTEND_DIST);

  log('Starting DynamoDB Local, the S3 emulator and the BankID simulator…');
  const [dynamoDb, s3, bankId] = await Promise.all([
    startDynamoDbLocal({ dataDirectory: join(dataDirectory, 'dynamodb') }),
    startS3Emulator({ directory: join(dataDirectory, 's3'), buckets: [DOCUMENTS_BUCKET, AUDIT_ANCHOR_BUCKET] }),
    // The local portal is plain http on loopback; BankID itself would take only https return URLs.
    startBankIdSimulator({ leniency: { loopbackHttpReturnUrls: true } }),
  ]);
  const stopServices = async () => {
    await Promise.all([dynamoDb.stop(), s3.stop(), bankId.stop()]);
    if (temporary) rmSync(dataDirectory, { recursive: true, force: true });
  };

  try {
    const setupClient = createDynamoDbClient({
      region: LOCAL_REGION,
      endpoint: dynamoDb.endpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await ensureTable(setupClient, TABLE_NAME);
    setupClient.destroy();

    const services: LocalServiceEndpoints = {
      dynamoDbEndpoint: dynamoDb.endpoint,
      tableName: TABLE_NAME,
      s3Endpoint: s3.endpoint,
      s3Credentials: S3_EMULATOR_CREDENTIALS,
      documentsBucket: DOCUMENTS_BUCKET,
      auditAnchorBucket: AUDIT_ANCHOR_BUCKET,
    };
    const runtime = localRuntime({
      ...services,
      sessionSeed: persistentSecret(dataDirectory, 'session-seed'),
      adminSecretsKey: persistentSecret(dataDirectory, 'admin-secrets-key'),
      mailDirectory: join(dataDirectory, 'mail'),
      bankId: {
        endpoint: { baseUrl: bankId.baseUrl, caCertificatePem: bankId.caCertificatePem, ...bankId.rpCertificate },
        personalNumberPepper: persistentSecret(dataDirectory, 'personal-number-pepper'),
      },
    });
    const seed = demoSeed();
    log('Seeding the demo clinic (first start renders its PDFs)…');
    const seeded = await seedDemoClinic(
      { ...runtime.portal, renderer: runtime.renderer, personalNumberKeys: runtime.portal.bankId?.personalNumberKeys },
      seed,
      DEMO_HOSTS,
    );

    const server = new Hono()
      .route('/', createApp(runtime.portal))
      .route('/', createIngestApp(runtime.ingest))
      // Before the frontend, whose SPA fallback would otherwise answer /dev/bankid and /dev/mail.
      .route('/', bankIdDevPage({ controlUrl: bankId.controlUrl }))
      .route('/', mailDevPage({ mails: runtime.mailSink }))
      .route('/', totpDevPage({ admin: seed.admin, clinicName: seed.clinic.name }))
      .route('/', frontend);
    const port = options.port ?? (await findFreePort());
    const httpServer = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
      const listening = serve({ fetch: server.fetch, port, hostname: '127.0.0.1' }, () => resolve(listening));
      listening.once('error', reject);
    });

    const url = `http://localhost:${port}`;
    const servicesFile: LocalServicesFile = { ...services, portalUrl: url };
    writeFileSync(join(dataDirectory, LOCAL_SERVICES_FILE), JSON.stringify(servicesFile, null, 2), { mode: 0o600 });
    await setPortalOrigin(runtime.portal.scopeFor(seeded.tenantId), url);
    const { portal } = runtime;
    const rounds = [
      roundEvery(
        'Notification run',
        options.noticeIntervalMs ?? NOTICE_INTERVAL_MS,
        () => sendPublicationNoticesForAllClinics(portal),
        portal.log,
      ),
      roundEvery('Audit seal', AUDIT_SEAL_INTERVAL_MS, () => anchorAllAuditTrails(portal), portal.log),
    ];

    const customerName = new Map(seed.customers.map((customer) => [customer.customerNumber, customer.name]));
    return {
      url,
      bankIdDevPageUrl: `${url}${BANKID_DEV_PAGE_PATH}`,
      mailDevPageUrl: `${url}${MAIL_DEV_PAGE_PATH}`,
      totpDevPageUrl: `${url}${TOTP_DEV_PAGE_PATH}`,
      demoAdmin: {
        name: seed.admin.name,
        username: seed.admin.email,
        password: seed.admin.password,
        totpSecretBase32: seed.admin.totpSecretBase32,
      },
      services,
      renderingIdle: () => runtime.renderQueue.idle(),
      seeded: { documentsCreated: seeded.documentsCreated },
      demoLogins: seed.contacts.map((contact) => ({
        name: contact.name,
        username: contact.username,
        password: contact.password,
        customers: contact.customerNumbers.map((number) => customerName.get(number) ?? number),
      })),
      async stop() {
        await Promise.all(rounds.map((round) => round.stop()));
        await new Promise<void>((resolve) => httpServer.close(() => resolve()));
        await runtime.renderQueue.idle();
        rmSync(join(dataDirectory, LOCAL_SERVICES_FILE), { force: true });
        await stopServices();
      },
    };
  } catch (error) {
    await stopServices();
    throw error;
  }
}

/** The demo clinic's portal address is wherever this run listens (the port may differ from the last run). */
async function setPortalOrigin(scope: TenantScope, origin: string): Promise<void> {
  const clinic = await scope.tenant.get();
  if (!clinic || clinic.portalOrigin === origin) return;
  const { id: _id, ...record } = clinic;
  await scope.tenant.put({ ...record, portalOrigin: origin });
}

/**
 * Runs a platform job's round over every local clinic on a timer, one round at a time (what a schedule does in AWS).
 * A failed round is logged and the next one tries again.
 */
function roundEvery(
  job: string,
  intervalMs: number,
  round: () => Promise<readonly ClinicRunResult<unknown>[]>,
  log: Logger,
): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    running = round()
      .then((results) => {
        for (const { tenantId, error } of results) {
          if (error !== undefined) log.error(`${job} failed`, { tenantId, ...errorFields(error) });
        }
      })
      .catch((error: unknown) => log.error(`${job} failed`, errorFields(error)))
      .finally(() => {
        busy = false;
      });
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
