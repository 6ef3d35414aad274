import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AwsEnvironment } from '../../functions/runtime/aws-environment';
import { buildPortalApp, SYNTH_TIMEOUT_MS, templatesOf } from './support/portal-app';
import { actionsOf, propertiesOf, statementsOf, statementsOfPolicy } from './support/template-queries';

/**
 * Which function is given which variable of functions/runtime/aws-environment.ts (the runtime sets AWS_REGION itself).
 * Typed by AwsEnvironment: a variable the runtime starts to read fails typecheck here until a function gets it.
 */
const ALL_FUNCTIONS = ['ApiFunction', 'IngestFunction', 'RenderWorker', 'NotificationSender', 'AuditSealer'];
/** The notification sender uses the table alone (functions/runtime/aws-tables.ts). */
const BUCKET_FUNCTIONS = ALL_FUNCTIONS.filter((name) => name !== 'NotificationSender');
const CONTRACT: Record<Exclude<keyof AwsEnvironment, 'AWS_REGION'>, readonly string[]> = {
  TABLE_NAME: ALL_FUNCTIONS,
  DOCUMENTS_BUCKET: BUCKET_FUNCTIONS,
  AUDIT_ANCHOR_BUCKET: BUCKET_FUNCTIONS,
  SESSION_SECRET_ARN: ['ApiFunction'],
  RENDER_QUEUE_URL: ['IngestFunction', 'RenderWorker'],
  RENDER_MAX_RECEIVES: ['RenderWorker'],
  BANKID_SECRET_ARN: ['ApiFunction'],
  PERSONAL_NUMBER_PEPPER_ARN: ['ApiFunction'],
  ADMIN_SECRETS_KEY_ARN: ['ApiFunction'],
  BANKID_ENVIRONMENT: ['ApiFunction'],
  // For tests and staging only: no stack points a function at another BankID than its environment's.
  BANKID_BASE_URL: [],
  MAIL_FROM_ADDRESS: ['ApiFunction', 'NotificationSender'],
  MAIL_CONFIGURATION_SET: ['ApiFunction', 'NotificationSender'],
  ORIGIN_SECRET_ARN: ['ApiFunction', 'IngestFunction'],
  TENANT_DATA_ROLE_ARN: ALL_FUNCTIONS,
  SILO_CLINICS: ALL_FUNCTIONS,
};

describe('the API stack', () => {
  let api: Template;
  let data: Template;
  beforeAll(() => {
    ({ api, data } = templatesOf(buildPortalApp('dev')));
  }, SYNTH_TIMEOUT_MS);

  it('runs the API on arm64 with Node.js 22 or newer, as an ES module bundle', () => {
    // Act
    const props = propertiesOf(api, 'AWS::Lambda::Function', 'ApiFunction');

    // Assert
    expect(props.Architectures).toEqual(['arm64']);
    expect(Number(/^nodejs(\d+)\.x$/.exec(props.Runtime)?.[1])).toBeGreaterThanOrEqual(22);
    expect(props.Handler).toBe('index.handler');
    expect(props.MemorySize).toBe(1024);
    expect(props.Timeout).toBe(29);
  });

  it.each(ALL_FUNCTIONS)(
    'tells %s exactly the variables of functions/runtime/aws-environment.ts it needs',
    (prefix) => {
      // Arrange
      const needed = Object.entries(CONTRACT).flatMap(([name, users]) => (users.includes(prefix) ? [name] : []));

      // Act
      const variables = propertiesOf(api, 'AWS::Lambda::Function', prefix).Environment.Variables;

      // Assert
      expect(
        Object.keys(variables)
          .filter((name) => name in CONTRACT)
          .sort(),
      ).toEqual(needed.sort());
      expect(variables.NODE_OPTIONS).toBe('--enable-source-maps');
    },
  );

  it('traces with X-Ray and logs to its own log group with a retention period', () => {
    api.hasResourceProperties('AWS::Lambda::Function', {
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^ApiFunctionLogGroup') } },
    });
    api.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it("has every portal function log JSON at the stage log level, so the JSON logger's lines are kept as they are", () => {
    // Act
    const functions = Object.entries(api.findResources('AWS::Lambda::Function')).filter(([id]) =>
      ALL_FUNCTIONS.some((prefix) => id.startsWith(prefix)),
    );

    // Assert
    expect(functions).toHaveLength(5);
    for (const [, resource] of functions) {
      expect(resource.Properties.LoggingConfig).toMatchObject({
        LogFormat: 'JSON',
        ApplicationLogLevel: 'INFO',
        SystemLogLevel: 'INFO',
      });
    }
  });

  it('does not give any function AWS managed policies, a table Scan or any s3 wildcard action', () => {
    // Arrange: the functions' own policies plus the data stack's access policies attached to their roles
    const statements = [...statementsOf(api, 'AWS::IAM::Policy'), ...statementsOf(data, 'AWS::IAM::ManagedPolicy')];
    const actions = statements.flatMap(actionsOf);

    // Assert
    expect(actions).not.toContain('dynamodb:Scan');
    expect(actions.filter((action) => action.startsWith('s3:') && action.includes('*'))).toEqual([]);
    expect(actions.filter((action) => action.startsWith('dynamodb:') && action.includes('*'))).toEqual([]);
    api.hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: Match.not(Match.arrayWith([Match.stringLikeRegexp('iam::aws:policy')])),
    });
  });

  it('gives the API function no queue access: only ingest enqueues renders', () => {
    // Act
    const actions = [
      ...statementsOfPolicy(data, 'AWS::IAM::ManagedPolicy', 'ApiDataAccess'),
      ...statementsOfPolicy(api, 'AWS::IAM::Policy', 'ApiFunctionRoleDefaultPolicy'),
    ].flatMap(actionsOf);

    // Assert
    expect(actions.filter((action) => action.startsWith('sqs:'))).toEqual([]);
  });

  it("attaches the data stack's access policy, and nothing else managed, to the function's role", () => {
    // Act
    const role = propertiesOf(api, 'AWS::IAM::Role', 'ApiFunctionRole');

    // Assert
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({ Principal: { Service: 'lambda.amazonaws.com' } }),
    ]);
    expect(role.ManagedPolicyArns).toHaveLength(1);
    expect(JSON.stringify(role.ManagedPolicyArns)).toMatch(/ApiDataAccess/);
  });

  it('sends every method on /api/* to the function, and has no other route but ingest', () => {
    api.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'ANY /api/{proxy+}' });
    const routeKeys = Object.values(api.findResources('AWS::ApiGatewayV2::Route')).map(
      (route) => route.Properties.RouteKey,
    );
    expect(routeKeys.sort()).toEqual(['ANY /api/{proxy+}', 'ANY /ingest/{proxy+}']);
  });

  it('writes HTTP API access logs and throttles the default stage', () => {
    api.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^HttpApiAccessLogs'), 'Arn'] },
        Format: Match.stringLikeRegexp('\\$context.requestId'),
      },
      DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
    });
  });
});
