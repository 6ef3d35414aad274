import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomIds, systemClock } from '../adapters/system/system-clock-and-ids';
import { isUuid } from '../domain/ids';
import type { TenantDirectory, TenantScope, TenantScopeFactory } from '../domain/ports';
import { awsDataAdapters } from '../runtime/aws';
import { LOCAL_SERVICES_FILE, type LocalServicesFile, localDataAdapters } from '../runtime/local';

export interface OperatorData {
  readonly scopeFor: TenantScopeFactory;
  readonly directory: TenantDirectory;
  readonly where: string;
  /** The running local portal's address (local mode only). */
  readonly portalUrl?: string;
}

/**
 * Where operator commands act. With TABLE_NAME set (plus AWS_REGION and DOCUMENTS_BUCKET, the Lambda variable
 * names) they act on that AWS deployment with the caller's AWS credentials; otherwise on the running `npm start`
 * portal, found through the file it writes into its data folder (PORTAL_DATA_DIR, default .data).
 */
export function operatorData(env: NodeJS.ProcessEnv = process.env): OperatorData {
  if (env.TABLE_NAME) return { ...awsDataAdapters(env), where: `table ${env.TABLE_NAME} in ${env.AWS_REGION}` };
  const file = join(resolve(env.PORTAL_DATA_DIR ?? '.data'), LOCAL_SERVICES_FILE);
  if (!existsSync(file)) {
    throw new Error(
      `No running local portal found (${file} is missing). Start it with \`npm start\`, or set TABLE_NAME, AWS_REGION and DOCUMENTS_BUCKET to act on AWS.`,
    );
  }
  const services = JSON.parse(readFileSync(file, 'utf8')) as LocalServicesFile;
  return {
    ...localDataAdapters(services),
    where: 'the local portal (npm start)',
    portalUrl: services.portalUrl,
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

export const operatorClock = systemClock;
export const operatorIds = randomIds;
