import { describe, expect, it } from 'vitest';
import { awsDataAdapters, awsDeps } from '../../../functions/runtime/aws';
import type { AwsEnvironment } from '../../../functions/runtime/aws-environment';
import { awsIngestDeps } from '../../../functions/runtime/aws-ingest';

/** A function's environment without the tenant role: what a wrongly wired deployment would have. */
const WITHOUT_TENANT_ROLE: AwsEnvironment = {
  AWS_REGION: 'eu-north-1',
  TABLE_NAME: 'table',
  DOCUMENTS_BUCKET: 'bucket',
  AUDIT_ANCHOR_BUCKET: 'anchors',
  SILO_CLINICS: '[]',
  SESSION_SECRET_ARN: 'arn:aws:secretsmanager:eu-north-1:000000000000:secret:seed',
  ADMIN_SECRETS_KEY_ARN: 'arn:aws:secretsmanager:eu-north-1:000000000000:secret:admin',
  RENDER_QUEUE_URL: 'https://sqs.eu-north-1.amazonaws.com/000000000000/render',
  MAIL_FROM_ADDRESS: 'no-reply@portal.example.se',
};

describe('the AWS wiring of tenant data', () => {
  it('fails closed: no function starts without the tenant role to reach tenant data with', () => {
    expect(() => awsDataAdapters(WITHOUT_TENANT_ROLE)).toThrow(/TENANT_DATA_ROLE_ARN/u);
    expect(() => awsDeps(WITHOUT_TENANT_ROLE)).toThrow(/TENANT_DATA_ROLE_ARN/u);
    expect(() => awsIngestDeps(WITHOUT_TENANT_ROLE)).toThrow(/TENANT_DATA_ROLE_ARN/u);
  });

  it("fails closed without the stage's silo list, and names what is wrong with a malformed one", () => {
    const withRole = { ...WITHOUT_TENANT_ROLE, TENANT_DATA_ROLE_ARN: 'arn:aws:iam::000000000000:role/tenant-data' };
    const { SILO_CLINICS: _, ...withoutSilos } = withRole;
    expect(() => awsDataAdapters(withoutSilos)).toThrow(/SILO_CLINICS is not set/u);
    expect(() => awsDataAdapters(withoutSilos, 'caller-credentials')).toThrow(/SILO_CLINICS is not set/u);
    expect(() => awsDataAdapters({ ...withRole, SILO_CLINICS: '{' })).toThrow(/not JSON/u);
    expect(() => awsDataAdapters({ ...withRole, SILO_CLINICS: '[{"tenantId":"x"}]' })).toThrow(
      /SILO_CLINICS\[0\]\.tenantId/u,
    );
  });

  it("uses the caller's own credentials only when asked to by name (the operator commands)", () => {
    expect(() => awsDataAdapters(WITHOUT_TENANT_ROLE, 'caller-credentials')).not.toThrow();
  });

  it('refuses a scope for a tenant id that is not a UUID, before any request', () => {
    const { scopeFor } = awsDataAdapters({
      ...WITHOUT_TENANT_ROLE,
      TENANT_DATA_ROLE_ARN: 'arn:aws:iam::000000000000:role/tenant-data',
    });
    expect(() => scopeFor('*')).toThrow(/UUID/u);
  });
});
