import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { type Bucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { PortalConfig, SiloClinicConfig } from '../config';
import { logBucket } from '../constructs/log-bucket';
import {
  documentsBucket,
  portalTable,
  type TenantDataAccessPolicies,
  tenantDataAccessPolicies,
} from '../constructs/tenant-data-store';

export interface SiloClinicStackProps extends StackProps {
  readonly config: PortalConfig;
  readonly clinic: SiloClinicConfig;
}

/**
 * One clinic's dedicated data (AWS SaaS Factory's silo tier): its own table, documents bucket and KMS key, in the
 * pool's exact shape (lib/constructs/tenant-data-store.ts). Everything else is shared with the pool: the functions,
 * the platform directory (host → clinic) and the audit anchor bucket, which guards the clinic's trail but holds none
 * of its data. The functions route the clinic's data here by its id (SILO_CLINICS, functions/runtime/storage-routing.ts),
 * and IAM agrees: only sessions tagged with this clinic reach these resources, and the pool refuses them.
 *
 * Stateful: everything RETAINed, like the data stack. Deleting the clinic's entry from the config does not delete its
 * data; the operator exports and deletes it (docs/operations.md, "Silo clinics").
 */
export class SiloClinicStack extends Stack {
  readonly clinic: SiloClinicConfig;
  readonly encryptionKey: Key;
  readonly table: Table;
  readonly documentsBucket: Bucket;
  /** Attached to each function's tenant role beside the pool's (lib/stacks/api-stack.ts). */
  readonly tenantDataAccess: TenantDataAccessPolicies;

  constructor(scope: Construct, id: string, props: SiloClinicStackProps) {
    super(scope, id, props);
    const { config, clinic } = props;
    this.clinic = clinic;

    // A key of the clinic's own: its contract can name it, its key policy and CloudTrail show every use, and
    // scheduling its deletion makes the clinic's data unreadable everywhere, backups included (crypto-shredding).
    this.encryptionKey = new Key(this, 'Key', {
      description: `Företagsportal ${config.stage}: the data of clinic ${clinic.slug} (${clinic.tenantId})`,
      alias: `alias/foretagsportal/${config.stage}/${clinic.slug}`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table = portalTable(this, 'Table', {
      deletionProtection: config.deletionProtection,
      encryptionKey: this.encryptionKey,
    });
    this.documentsBucket = documentsBucket(this, 'DocumentsBucket', {
      accessLogsBucket: logBucket(this, 'AccessLogsBucket', { objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED }),
      versionRetention: config.documentVersionRetention,
      encryptionKey: this.encryptionKey,
    });
    this.tenantDataAccess = tenantDataAccessPolicies(
      this,
      { table: this.table, documentsBucket: this.documentsBucket, encryptionKey: this.encryptionKey },
      { only: clinic.tenantId },
    );

    // What an operator needs for the clinic's restore and export commands (docs/operations.md).
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'DocumentsBucketName', { value: this.documentsBucket.bucketName });
    new CfnOutput(this, 'KeyArn', { value: this.encryptionKey.keyArn });
  }
}
