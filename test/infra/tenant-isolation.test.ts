import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { TENANT_SESSION_TAG as RUNTIME_TENANT_TAG } from '../../functions/runtime/tenant-credentials';
import { TENANT_SESSION_TAG } from '../../lib/constructs/tenant-data-store';
import { TENANT_TAG_FORMAT } from '../../lib/stacks/api-stack';
import { buildPortalApp, SYNTH_TIMEOUT_MS, templatesOf } from './support/portal-app';
import {
  actionsOf,
  propertiesOf,
  resourcesAllowed,
  type Statement,
  statementsOf,
  statementsOfPolicy,
} from './support/template-queries';

/**
 * Every function that serves tenants, by its logical id prefix: its own data access policy, its tenant role and
 * that role's policy.
 */
const TENANT_FACING = {
  ApiFunction: { own: 'ApiDataAccess', role: 'ApiTenantDataRole', tenant: 'TenantApiDataAccess' },
  IngestFunction: { own: 'IngestDataAccess', role: 'IngestTenantDataRole', tenant: 'TenantIngestDataAccess' },
  RenderWorker: {
    own: 'RenderWorkerDataAccess',
    role: 'RenderWorkerTenantDataRole',
    tenant: 'TenantRenderWorkerDataAccess',
  },
  NotificationSender: {
    own: 'NotificationSenderDataAccess',
    role: 'NotificationSenderTenantDataRole',
    tenant: 'TenantNotificationSenderDataAccess',
  },
  AuditSealer: {
    own: 'AuditSealerDataAccess',
    role: 'AuditSealerTenantDataRole',
    tenant: 'TenantAuditSealerDataAccess',
  },
} as const;
type Prefix = keyof typeof TENANT_FACING;
const PREFIXES = Object.keys(TENANT_FACING) as Prefix[];

/** The IAM policy variable of the session's tenant tag, as it must appear in the policy text. */
const POLICY_TENANT = `$\{aws:PrincipalTag/tenant}`;

interface ConditionalStatement extends Statement {
  readonly Condition?: Record<string, Record<string, unknown>>;
}

describe('tenant isolation in IAM', () => {
  let api: Template;
  let data: Template;
  beforeAll(() => {
    ({ api, data } = templatesOf(buildPortalApp('dev')));
  }, SYNTH_TIMEOUT_MS);

  const roleId = (prefix: Prefix) => {
    const ids = Object.keys(api.findResources('AWS::IAM::Role')).filter((id) =>
      id.startsWith(TENANT_FACING[prefix].role),
    );
    expect(ids).toHaveLength(1);
    return ids[0] as string;
  };
  const tenantStatements = (prefix: Prefix): ConditionalStatement[] =>
    statementsOfPolicy(data, 'AWS::IAM::ManagedPolicy', TENANT_FACING[prefix].tenant);
  /** What a function's own role may do: its managed policy in the data stack and its inline policy. */
  const ownStatements = (prefix: Prefix): ConditionalStatement[] => [
    ...statementsOfPolicy(data, 'AWS::IAM::ManagedPolicy', TENANT_FACING[prefix].own),
    ...statementsOfPolicy(api, 'AWS::IAM::Policy', `${prefix}RoleDefaultPolicy`),
  ];
  const objectPatternsFor = (prefix: Prefix, action: string) =>
    resourcesAllowed(tenantStatements(prefix), action).map((resource) => JSON.stringify(resource));

  it('uses the session tag the runtime sets', () => {
    expect(TENANT_SESSION_TAG).toBe(RUNTIME_TENANT_TAG);
  });

  it.each(PREFIXES)(
    "trusts only %s's role with its tenant role, and only for sessions tagged with one tenant id and nothing else",
    (prefix) => {
      // Act
      const role = propertiesOf(api, 'AWS::IAM::Role', TENANT_FACING[prefix].role);
      const trust = role.AssumeRolePolicyDocument.Statement;

      // Assert
      expect(trust).toHaveLength(1);
      const [statement] = trust;
      expect(statement.Effect).toBe('Allow');
      expect([...statement.Action].sort()).toEqual(['sts:AssumeRole', 'sts:TagSession']);
      expect(statement.Principal.AWS['Fn::GetAtt'][0]).toMatch(new RegExp(`^${prefix}Role[0-9A-F]{8}$`, 'u'));
      expect(statement.Condition).toEqual({
        Null: { 'aws:RequestTag/tenant': 'false' },
        StringLike: { 'aws:RequestTag/tenant': TENANT_TAG_FORMAT },
        'ForAllValues:StringEquals': { 'aws:TagKeys': ['tenant'] },
      });
      expect(role.ManagedPolicyArns).toHaveLength(1);
      expect(JSON.stringify(role.ManagedPolicyArns)).toContain(TENANT_FACING[prefix].tenant);
      expect(role.MaxSessionDuration).toBe(3600);
    },
  );

  it('accepts as tenant tag only the shape of a UUID: never empty, never long enough to hold two ids', () => {
    expect(TENANT_TAG_FORMAT).toMatch(/^[?]{8}-[?]{4}-[?]{4}-[?]{4}-[?]{12}$/u);
  });

  it.each(PREFIXES)(
    "lets %s's tenant sessions reach items only in partitions T#<tenant> and T#<tenant>#…, table and index, never Scan",
    (prefix) => {
      // Act
      const dynamo = tenantStatements(prefix).filter((statement) =>
        actionsOf(statement).some((action) => action.startsWith('dynamodb:')),
      );

      // Assert
      expect(dynamo.length).toBeGreaterThan(0);
      for (const statement of dynamo) {
        expect(statement.Condition).toEqual({
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`T#${POLICY_TENANT}`, `T#${POLICY_TENANT}#*`] },
        });
        expect(actionsOf(statement).filter((action) => action === 'dynamodb:Scan' || action.includes('*'))).toEqual([]);
        expect(actionsOf(statement).some((action) => action.startsWith('dynamodb:PartiQL'))).toBe(false);
      }
    },
  );

  it.each(PREFIXES)("lets %s's tenant sessions reach objects only under tenants/<its tenant>/", (prefix) => {
    // Act
    const s3 = tenantStatements(prefix).filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith('s3:')),
    );
    const listings = s3.filter((statement) => actionsOf(statement).includes('s3:ListBucket'));
    const objects = s3.filter((statement) => !listings.includes(statement));

    // Assert: objects by key under the tenant's prefix; a listing only of the tenant's audit anchors
    for (const statement of objects) {
      expect(JSON.stringify(statement.Resource)).toMatch(/"\/tenants\/\$\{aws:PrincipalTag\/tenant\}\/[a-z/-]*\*"\]/u);
      expect(actionsOf(statement).some((action) => action.includes('*') || action.includes('Bucket'))).toBe(false);
    }
    for (const statement of listings) {
      expect(actionsOf(statement)).toEqual(['s3:ListBucket']);
      expect(statement.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^AuditAnchorBucket/u), 'Arn'] });
      expect(statement.Condition).toEqual({
        StringLike: { 's3:prefix': [`tenants/${POLICY_TENANT}/audit-anchors/*`] },
      });
    }
  });

  it('lets only the audit sealer write audit anchors and only the API and the sealer list them; nobody deletes one', () => {
    // Act
    const anchorActions = (prefix: Prefix) =>
      tenantStatements(prefix)
        .filter((statement) => JSON.stringify(statement.Resource).includes('AuditAnchorBucket'))
        .flatMap(actionsOf)
        .sort();

    // Assert
    expect(anchorActions('AuditSealer')).toEqual(['s3:ListBucket', 's3:PutObject']);
    expect(anchorActions('ApiFunction')).toEqual(['s3:ListBucket']);
    for (const prefix of ['IngestFunction', 'RenderWorker', 'NotificationSender'] as const) {
      expect(anchorActions(prefix)).toEqual([]);
    }
    expect(objectPatternsFor('AuditSealer', 's3:PutObject')).toEqual([
      expect.stringMatching(/AuditAnchorBucket.*tenant\}\/audit-anchors\/\*"/u),
    ]);
  });

  it("gives each function's tenant sessions what it did before tenant roles, and no more", () => {
    // The API reads documents and writes only temporary archives and logos.
    expect(objectPatternsFor('ApiFunction', 's3:GetObject')).toEqual([expect.stringMatching(/tenant\}\/\*"/u)]);
    expect(objectPatternsFor('ApiFunction', 's3:PutObject')).toEqual([
      expect.stringMatching(/tenant\}\/archives\/\*"/u),
      expect.stringMatching(/tenant\}\/branding\/\*"/u),
    ]);
    expect(objectPatternsFor('ApiFunction', 's3:DeleteObject')).toEqual([
      expect.stringMatching(/tenant\}\/branding\/\*"/u),
    ]);
    // Ingest reads, writes and deletes (a checked upload) documents.
    for (const action of ['s3:GetObject', 's3:PutObject', 's3:DeleteObject']) {
      expect(objectPatternsFor('IngestFunction', action)).toEqual([expect.stringMatching(/tenant\}\/\*"/u)]);
    }
    // The render worker never deletes a document and reads by key only.
    expect(objectPatternsFor('RenderWorker', 's3:DeleteObject')).toEqual([]);
    expect(JSON.stringify(resourcesAllowed(tenantStatements('RenderWorker'), 'dynamodb:Query'))).not.toContain(
      '/index/',
    );
    // The notification sender touches no object; it finds the outbox through the indexes.
    expect(
      tenantStatements('NotificationSender')
        .flatMap(actionsOf)
        .some((action) => action.startsWith('s3:')),
    ).toBe(false);
    for (const prefix of ['ApiFunction', 'IngestFunction', 'NotificationSender'] as const) {
      expect(JSON.stringify(resourcesAllowed(tenantStatements(prefix), 'dynamodb:Query'))).toMatch(
        /\/index\/GSI1".*\/index\/GSI2"/u,
      );
    }
  });

  it.each(PREFIXES)(
    'lets %s assume exactly its tenant role, with a tenant tag, and tells it the role ARN',
    (prefix) => {
      // Act
      const assume = ownStatements(prefix).filter((statement) =>
        actionsOf(statement).some((action) => action.startsWith('sts:')),
      );
      const variables = propertiesOf(api, 'AWS::Lambda::Function', prefix).Environment.Variables;

      // Assert
      expect(assume).toHaveLength(1);
      expect([...actionsOf(assume[0] as Statement)].sort()).toEqual(['sts:AssumeRole', 'sts:TagSession']);
      expect(assume[0]?.Resource).toEqual({ 'Fn::GetAtt': [roleId(prefix), 'Arn'] });
      expect(assume[0]?.Condition?.Null).toEqual({ 'aws:RequestTag/tenant': 'false' });
      expect(variables.TENANT_DATA_ROLE_ARN).toEqual({ 'Fn::GetAtt': [roleId(prefix), 'Arn'] });
    },
  );

  it.each(PREFIXES)(
    'gives %s no S3 and, of the table, only reads of the platform directory (DIRECTORY#…) with its own role',
    (prefix) => {
      // Act
      const statements = ownStatements(prefix);
      const dynamo = statements.filter((statement) =>
        actionsOf(statement).some((action) => action.startsWith('dynamodb:')),
      );

      // Assert
      expect(statements.flatMap(actionsOf).filter((action) => action.startsWith('s3:'))).toEqual([]);
      for (const statement of dynamo) {
        expect([...actionsOf(statement)].sort()).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
        expect(statement.Condition).toEqual({
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['DIRECTORY#*'] },
        });
        expect(JSON.stringify(statement.Resource)).not.toContain('/index/');
      }
    },
  );

  it('lets no role of the portal Scan the table', () => {
    const actions = [
      ...statementsOf(data, 'AWS::IAM::ManagedPolicy'),
      ...statementsOf(api, 'AWS::IAM::Policy'),
      ...statementsOf(data, 'AWS::IAM::Policy'),
    ].flatMap(actionsOf);
    expect(actions.filter((action) => action === 'dynamodb:Scan' || action === 'dynamodb:*')).toEqual([]);
  });
});
