import { type App, type StackProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { clinicDeploymentProblems, type PortalConfig, siloClinicsOf } from './config';
import { ApiStack } from './stacks/api-stack';
import { DataStack } from './stacks/data-stack';
import { EDGE_SECURITY_REGION, EdgeSecurityStack, webAclName } from './stacks/edge-security-stack';
import { ObservabilityStack } from './stacks/observability-stack';
import { SiloClinicStack } from './stacks/silo-clinic-stack';
import { WebStack } from './stacks/web-stack';

export interface PortalStacks {
  readonly data: DataStack;
  readonly api: ApiStack;
  readonly web: WebStack;
  readonly observability: ObservabilityStack;
  /** The us-east-1 stack with the distribution's web ACL; undefined when `config.webAclArn` names an existing one. */
  readonly edgeSecurity: EdgeSecurityStack | undefined;
  /** One stack per clinic on dedicated resources (`silo: true` in `config.clinics`). */
  readonly silos: readonly SiloClinicStack[];
}

/** Builds every stack of one stage. Used by bin/portal.ts and by the infra tests, so both see the same app. */
export function createStacks(app: App, config: PortalConfig): PortalStacks {
  const problems = clinicDeploymentProblems(config);
  if (problems.length > 0) {
    throw new Error(`The ${config.stage} config's clinics are wrong:\n- ${problems.join('\n- ')}`);
  }
  const env = { region: config.region, ...(config.account ? { account: config.account } : {}) };
  const tags = { project: 'foretagsportal', stage: config.stage };

  const data = new DataStack(app, `${config.stackPrefix}-Data`, {
    env,
    tags,
    config,
    description: 'Företagsportal stateful resources (table, documents, render queue, secrets)',
    terminationProtection: config.deletionProtection,
  });
  const silos = siloClinicsOf(config).map(
    (clinic) =>
      new SiloClinicStack(app, `${config.stackPrefix}-Silo-${clinic.slug}`, {
        env,
        tags: { ...tags, clinic: clinic.slug },
        config,
        clinic,
        description: `Företagsportal data of clinic ${clinic.slug} on dedicated resources (table, documents, KMS key)`,
        terminationProtection: config.deletionProtection,
      }),
  );
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
    auditSealerDataAccess: data.auditSealerDataAccess,
    auditAnchorBucket: data.auditAnchorBucket,
    tenantDataAccess: data.tenantDataAccess,
    silos,
    mail: data.mail,
  });
  const { edgeSecurity, webAclArn } = webAclFor(app, config, { env, tags });
  const web = new WebStack(app, `${config.stackPrefix}-Web`, {
    env,
    tags,
    config,
    description: 'Företagsportal CloudFront distribution and frontend',
    httpApi: api.httpApi,
    originSecret: api.originSecret,
    webAclArn,
    // The other end of the cross-region reference to the edge-security stack's web ACL.
    crossRegionReferences: true,
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
    auditSealer: api.auditSealer,
    renderQueue: data.renderQueue,
    distribution: web.site.distribution,
    // An operator's own web ACL may name its rules anything: its metrics are in its own console.
    ...(edgeSecurity ? { webAclName: webAclName(config) } : {}),
  });

  return { data, api, web, observability, edgeSecurity, silos };
}

/**
 * Every stage gets a web ACL: the one the operator names (`config.webAclArn`), or one the edge-security stack
 * creates in us-east-1, the only region CloudFront takes a web ACL from. The web stack then reads its ARN across
 * regions: with the weak cross-stack references of cdk.json that is a Fn::GetStackOutput resolved at deploy time (no
 * custom resources, no SSM parameters), and CDK deploys the edge-security stack first.
 */
function webAclFor(
  app: App,
  config: PortalConfig,
  { env, tags }: Required<Pick<StackProps, 'env' | 'tags'>>,
): { edgeSecurity: EdgeSecurityStack | undefined; webAclArn: string } {
  if (config.webAclArn) {
    return { edgeSecurity: undefined, webAclArn: config.webAclArn };
  }
  const edgeSecurity = new EdgeSecurityStack(app, `${config.stackPrefix}-EdgeSecurity`, {
    env: { ...env, region: EDGE_SECURITY_REGION },
    tags,
    config,
    description: 'Företagsportal WAF web ACL for CloudFront (us-east-1)',
    // CDK's switch for references out of a stack in another region (with an L2 resource it also keeps the
    // reference instead of generating a physical name); set on both ends, as CDK documents it.
    crossRegionReferences: true,
  });
  return { edgeSecurity, webAclArn: edgeSecurity.webAclArn };
}

/**
 * cdk-nag's AwsSolutions pack as a synth-time validation: any finding not acknowledged on its resource (with a
 * reason) makes synth fail. Acknowledgements live next to the resources they concern.
 */
export function addComplianceChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
}
