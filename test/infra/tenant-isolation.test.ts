import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { TENANT_SESSION_TAG as RUNTIME_TENANT_TAG } from '../../functions/runtime/tenant-credentials';
import { TENANT_TAG_FORMAT } from '../../lib/stacks/api-stack';
import { TENANT_SESSION_TAG } from '../../lib/stacks/data-stack';
import { buildPortalApp, SYNTH_TIMEOUT_MS, templatesOf } from './support/portal-app';
import { actionsOf, propertiesOf, type Statement, statementsOf, statementsOfPolicy } from './support/template-queries';

/** Every function that serves tenants, by its logical id prefix, with its own data access policy. */
const TENANT_FACING = {
  ApiFunction: 'ApiDataAccess',
  IngestFunction: 'IngestDataAccess',
  RenderWorker: 'RenderWorkerDataAccess',
  NotificationSender: 'NotificationSenderDataAccess',
} as const;

/** The IAM policy variable of the session's tenant tag, as it must appear in the policy text. */
const POLICY_TENANT = `$\{aws:PrincipalTag/tenant}`;

interface ConditionalStatement extends Statement {
  readonly Condition?: Record<string, Record<string, unknown>>;
}

describe('tenant isolation in IAM', () => {
  let api: Template;
  let data: Template;
  let tenantRoleId: string;
  beforeAll(() => {
    ({ api, data } = templatesOf(buildPortalApp('dev')));
    const roles = Object.keys(api.findResources('AWS::IAM::Role')).filter((id) => id.startsWith('TenantDataRole'));
    tenantRoleId = roles[0] ?? '';
    expect(roles).toHaveLength(1);
  }, SYNTH_TIMEOUT_MS);

  const tenantRoleStatements = () => statementsOfPolicy(data, 'AWS::IAM::ManagedPolicy', 'TenantDataAccess');
  /** What a function's own role may do: its managed policy in the data stack and its inline policy. */
  const ownStatements = (prefix: keyof typeof TENANT_FACING): ConditionalStatement[] => [
    ...statementsOfPolicy(data, 'AWS::IAM::ManagedPolicy', TENANT_FACING[prefix]),
    ...statementsOfPolicy(api, 'AWS::IAM::Policy', `${prefix}RoleDefaultPolicy`),
  ];

  it('uses the session tag the runtime sets', () => {
    expect(TENANT_SESSION_TAG).toBe(RUNTIME_TENANT_TAG);
  });

  it('trusts exactly the four tenant-facing functions, only for sessions tagged with one tenant id and nothing else', () => {
    // Act
    const trust = propertiesOf(api, 'AWS::IAM::Role', 'TenantDataRole').AssumeRolePolicyDocument.Statement;

    // Assert
    expect(trust).toHaveLength(1);
    const [statement] = trust;
    expect(statement.Effect).toBe('Allow');
    expect([...statement.Action].sort()).toEqual(['sts:AssumeRole', 'sts:TagSession']);
    expect(
      statement.Principal.AWS.map((arn: { 'Fn::GetAtt': [string, string] }) => arn['Fn::GetAtt'][0]).sort(),
    ).toEqual(
      Object.keys(TENANT_FACING)
        .sort()
        .map((prefix) => expect.stringMatching(new RegExp(`^${prefix}Role[0-9A-F]{8}$`, 'u'))),
    );
    expect(statement.Condition).toEqual({
      Null: { 'aws:RequestTag/tenant': 'false' },
      StringLike: { 'aws:RequestTag/tenant': TENANT_TAG_FORMAT },
      'ForAllValues:StringEquals': { 'aws:TagKeys': ['tenant'] },
    });
    // A UUID's shape: no tag can be empty, or long enough to hold another tenant's id.
    expect(TENANT_TAG_FORMAT).toHaveLength(36);
  });

  it('lets a tenant session reach table and index items only in partitions T#<tenant> and T#<tenant>#…, without Scan', () => {
    // Act
    const dynamo = tenantRoleStatements().filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith('dynamodb:')),
    ) as ConditionalStatement[];

    // Assert
    expect(dynamo).toHaveLength(1);
    const [statement] = dynamo as [ConditionalStatement];
    expect(statement.Condition).toEqual({
      'ForAllValues:StringLike': {
        'dynamodb:LeadingKeys': [`T#${POLICY_TENANT}`, `T#${POLICY_TENANT}#*`],
      },
    });
    expect(actionsOf(statement)).not.toContain('dynamodb:Scan');
    expect(actionsOf(statement).some((action) => action.includes('*') || action.startsWith('dynamodb:PartiQL'))).toBe(
      false,
    );
    const resources = JSON.stringify(statement.Resource);
    expect(resources).toMatch(/"\/index\/GSI1".*"\/index\/GSI2"/u);
  });

  it('lets a tenant session reach objects only under tenants/<its tenant>/', () => {
    // Act
    const s3 = tenantRoleStatements().filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith('s3:')),
    );

    // Assert
    expect(s3).toHaveLength(1);
    expect(JSON.stringify(s3[0]?.Resource)).toMatch(/"\/tenants\/\$\{aws:PrincipalTag\/tenant\}\/\*"\]/u);
    expect(actionsOf(s3[0] as Statement).some((action) => action.includes('*') || action.includes('Bucket'))).toBe(
      false,
    );
  });

  it('attaches the tenant policy, and only that, to the tenant role', () => {
    const role = propertiesOf(api, 'AWS::IAM::Role', 'TenantDataRole');
    expect(role.ManagedPolicyArns).toHaveLength(1);
    expect(JSON.stringify(role.ManagedPolicyArns)).toContain('TenantDataAccess');
    expect(role.MaxSessionDuration).toBe(3600);
  });

  it.each(Object.keys(TENANT_FACING) as (keyof typeof TENANT_FACING)[])(
    'lets %s assume exactly the tenant role, with a tenant tag, and tells it the role ARN',
    (prefix) => {
      // Act
      const assume = ownStatements(prefix).filter((statement) =>
        actionsOf(statement).some((action) => action.startsWith('sts:')),
      );
      const variables = propertiesOf(api, 'AWS::Lambda::Function', prefix).Environment.Variables;

      // Assert
      expect(assume).toHaveLength(1);
      expect([...actionsOf(assume[0] as Statement)].sort()).toEqual(['sts:AssumeRole', 'sts:TagSession']);
      expect(assume[0]?.Resource).toEqual({ 'Fn::GetAtt': [tenantRoleId, 'Arn'] });
      expect(assume[0]?.Condition?.Null).toEqual({ 'aws:RequestTag/tenant': 'false' });
      expect(variables.TENANT_DATA_ROLE_ARN).toEqual({ 'Fn::GetAtt': [tenantRoleId, 'Arn'] });
    },
  );

  it.each(Object.keys(TENANT_FACING) as (keyof typeof TENANT_FACING)[])(
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
        expect(statement.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['DIRECTORY#*'] } });
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
