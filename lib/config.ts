import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { ApplicationLogLevel } from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';

/** Repository root: Lambda entries and assets are resolved against it, never against the cwd. */
export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export const STAGES = ['dev', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

/**
 * BankID's environments (../shared/BANKID.md): `test` talks to appapi2.test.bankid.com with test identities,
 * `production` to appapi2.bankid.com with real people. Re-declared here because lib/ must not import functions/;
 * test/infra/bankid-secrets.test.ts proves this list matches functions/adapters/bankid/bankid-environments.ts.
 */
export const BANKID_ENVIRONMENTS = ['test', 'production'] as const;
export type BankIdEnvironment = (typeof BANKID_ENVIRONMENTS)[number];

/** Custom host names for CloudFront. The certificate must be an ACM certificate in us-east-1 covering every name. */
export interface CustomDomainConfig {
  /** For example `portal.example.se` or `*.portal.example.se` (clinics are resolved from the host name). */
  readonly domainNames: readonly string[];
  readonly certificateArn: string;
}

/** Everything a stack may vary on. Stacks read only this object, never `process.env`. */
export interface PortalConfig {
  readonly stage: Stage;
  /** Prefix of every stack name, e.g. `Portal-dev`. */
  readonly stackPrefix: string;
  /** Leave `account` undefined for environment-agnostic stacks (the CLI profile decides at deploy time). */
  readonly account?: string;
  readonly region: string;
  readonly logRetention: RetentionDays;
  /** What happens to log groups when their stack is deleted. */
  readonly logRemovalPolicy: RemovalPolicy;
  /**
   * The functions' application log level (AWS_LAMBDA_LOG_LEVEL, which the JSON logger honours): INFO logs a line
   * per request; WARN keeps only problems, for a stage whose log volume costs more than the lines are worth.
   */
  readonly logLevel: ApplicationLogLevel;
  /** DynamoDB deletion protection; the stateful resources are RETAINed on stack deletion in every stage. */
  readonly deletionProtection: boolean;
  /** Old versions of replaced or deleted documents are kept this long, then expire. */
  readonly documentVersionRetention: Duration;
  /** HTTP API default-stage throttling (requests per second / burst). */
  readonly apiThrottling: { readonly rateLimit: number; readonly burstLimit: number };
  /** Built frontend (Vite output) deployed to the site bucket. */
  readonly frontendDistPath: string;
  /** Undefined: the distribution is served on its `*.cloudfront.net` name. */
  readonly customDomain?: CustomDomainConfig;
  /**
   * ARN of an existing CloudFront-scoped WAF web ACL (created in us-east-1) to attach instead of the one the
   * edge-security stack builds: set, that stack is not created and `webAcl` is ignored. The ACL must let the bodies
   * of `PUT /api/admin/settings/logo` (up to 512 KB), `POST /api/customers/{id}/document-archives` (up to 32 KB) and
   * `/ingest/*` (up to 4 MB) through: AWS's common rule set blocks bodies over 8 KB (SizeRestrictions_BODY).
   */
  readonly webAclArn?: string;
  /** The web ACL the edge-security stack creates (lib/constructs/portal-web-acl.ts); ignored with `webAclArn`. */
  readonly webAcl: WebAclConfig;
  /** The asynchronous PDF render worker (docs/render-pipeline.md). */
  readonly renderWorker: RenderWorkerConfig;
  /**
   * ARN of an existing SNS topic that every alarm notifies. Undefined: the data stack creates an encrypted topic
   * (lib/constructs/alarm-topic.ts), subscribing `alarmEmail` to it.
   */
  readonly alarmTopicArn?: string;
  /** Who gets the alarms of the created topic (ignored with `alarmTopicArn`). Confirm the subscription mail once. */
  readonly alarmEmail?: string;
  /**
   * The BankID environment the API function talks to (BANKID_ENVIRONMENT). The RP certificate in the stage's BankID
   * secret must be one BankID issued for this environment, and the CA in it this environment's root CA.
   */
  readonly bankIdEnvironment: BankIdEnvironment;
  /** Where invitations and password resets are sent from (SES; see README, "Mail in AWS"). */
  readonly mail: MailConfig;
  /**
   * How long each audit anchor (functions/domain/audit-trail.ts) is locked in the audit anchor bucket. COMPLIANCE: nobody,
   * not even the account's root user, can delete or shorten it before it ends. GOVERNANCE: a principal with
   * s3:BypassGovernanceRetention can (for a stage one tears down).
   */
  readonly auditAnchorLock: { readonly mode: 'COMPLIANCE' | 'GOVERNANCE'; readonly retention: Duration };
  /**
   * Clinics the deployment itself must know about: those on dedicated resources (`silo: true`) and those with host
   * names of their own. Every other clinic is pooled and needs no entry: `npm run tenant -- create` provisions it.
   * Checked by {@link clinicDeploymentProblems} before any stack is built.
   */
  readonly clinics: readonly ClinicDeploymentConfig[];
}

/**
 * One clinic's deployment. Pooled by default: its data shares the stage's table and documents bucket with every
 * other pooled clinic, fenced by its tenant id (keys, tenant-scoped credentials). `silo: true` deploys a stack of its
 * own (lib/stacks/silo-clinic-stack.ts: table, documents bucket and KMS key, AWS SaaS Factory's silo tier) for a
 * clinic whose customers require dedicated resources, and every function routes the clinic's data there.
 */
export interface ClinicDeploymentConfig {
  /** The clinic's slug, as given to `npm run tenant -- create --slug` (2-40 lowercase letters, digits, hyphens). */
  readonly slug: string;
  /**
   * The clinic's id, a lowercase UUID generated once by the operator (`node -p "crypto.randomUUID()"`) before the
   * first deploy: the silo's IAM policies name it, and `npm run tenant -- create` gives the clinic this id. Required
   * with `silo`; never changed afterwards.
   */
  readonly tenantId?: string;
  readonly silo?: boolean;
  /**
   * The clinic's own host names (`portal.kliniken.se`), served by the stage's distribution beside
   * `customDomain.domainNames`: the stage's certificate must cover them too. Register each with
   * `npm run tenant -- create --host` (or `host add`) so requests on it resolve to the clinic.
   */
  readonly domainNames?: readonly string[];
}

/** A clinic on its own resources, as the silo stack needs it. */
export interface SiloClinicConfig {
  readonly slug: string;
  readonly tenantId: string;
}

/** The clinics of a config that are deployed on dedicated resources. */
export function siloClinicsOf(config: Pick<PortalConfig, 'clinics'>): SiloClinicConfig[] {
  return config.clinics.flatMap(({ slug, tenantId, silo }) => (silo && tenantId ? [{ slug, tenantId }] : []));
}

/** Each silo's entry in SILO_CLINICS is about 150 bytes of Lambda's 4 KB environment, shared with other variables. */
export const MAX_SILO_CLINICS = 20;

const SLUG_FORMAT = /^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$/;
const TENANT_ID_FORMAT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const HOST_NAME_FORMAT = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * What is wrong with `config.clinics`, one sentence per problem naming the clinic and the field; empty when nothing
 * is. The same rules as the runtime's (functions/domain/clinic-provisioning.ts, functions/domain/ids.ts), repeated
 * because lib/ must not import functions/; test/infra/silo-clinics.test.ts proves they agree.
 */
export function clinicDeploymentProblems(config: Pick<PortalConfig, 'clinics' | 'customDomain'>): string[] {
  const problems: string[] = [];
  const seen = { slug: new Set<string>(), tenantId: new Set<string>(), domainName: new Set<string>() };
  config.clinics.forEach((clinic, index) => {
    const name = `clinics[${index}] (${clinic.slug})`;
    if (!SLUG_FORMAT.test(clinic.slug)) {
      problems.push(
        `${name}: slug must be 2-40 lowercase letters, digits and hyphens, not starting or ending with one.`,
      );
    }
    if (seen.slug.has(clinic.slug)) problems.push(`${name}: slug ${clinic.slug} is listed twice.`);
    seen.slug.add(clinic.slug);
    if (clinic.tenantId !== undefined) {
      if (!TENANT_ID_FORMAT.test(clinic.tenantId)) {
        problems.push(`${name}: tenantId must be a lowercase UUID, not "${clinic.tenantId}".`);
      }
      if (seen.tenantId.has(clinic.tenantId)) problems.push(`${name}: tenantId ${clinic.tenantId} is listed twice.`);
      seen.tenantId.add(clinic.tenantId);
    }
    if (clinic.silo && clinic.tenantId === undefined) {
      problems.push(`${name}: silo needs tenantId, the id the clinic will be provisioned with.`);
    }
    if (!clinic.silo && !clinic.domainNames?.length) {
      problems.push(`${name}: a pooled clinic needs no entry unless it has domainNames of its own.`);
    }
    for (const domainName of clinic.domainNames ?? []) {
      if (!HOST_NAME_FORMAT.test(domainName)) {
        problems.push(`${name}: "${domainName}" is not a lowercase host name.`);
      }
      if (seen.domainName.has(domainName) || config.customDomain?.domainNames.includes(domainName)) {
        problems.push(`${name}: the host name ${domainName} is listed twice.`);
      }
      seen.domainName.add(domainName);
    }
    if (clinic.domainNames?.length && !config.customDomain) {
      problems.push(`${name}: domainNames need customDomain (the certificate that covers them).`);
    }
  });
  const silos = siloClinicsOf(config).length;
  if (silos > MAX_SILO_CLINICS) {
    problems.push(
      `${silos} silo clinics: at most ${MAX_SILO_CLINICS} fit the functions' environment (SILO_CLINICS, 4 KB with the rest).`,
    );
  }
  return problems;
}

/** The portal's outgoing mail. Recipients see the clinic's name as the sender's name, and this address. */
export interface MailConfig {
  /**
   * The sending domain, an SES email identity of the data stack: mail is sent only once its DKIM records are in
   * DNS and the account is out of the SES sandbox.
   */
  readonly domain: string;
  /** The sender address (MAIL_FROM_ADDRESS), at `domain`. Nobody reads replies to it. */
  readonly fromAddress: string;
}

/**
 * Requests one client IP address may send in any 5 minutes, per path group, before WAF answers 429 until its rate
 * falls below the limit again (WAF's minimum is 10). These sit above the app's own per-address limits
 * (functions/domain/login-throttling.ts), which stay the precise ones: WAF only stops floods before they reach
 * Lambda. Offices behind one NAT address share a count, and so do clinics whose practice system is hosted by one
 * vendor.
 */
export interface WafRateLimits {
  /**
   * Contact and administrator password logins, the administrators' second step and password-reset requests. The
   * app allows 20 failed logins and 5 reset requests per address in 15 minutes.
   */
  readonly passwordSignIn: number;
  /** Starting a BankID order. The app allows 20 a minute per address (100 in 5 minutes). */
  readonly bankIdStart: number;
  /**
   * Polling (collect) and cancelling BankID orders. The frontend polls every 2 s while an order is pending, so one
   * login polls at most 150 times in 5 minutes.
   */
  readonly bankIdPolling: number;
  /** The clinics' ingest API (`/ingest/*`), every method. */
  readonly ingest: number;
}

export interface WebAclConfig {
  readonly rateLimits: WafRateLimits;
}

/** The render worker's sizing. The render queue's visibility timeout is derived from `timeout`. */
export interface RenderWorkerConfig {
  /** MB; 20,000-line documents peak at about 650 MB RSS, and Lambda's CPU share grows with memory. */
  readonly memorySize: number;
  readonly timeout: Duration;
  /**
   * Reserved concurrency, and also the queue poller's maximum concurrency, so a bulk push can neither exhaust the
   * account's concurrency nor be throttled into the dead-letter queue. Reserving needs that much unreserved
   * concurrency in the account (new accounts may have a limit of only 10). At least 2 (the poller's minimum).
   */
  readonly reservedConcurrency: number;
}

const DEFAULT_REGION = 'eu-north-1';

const BASE = {
  region: DEFAULT_REGION,
  documentVersionRetention: Duration.days(365),
  frontendDistPath: join(PROJECT_ROOT, 'frontend', 'dist'),
  renderWorker: { memorySize: 2048, timeout: Duration.minutes(5), reservedConcurrency: 10 },
  logLevel: ApplicationLogLevel.INFO,
  clinics: [],
  // Dev gets the same web ACL as prod: it is internet-facing too (a *.cloudfront.net name anyone can find), and a
  // rule that blocks a legitimate request should show up in dev before it does in prod. It costs about $13 a month.
  webAcl: {
    rateLimits: {
      passwordSignIn: 100,
      // Above the app's 100 per 5 minutes, so an office starting many logins meets the app's 429 (with
      // Retry-After) first; WAF stops only clients that ignore it.
      bankIdStart: 150,
      // 10 logins polling side by side for the whole window (150 polls each), or about 100 logins of a typical
      // 30 seconds (15 polls) from one address.
      bankIdPolling: 1500,
      // 10 requests a second sustained: a bulk push (document + status check per invoice basis) from one practice
      // system, or several hosted at one vendor. Clients retry a 429 with the same Idempotency-Key.
      ingest: 3000,
    },
  },
} as const;

const CONFIGS: Record<Stage, PortalConfig> = {
  dev: {
    ...BASE,
    stage: 'dev',
    stackPrefix: 'Portal-dev',
    logRetention: RetentionDays.ONE_MONTH,
    logRemovalPolicy: RemovalPolicy.DESTROY,
    deletionProtection: false,
    apiThrottling: { rateLimit: 50, burstLimit: 100 },
    bankIdEnvironment: 'test',
    auditAnchorLock: { mode: 'GOVERNANCE', retention: Duration.days(30) },
    mail: { domain: 'dev.portal.example.se', fromAddress: 'no-reply@dev.portal.example.se' },
  },
  prod: {
    ...BASE,
    stage: 'prod',
    stackPrefix: 'Portal-prod',
    logRetention: RetentionDays.ONE_YEAR,
    logRemovalPolicy: RemovalPolicy.RETAIN,
    deletionProtection: true,
    apiThrottling: { rateLimit: 200, burstLimit: 400 },
    bankIdEnvironment: 'production',
    // Seven years, as invoice records are kept (bokföringslagen 7 kap.): the audit trail proves who saw them.
    auditAnchorLock: { mode: 'COMPLIANCE', retention: Duration.days(7 * 365 + 2) },
    mail: { domain: 'portal.example.se', fromAddress: 'no-reply@portal.example.se' },
  },
};

export function isStage(value: unknown): value is Stage {
  return typeof value === 'string' && (STAGES as readonly string[]).includes(value);
}

/** The config of a stage, optionally with overrides (tests point `frontendDistPath` at a temporary folder). */
export function configFor(stage: Stage, overrides: Partial<PortalConfig> = {}): PortalConfig {
  return { ...CONFIGS[stage], ...overrides };
}
