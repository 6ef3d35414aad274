import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileMailSink } from '../adapters/mail/file-mail-sink';
import { randomIds, systemClock } from '../adapters/system/system-clock-and-ids';
import { isUuid } from '../domain/ids';
import type { Mailer, TenantDirectory, TenantScope, TenantScopeFactory } from '../domain/ports';
import { awsDataAdapters } from '../runtime/aws';
import { awsMailer } from '../runtime/aws-mail';
import { LOCAL_SERVICES_FILE, type LocalServicesFile, localDataAdapters } from '../runtime/local';
import { parseSiloClinics, type SiloClinic } from '../runtime/storage-routing';

export interface OperatorData {
  readonly scopeFor: TenantScopeFactory;
  readonly directory: TenantDirectory;
  readonly where: string;
  /** The running local portal's address (local mode only). */
  readonly portalUrl?: string;
  /**
   * How operator commands send mail (invitations): SES from MAIL_FROM_ADDRESS in AWS; locally into the running
   * portal's mail folder, where its dev mail page shows it. Made on first use: most commands send none.
   */
  readonly mailer: () => Mailer;
  /** The stage's clinics on dedicated resources: `create` gives such a clinic its configured id. */
  readonly silos: readonly SiloClinic[];
}

/**
 * Where operator commands act. With TABLE_NAME set (plus AWS_REGION, DOCUMENTS_BUCKET, AUDIT_ANCHOR_BUCKET and
 * SILO_CLINICS, the Lambda variable names: the stacks' outputs) they act on that AWS deployment with the caller's AWS credentials; otherwise on the running
 * `npm start` portal, found through the file it writes into its data folder (PORTAL_DATA_DIR, default .data).
 */
export function operatorData(env: NodeJS.ProcessEnv = process.env): OperatorData {
  if (env.TABLE_NAME) {
    return {
      // Operators act with their own AWS credentials (no tenant role trusts them); the tenant key guard still fences each scope.
      ...awsDataAdapters(env, 'caller-credentials'),
      where: `table ${env.TABLE_NAME} in ${env.AWS_REGION}`,
      mailer: () => awsMailer(env),
      silos: parseSiloClinics(env.SILO_CLINICS),
    };
  }
  const dataDirectory = resolve(env.PORTAL_DATA_DIR ?? '.data');
  const file = join(dataDirectory, LOCAL_SERVICES_FILE);
  if (!existsSync(file)) {
    throw new Error(
      `No running local portal found (${file} is missing). Start it with \`npm start\`, or set TABLE_NAME, AWS_REGION, DOCUMENTS_BUCKET, AUDIT_ANCHOR_BUCKET and SILO_CLINICS to act on AWS.`,
    );
  }
  const services = JSON.parse(readFileSync(file, 'utf8')) as LocalServicesFile;
  return {
    ...localDataAdapters(services),
    where: 'the local portal (npm start)',
    portalUrl: services.portalUrl,
    silos: services.silos ?? [],
    // The folder the dev server's mail sink writes (functions/local/start-local-portal.ts).
    mailer: () => fileMailSink({ directory: join(dataDirectory, 'mail'), clock: systemClock, ids: randomIds }),
  };
}

/** `--tenant` takes the clinic's id or one of its host names (what operators know). */
export async function tenantScope(data: OperatorData, tenant: string): Promise<TenantScope> {
  const tenantId = isUuid(tenant) ? tenant : await data.directory.resolveHost(tenant);
  if (!tenantId) throw new Error(`No clinic answers on host "${tenant}"; pass the clinic's id or a host name it uses.`);
  const scope = data.scopeFor(tenantId);
  if (!(await scope.tenant.get())) throw new Error(`There is no clinic with id ${tenantId} (in ${data.where}).`);
  return scope;
}

/**
 * The clinic's own origin, for links in mails (a link's token only works there): `--origin` if given; locally the
 * running portal; in AWS the host name the operator named the clinic by.
 */
export function clinicOrigin(data: OperatorData, clinic: string, origin: string | undefined): string {
  if (origin) return new URL(origin).origin;
  if (data.portalUrl) return data.portalUrl;
  if (isUuid(clinic)) throw new Error('Name the clinic by its host name, or pass --origin https://<its host>.');
  return `https://${clinic.toLowerCase()}`;
}

export const operatorClock = systemClock;
export const operatorIds = randomIds;
