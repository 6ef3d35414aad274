import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { PortalConfig } from './config';
import { ApiStack } from './stacks/api-stack';
import { DataStack } from './stacks/data-stack';
import { ObservabilityStack } from './stacks/observability-stack';
import { WebStack } from './stacks/web-stack';

export interface PortalStacks {
  readonly data: DataStack;
  readonly api: ApiStack;
  readonly web: WebStack;
  readonly observability: ObservabilityStack;
}

/** Builds every stack of one stage. Used by bin/portal.ts and by the infra tests, so both see the same app. */
export function createStacks(app: App, config: PortalConfig): PortalStacks {
  const env = { region: config.region, ...(config.account ? { account: config.account } : {}) };
  const tags = { project: 'foretagsportal', stage: config.stage };

  const data = new DataStack(app, `${config.stackPrefix}-Data`, {
    env,
    tags,
    config,
    description: 'Företagsportal stateful resources (table, documents, render queue, secrets)',
    terminationProtection: config.deletionProtection,
  });
  const api = new ApiStack(app, `${config.stackPrefix}-Api`, {
    env,
    tags,
    config,
    description: 'Företagsportal API, ingest, PDF render worker and notification sender (Lambda, HTTP API)',
    table: data.table,
    documentsBucket: data.documentsBucket,
    sessionSigningSeed: data.sessionSigningSeed,
    bankIdCredentials: data.bankIdCredentials,
    personalNumberPepper: data.personalNumberPepper,
    adminSecretsKey: data.adminSecretsKey,
    dataAccess: data.apiDataAccess,
    renderQueue: data.renderQueue.queue,
    ingestDataAccess: data.ingestDataAccess,
    renderWorkerDataAccess: data.renderWorkerDataAccess,
    notificationSenderDataAccess: data.notificationSenderDataAccess,
    tenantDataAccess: data.tenantDataAccess,
    mail: data.mail,
  });
  const web = new WebStack(app, `${config.stackPrefix}-Web`, {
    env,
    tags,
    config,
    description: 'Företagsportal CloudFront distribution and frontend',
    httpApi: api.httpApi,
    originSecret: api.originSecret,
  });

  const observability = new ObservabilityStack(app, `${config.stackPrefix}-Observability`, {
    env,
    tags,
    config,
    description: 'Företagsportal dashboard and alarms',
    alarmTopic: data.alarmTopic,
    httpApi: api.httpApi,
    accessLogs: api.accessLogs,
    apiFunction: api.apiFunction,
    ingestFunction: api.ingestFunction,
    renderWorker: api.renderWorker.worker,
    notificationSender: api.notificationSender,
    renderQueue: data.renderQueue,
    distribution: web.site.distribution,
  });

  return { data, api, web, observability };
}

/**
 * cdk-nag's AwsSolutions pack as a synth-time validation: any finding not acknowledged on its resource (with a
 * reason) makes synth fail. Acknowledgements live next to the resources they concern.
 */
export function addComplianceChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
}
