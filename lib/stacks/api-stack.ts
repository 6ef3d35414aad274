import { CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { ArnPrincipal, type IManagedPolicy, PolicyStatement, Role, SessionTagsPrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { PortalConfig } from '../config';
import type { MailSending } from '../constructs/mail-sending';
import { PortalFunction } from '../constructs/portal-function';
import { RenderWorker } from '../constructs/render-worker';
import { TENANT_SESSION_TAG } from '../constructs/tenant-data-store';
import type { SiloClinicStack } from './silo-clinic-stack';

/** Path of the portal API route; CloudFront forwards `/api/*` here. */
export const API_ROUTE_PATH = '/api/{proxy+}';

/** Path of the ingest route (the clinics' practice systems push here); CloudFront forwards `/ingest/*` here. */
export const INGEST_ROUTE_PATH = '/ingest/{proxy+}';

/**
 * The header CloudFront adds to every request it forwards to the HTTP API, carrying {@link ApiStack.originSecret}.
 * Repeated from functions/http/middleware/origin-lock.ts (lib/ must not import functions/); test/infra/origin-lock.test.ts
 * proves they agree.
 */
export const ORIGIN_VERIFY_HEADER = 'x-origin-verify';

/**
 * Ingest checks an uploaded PDF of up to 20 MB synchronously. 30 s is also the HTTP API's integration timeout, so a
 * slower request is answered 503 by the gateway whatever the function does.
 */
export const INGEST_SIZING = { memorySize: 1024, timeout: Duration.seconds(30) } as const;

export interface ApiStackProps extends StackProps {
  readonly config: PortalConfig;
  readonly table: Table;
  readonly documentsBucket: Bucket;
  readonly sessionSigningSeed: Secret;
  /** BankID's RP credentials (JSON); only the API function reads them. */
  readonly bankIdCredentials: Secret;
  /** The personal-number pepper; only the API function reads it. */
  readonly personalNumberPepper: Secret;
  /** Seals administrators' TOTP secrets; only the API function reads it. */
  readonly adminSecretsKey: Secret;
  /** The data stack's least-privilege policy for this function (table items, documents under tenants/, secrets). */
  readonly dataAccess: IManagedPolicy;
  /** Ingest enqueues render jobs here; the render worker consumes them. */
  readonly renderQueue: Queue;
  /** The data stack's policy for the ingest function (table, documents with delete, sending to the render queue). */
  readonly ingestDataAccess: IManagedPolicy;
  /** The data stack's policy for the render worker (table, documents read/write, consuming the render queue). */
  readonly renderWorkerDataAccess: IManagedPolicy;
  /** The data stack's policy for the notification sender (table items and index queries). */
  readonly notificationSenderDataAccess: IManagedPolicy;
  /** The data stack's policy for the audit sealer (the clinic list). */
  readonly auditSealerDataAccess: IManagedPolicy;
  /** Where the audit sealer anchors each clinic's audit chain, and the API verifies against. */
  readonly auditAnchorBucket: Bucket;
  /** The SES identity and configuration set the API sends invitations and password resets through. */
  readonly mail: MailSending;
  /** What each function's tenant sessions may do (the data stack's Tenant…DataAccess): its tenant role's policy. */
  readonly tenantDataAccess: {
    readonly api: IManagedPolicy;
    readonly ingest: IManagedPolicy;
    readonly renderWorker: IManagedPolicy;
    readonly notificationSender: IManagedPolicy;
    readonly auditSealer: IManagedPolicy;
  };
  /** Clinics on dedicated resources: their data is routed to their stacks, and their policies join the tenant roles. */
  readonly silos: readonly SiloClinicStack[];
}

/**
 * A tenant session tag as the runtime sets it: a lowercase UUID (functions/domain/ids.ts). Checked in the trust
 * policy too, so no session can be tagged with a value that would widen the role's patterns (`*`, `/`, an empty id).
 */
export const TENANT_TAG_FORMAT = '????????-????-????-????-????????????';

/** The tenant role's session length; the runtime asks for the same (functions/runtime/tenant-credentials.ts). */
export const TENANT_SESSION_DURATION = Duration.hours(1);

/**
 * How often the notification sender runs. Notices wait for a quiet minute after the last publication
 * (functions/domain/notifications.ts), so a mail goes out one to two minutes after a run of documents ends.
 */
export const NOTIFICATION_SCHEDULE = Schedule.rate(Duration.minutes(1));

/**
 * A run that finds much to send: 100 batches × their recipients, one SES call each. Well below the 15-minute lease
 * after which a claimed delivery counts as unconfirmed (NOTIFICATION_POLICY.sendingLeaseSeconds).
 */
export const NOTIFICATION_SENDER_TIMEOUT = Duration.minutes(5);

/**
 * How often the audit sealer anchors every clinic's audit chain: an event can be rewritten unnoticed (by someone able
 * to write the table) only until the next round has anchored it. A round reads two items and lists one prefix per
 * clinic; more often would cost more than it protects.
 */
export const AUDIT_SEAL_SCHEDULE = Schedule.rate(Duration.minutes(5));

/** A round over a few hundred clinics, each at most a few seal batches and one anchor. */
export const AUDIT_SEALER_TIMEOUT = Duration.minutes(4);

/**
 * Stateless: the API and ingest functions, the HTTP API in front of them, the PDF render worker and the scheduled
 * notification sender.
 */
export class ApiStack extends Stack {
  readonly httpApi: HttpApi;
  readonly apiFunction: PortalFunction;
  readonly ingestFunction: PortalFunction;
  readonly renderWorker: RenderWorker;
  readonly notificationSender: PortalFunction;
  readonly auditSealer: PortalFunction;
  /**
   * The origin lock: a generated value CloudFront sends in {@link ORIGIN_VERIFY_HEADER} and without which the API and
   * ingest functions answer 403. The HTTP API's execute-api endpoint is public; this makes calling it directly (past
   * the WAF and CloudFront's headers) useless. Here, not in the data stack: nothing stored depends on it.
   */
  readonly originSecret: Secret;
  /** The HTTP API's access log (one JSON line per request; the observability stack counts downloads in it). */
  readonly accessLogs: LogGroup;
  /**
   * The roles the functions reach tenant data with, one per function (each trusted by that function's role alone):
   * each request's clinic is its session tag, and the role's policy admits only that clinic's partitions and
   * objects, and of those only what the function needs.
   */
  readonly tenantDataRoles: readonly Role[];

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { config, table, documentsBucket, sessionSigningSeed, bankIdCredentials, personalNumberPepper } = props;

    const siloClinics = siloClinicsJson(this, props.silos);
    // Operator commands act on the stage with the same variables (docs/operations.md, "Provisioning a clinic").
    new CfnOutput(this, 'SiloClinics', { value: siloClinics });
    // What functions/runtime/aws.ts (awsDataAdapters) needs in every function that uses the buckets; what each may do
    // there is its roles'. The notification sender uses the table alone (functions/runtime/aws-tables.ts), routed
    // per clinic like the rest (a silo clinic's outbox is in its silo's table).
    const tableEnvironment = { TABLE_NAME: table.tableName, SILO_CLINICS: siloClinics };
    const dataEnvironment = {
      ...tableEnvironment,
      DOCUMENTS_BUCKET: documentsBucket.bucketName,
      AUDIT_ANCHOR_BUCKET: props.auditAnchorBucket.bucketName,
    };

    this.originSecret = new Secret(this, 'OriginSecret', {
      description: `Value CloudFront sends in the ${ORIGIN_VERIFY_HEADER} header; the API and ingest functions refuse requests without it.`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    Validations.of(this.originSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'CloudFront reads the value through a dynamic reference only when the web stack updates the distribution, so a rotation Lambda would lock CloudFront out; rotated by hand (docs/operations.md), and the functions accept the previous value meanwhile.',
    });

    // The names are the contract with functions/runtime/aws-environment.ts.
    this.apiFunction = new PortalFunction(this, 'ApiFunction', {
      entry: 'functions/lambda/api.ts',
      environment: {
        ...dataEnvironment,
        SESSION_SECRET_ARN: sessionSigningSeed.secretArn,
        BANKID_SECRET_ARN: bankIdCredentials.secretArn,
        PERSONAL_NUMBER_PEPPER_ARN: personalNumberPepper.secretArn,
        ADMIN_SECRETS_KEY_ARN: props.adminSecretsKey.secretArn,
        BANKID_ENVIRONMENT: config.bankIdEnvironment,
        MAIL_FROM_ADDRESS: props.mail.fromAddress,
        MAIL_CONFIGURATION_SET: props.mail.configurationSet.configurationSetName,
        ORIGIN_SECRET_ARN: this.originSecret.secretArn,
      },
      // "Download many" streams up to ARCHIVE_LIMITS (functions/domain/archive.ts) of PDFs into a ZIP within one
      // request; the HTTP API gives up after 30 s, so the function may use all but the last second of that.
      timeout: Duration.seconds(29),
      logging: config,
    });
    this.apiFunction.role.addManagedPolicy(props.dataAccess);
    this.grantOriginSecret(this.apiFunction);
    props.mail.grantSendEmail(this.apiFunction.role);

    // The names are the contract with the ingest and render worker entry files (docs/render-pipeline.md).
    this.ingestFunction = new PortalFunction(this, 'IngestFunction', {
      entry: 'functions/lambda/ingest.ts',
      environment: {
        ...dataEnvironment,
        RENDER_QUEUE_URL: props.renderQueue.queueUrl,
        ORIGIN_SECRET_ARN: this.originSecret.secretArn,
      },
      ...INGEST_SIZING,
      logging: config,
    });
    this.ingestFunction.role.addManagedPolicy(props.ingestDataAccess);
    this.grantOriginSecret(this.ingestFunction);

    this.renderWorker = new RenderWorker(this, 'RenderWorker', {
      entry: 'functions/lambda/render-worker.ts',
      queue: props.renderQueue,
      dataAccess: props.renderWorkerDataAccess,
      environment: {
        ...dataEnvironment,
        RENDER_QUEUE_URL: props.renderQueue.queueUrl,
      },
      sizing: config.renderWorker,
      logging: config,
    });

    // The names are the contract with functions/runtime/aws-environment.ts. No bucket: a notice names documents but
    // never reads their files (and its tenant data role grants no S3 action).
    this.notificationSender = new PortalFunction(this, 'NotificationSender', {
      entry: 'functions/lambda/notification-sender.ts',
      environment: {
        ...tableEnvironment,
        MAIL_FROM_ADDRESS: props.mail.fromAddress,
        MAIL_CONFIGURATION_SET: props.mail.configurationSet.configurationSetName,
      },
      memorySize: 512,
      timeout: NOTIFICATION_SENDER_TIMEOUT,
      // One run at a time. Two would be safe (every step is a conditional write) but would only race each other.
      reservedConcurrentExecutions: 1,
      logging: config,
    });
    this.notificationSender.role.addManagedPolicy(props.notificationSenderDataAccess);
    props.mail.grantSendEmail(this.notificationSender.role);
    new Rule(this, 'NotificationSchedule', {
      description: 'Runs the notification sender: mails of newly published invoice bases',
      schedule: NOTIFICATION_SCHEDULE,
      // A missed run is made up by the next one a minute later: no retries that would overlap it.
      targets: [new LambdaFunction(this.notificationSender.function, { retryAttempts: 0 })],
    });

    // The names are the contract with functions/runtime/aws-environment.ts.
    this.auditSealer = new PortalFunction(this, 'AuditSealer', {
      entry: 'functions/lambda/audit-sealer.ts',
      environment: dataEnvironment,
      memorySize: 512,
      timeout: AUDIT_SEALER_TIMEOUT,
      // One round at a time: two would be safe (a seal is conditional on the head, an anchor never overwritten) but
      // would only race each other.
      reservedConcurrentExecutions: 1,
      logging: config,
    });
    this.auditSealer.role.addManagedPolicy(props.auditSealerDataAccess);
    new Rule(this, 'AuditSealSchedule', {
      description: "Runs the audit sealer: chains every clinic's new audit events and anchors the chain head",
      schedule: AUDIT_SEAL_SCHEDULE,
      targets: [new LambdaFunction(this.auditSealer.function, { retryAttempts: 0 })],
    });

    // Each role: the pool's policy of its kind, plus the same kind of every silo (each open to its clinic alone).
    const tenantAccess = (kind: keyof ApiStackProps['tenantDataAccess']) => [
      props.tenantDataAccess[kind],
      ...props.silos.map((silo) => silo.tenantDataAccess[kind]),
    ];
    this.tenantDataRoles = [
      this.tenantRoleFor('ApiTenantDataRole', this.apiFunction, tenantAccess('api')),
      this.tenantRoleFor('IngestTenantDataRole', this.ingestFunction, tenantAccess('ingest')),
      this.tenantRoleFor('RenderWorkerTenantDataRole', this.renderWorker.worker, tenantAccess('renderWorker')),
      this.tenantRoleFor(
        'NotificationSenderTenantDataRole',
        this.notificationSender,
        tenantAccess('notificationSender'),
      ),
      this.tenantRoleFor('AuditSealerTenantDataRole', this.auditSealer, tenantAccess('auditSealer')),
    ];

    this.accessLogs = new LogGroup(this, 'HttpApiAccessLogs', {
      retention: config.logRetention,
      removalPolicy: config.logRemovalPolicy,
    });

    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: `Företagsportal API (${config.stage})`,
      createDefaultStage: false,
    });
    this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: config.apiThrottling,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        // No query strings and no headers: they can carry one-time tokens and cookies.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            sourceIp: '$context.identity.sourceIp',
            userAgent: '$context.identity.userAgent',
            httpMethod: '$context.httpMethod',
            routeKey: '$context.routeKey',
            path: '$context.path',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });

    this.addProxyRoute(
      API_ROUTE_PATH,
      new HttpLambdaIntegration('ApiIntegration', this.apiFunction.function),
      'Authentication is application-level (BankID login, signed session tokens checked by the authenticate middleware); login and public routes must be reachable anonymously, so no gateway authorizer.',
    );
    this.addProxyRoute(
      INGEST_ROUTE_PATH,
      new HttpLambdaIntegration('IngestIntegration', this.ingestFunction.function),
      "Authentication is application-level: the ingest app authenticates each clinic's practice system and binds the request to that clinic, so no gateway authorizer.",
    );
  }

  /** GetSecretValue on the origin secret and nothing else (the secret's grantRead would add DescribeSecret). */
  private grantOriginSecret(portalFunction: PortalFunction): void {
    portalFunction.role.addToPolicy(
      new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [this.originSecret.secretArn] }),
    );
  }

  /**
   * The tenant role of `caller`, trusted by its role only, and only for sessions tagged with a tenant (and no other
   * tag): an untagged session would leave `${aws:PrincipalTag/tenant}` empty in the role's policy. Tags are not
   * transitive: a tenant session assumes nothing further. The caller learns the ARN from TENANT_DATA_ROLE_ARN.
   */
  private tenantRoleFor(id: string, caller: PortalFunction, access: readonly IManagedPolicy[]): Role {
    const tagged = {
      Null: { [`aws:RequestTag/${TENANT_SESSION_TAG}`]: 'false' },
      StringLike: { [`aws:RequestTag/${TENANT_SESSION_TAG}`]: TENANT_TAG_FORMAT },
      'ForAllValues:StringEquals': { 'aws:TagKeys': [TENANT_SESSION_TAG] },
    };
    const role = new Role(this, id, {
      description: "Tenant data access of one function: one clinic's data, named by the session's tenant tag",
      assumedBy: new SessionTagsPrincipal(new ArnPrincipal(caller.role.roleArn)).withConditions(tagged),
      managedPolicies: [...access],
      maxSessionDuration: TENANT_SESSION_DURATION,
    });
    caller.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['sts:AssumeRole', 'sts:TagSession'],
        resources: [role.roleArn],
        conditions: tagged,
      }),
    );
    caller.function.addEnvironment('TENANT_DATA_ROLE_ARN', role.roleArn);
    return role;
  }

  /** Every method on `path` to one function; `authorizationReason` says why the gateway needs no authorizer. */
  private addProxyRoute(path: string, integration: HttpLambdaIntegration, authorizationReason: string): void {
    for (const route of this.httpApi.addRoutes({ path, methods: [HttpMethod.ANY], integration })) {
      Validations.of(route).acknowledge({ id: 'AwsSolutions-APIG4', reason: authorizationReason });
    }
  }
}

/**
 * Where each silo clinic's data lives, for functions/runtime/storage-routing.ts: SILO_CLINICS is a JSON list of
 * `{ tenantId, slug, tableName, documentsBucket }`, `[]` without silos. Always set: a function that did not know the
 * silos would put their data into the pool, so the runtime refuses to start without it. Lambda's 4 KB environment
 * holds about 20 entries (lib/config.ts refuses more).
 */
function siloClinicsJson(scope: Stack, silos: readonly SiloClinicStack[]): string {
  return scope.toJsonString(
    silos.map((silo) => ({
      tenantId: silo.clinic.tenantId,
      slug: silo.clinic.slug,
      tableName: silo.table.tableName,
      documentsBucket: silo.documentsBucket.bucketName,
    })),
  );
}
