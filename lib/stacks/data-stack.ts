import { RemovalPolicy, SecretValue, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { AnyPrincipal, Effect, ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectLockRetention, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { bucketRef } from '../cdk-helpers';
import { type PortalConfig, siloClinicsOf } from '../config';
import { AlarmTopic } from '../constructs/alarm-topic';
import { logBucket } from '../constructs/log-bucket';
import { MailSending } from '../constructs/mail-sending';
import { RenderQueue } from '../constructs/render-queue';
import {
  documentsBucket,
  portalTable,
  type TenantDataAccessPolicies,
  tenantDataAccessPolicies,
} from '../constructs/tenant-data-store';

/**
 * What CloudFormation puts into the BankID secret when it creates it: the shape the operator fills in with
 * `aws secretsmanager put-secret-value` (README, "Deploying to AWS"), with nothing in it. Until then the API answers
 * BankID requests with 503 `bankid_unavailable` and names the missing fields in its log.
 *
 * NEVER change this text: CloudFormation writes SecretString again whenever the template's value changes, which
 * would overwrite the real certificate with the placeholder on the next deploy.
 */
export const BANKID_SECRET_PLACEHOLDER = JSON.stringify({ pkcs12Base64: '', passphrase: '', caCertificatePem: '' });

/** The platform partitions (the host directory, the clinic list), read before any tenant is known. */
export const PLATFORM_PARTITION_PATTERN = 'DIRECTORY#*';

/**
 * What Lambda's queue poller does with the render worker's execution role (AWS's list for SQS event sources), plus
 * ChangeMessageVisibility, with which the worker brings a failed job back after seconds instead of waiting out the
 * 30-minute visibility timeout. No SendMessage: only ingest enqueues.
 */
export const RENDER_QUEUE_CONSUMER_ACTIONS = [
  'sqs:ReceiveMessage',
  'sqs:DeleteMessage',
  'sqs:GetQueueAttributes',
  'sqs:ChangeMessageVisibility',
] as const;

export interface DataStackProps extends StackProps {
  readonly config: PortalConfig;
}

/**
 * Stateful resources: everything that holds data here (table, buckets, secret, render queues) outlives a
 * `cdk destroy` (RETAIN), so stateless stacks can be torn down and recreated freely. The render queues live here for
 * that reason: pending and dead-lettered jobs survive a rebuild of the API stack that consumes them.
 */
export class DataStack extends Stack {
  readonly table: Table;
  readonly documentsBucket: Bucket;
  readonly sessionSigningSeed: Secret;
  /** BankID's RP certificate, its passphrase and BankID's root CA, put in by the operator (see the placeholder). */
  readonly bankIdCredentials: Secret;
  /**
   * The key of the personal-number HMAC: every stored BankID identity is a hash under it. Generated once, never
   * rotated, never deleted — without it the stored identities match nobody.
   */
  readonly personalNumberPepper: Secret;
  /**
   * The key that seals clinic administrators' TOTP secrets (AES-256-GCM; the API uses the SHA-256 of the generated
   * string). Kept out of the table, so a table export or backup alone reveals no authenticator secret. Generated
   * once, never rotated by hand: a new value would make every enrolled authenticator unreadable.
   */
  readonly adminSecretsKey: Secret;
  /**
   * What each function's tenant sessions (its tenant role, lib/stacks/api-stack.ts, assumed with the tenant as
   * session tag) may do: that tenant's partitions and objects, and of those only what the function needs. Every
   * function reaches tenant data only this way.
   */
  readonly tenantDataAccess: TenantDataAccessPolicies;
  /**
   * Everything the API function may do with this stack's data. Defined here, next to the resources it names, so the
   * data stack states who may do what with its data (and cdk-nag reports its ARNs by stable same-stack ids).
   */
  readonly apiDataAccess: ManagedPolicy;
  /** Ingest jobs waiting for the render worker, with their dead-letter queue and its alarm. */
  readonly renderQueue: RenderQueue;
  /** The ingest function's own data access: the platform directory and enqueueing renders. */
  readonly ingestDataAccess: ManagedPolicy;
  /** The render worker's own data access: consuming the render queue (its data goes through tenant sessions). */
  readonly renderWorkerDataAccess: ManagedPolicy;
  /** The notification sender's own data access: the clinic list of the platform directory. */
  readonly notificationSenderDataAccess: ManagedPolicy;
  /** The audit sealer's own data access: the clinic list of the platform directory. */
  readonly auditSealerDataAccess: ManagedPolicy;
  /**
   * Write-once copies of every clinic's audit chain head (functions/domain/audit-trail.ts, AuditAnchor): Object Lock
   * keeps each for `config.auditAnchorLock`, and the bucket policy refuses overwrites and delete markers, so not even
   * someone able to write the table can make the trail's history disagree with them unnoticed.
   */
  readonly auditAnchorBucket: Bucket;
  /**
   * The SES sending domain and configuration set. Here rather than in the API stack because the domain's DKIM
   * records in DNS name this identity's keys: rebuilding the API stack must not make them stale.
   */
  readonly mail: MailSending;
  /**
   * Where every alarm of the stage notifies (this stack's own, the API's and the observability stack's). Here, not in
   * the observability stack, because this stack's alarms (dead letters, mail reputation) notify it too and the data
   * stack is deployed first; and an e-mail subscription, confirmed by hand, should outlive rebuilt stateless stacks.
   */
  readonly alarmTopic: ITopic;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.table = portalTable(this, 'Table', { deletionProtection: config.deletionProtection });

    const accessLogsBucket = logBucket(this, 'AccessLogsBucket', {
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    });

    this.documentsBucket = documentsBucket(this, 'DocumentsBucket', {
      accessLogsBucket,
      versionRetention: config.documentVersionRetention,
    });

    const { auditAnchorLock } = config;
    this.auditAnchorBucket = new Bucket(this, 'AuditAnchorBucket', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention:
        auditAnchorLock.mode === 'COMPLIANCE'
          ? ObjectLockRetention.compliance(auditAnchorLock.retention)
          : ObjectLockRetention.governance(auditAnchorLock.retention),
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: bucketRef(accessLogsBucket),
      serverAccessLogsPrefix: 'audit-anchors/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Object Lock stops deleting and changing a locked version, but not a newer version on top of it nor a delete
    // marker, either of which would hide the anchor from a listing. Refused for everyone: a PutObject that could
    // replace an object (no `If-None-Match: *`), and DeleteObject.
    this.auditAnchorBucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AnchorsAreNeverOverwritten',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [this.auditAnchorBucket.arnForObjects('*')],
        conditions: { Null: { 's3:if-none-match': 'true' } },
      }),
    );
    this.auditAnchorBucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AnchorsAreNeverDeleted',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
        resources: [this.auditAnchorBucket.arnForObjects('*')],
      }),
    );

    this.sessionSigningSeed = new Secret(this, 'SessionSigningSeed', {
      description: 'Seed from which the API derives its Ed25519 session signing key.',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.bankIdCredentials = new Secret(this, 'BankIdCredentials', {
      description:
        'BankID RP credentials as JSON {"pkcs12Base64","passphrase","caCertificatePem"}: the RP certificate (.p12, ' +
        "base64), its passphrase and BankID's root CA (PEM) for the stage's BankID environment. Put in by the operator.",
      secretStringValue: SecretValue.unsafePlainText(BANKID_SECRET_PLACEHOLDER),
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.personalNumberPepper = new Secret(this, 'PersonalNumberPepper', {
      description:
        'Pepper of the personal-number HMAC that identifies BankID users. NEVER rotate or delete: every stored ' +
        'BankID identity depends on it, and table backups are useless for BankID logins without it.',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.alarmTopic = new AlarmTopic(this, 'Alarms', {
      ...(config.alarmTopicArn ? { topicArn: config.alarmTopicArn } : {}),
      ...(config.alarmEmail ? { email: config.alarmEmail } : {}),
    }).topic;

    this.mail = new MailSending(this, 'Mail', { mail: config.mail, alarmTopicArn: this.alarmTopic.topicArn });

    this.adminSecretsKey = new Secret(this, 'AdminSecretsKey', {
      description:
        "Key that seals clinic administrators' TOTP secrets in the table (AES-256-GCM). NEVER rotate or delete: " +
        'every enrolled authenticator is sealed under it; without it administrators must enrol again.',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.renderQueue = new RenderQueue(this, 'RenderQueue', {
      workerTimeout: config.renderWorker.timeout,
      alarmTopicArn: this.alarmTopic.topicArn,
    });

    this.tenantDataAccess = tenantDataAccessPolicies(
      this,
      { table: this.table, documentsBucket: this.documentsBucket, auditAnchorBucket: this.auditAnchorBucket },
      // A silo clinic's data lives in its own stack: the pool is closed to its sessions (its anchors stay here).
      { except: siloClinicsOf(config).map((clinic) => clinic.tenantId) },
    );

    // The platform directory: host → clinic (the API and ingest resolve the clinic of every request) and the clinic
    // list (the notification sender's round). Nothing of a tenant, and read only: hosts are registered by operators.
    const platformReads = () =>
      new PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:Query'],
        resources: [this.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [PLATFORM_PARTITION_PATTERN] } },
      });

    this.apiDataAccess = new ManagedPolicy(this, 'ApiDataAccess', {
      description: 'Least-privilege data access of the Företagsportal API function (tenant data: tenant sessions)',
      statements: [
        platformReads(),
        new PolicyStatement({
          actions: ['secretsmanager:GetSecretValue'],
          resources: [
            this.sessionSigningSeed.secretArn,
            this.bankIdCredentials.secretArn,
            this.personalNumberPepper.secretArn,
            this.adminSecretsKey.secretArn,
          ],
        }),
      ],
    });

    this.ingestDataAccess = new ManagedPolicy(this, 'IngestDataAccess', {
      description: 'Least-privilege data access of the Företagsportal ingest function (tenant data: tenant sessions)',
      statements: [
        platformReads(),
        new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.renderQueue.queue.queueArn] }),
      ],
    });

    // The job names its clinic, so the worker reads no directory; never enqueues.
    this.renderWorkerDataAccess = new ManagedPolicy(this, 'RenderWorkerDataAccess', {
      description: 'Least-privilege data access of the Företagsportal render worker (tenant data: tenant sessions)',
      statements: [
        new PolicyStatement({
          actions: [...RENDER_QUEUE_CONSUMER_ACTIONS],
          resources: [this.renderQueue.queue.queueArn],
        }),
      ],
    });

    this.notificationSenderDataAccess = new ManagedPolicy(this, 'NotificationSenderDataAccess', {
      description:
        'Least-privilege data access of the Företagsportal notification sender (tenant data: tenant sessions)',
      statements: [platformReads()],
    });

    this.auditSealerDataAccess = new ManagedPolicy(this, 'AuditSealerDataAccess', {
      description: 'Least-privilege data access of the Företagsportal audit sealer (tenant data: tenant sessions)',
      statements: [platformReads()],
    });

    Validations.of(this.sessionSigningSeed).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotated by hand (put-secret-value), not by a rotation Lambda: the API keeps verifying sessions signed with the previous version (AWSPREVIOUS, by kid), so a rotation logs nobody out, and no code is needed to generate a seed.',
    });
    Validations.of(this.bankIdCredentials).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The RP certificate is issued by BankID (through the bank) and cannot be generated by a rotation Lambda; the operator replaces it with put-secret-value before it expires.',
    });
    Validations.of(this.adminSecretsKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        "Must not be rotated by a rotation Lambda: administrators' TOTP secrets are sealed under it, so a new value would make every enrolled authenticator unreadable (re-sealing them all would be a migration, not a rotation).",
    });
    Validations.of(this.personalNumberPepper).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Must never be rotated: stored BankID identities are HMACs of personal numbers under this pepper, so a new value would orphan every stored BankID identity (nobody could log in with BankID any more).',
    });
  }
}
