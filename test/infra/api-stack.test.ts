import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AwsEnvironment } from '../../functions/runtime/aws';
import { buildPortalApp, SYNTH_TIMEOUT_MS, templatesOf } from './support/portal-app';

/** Every variable functions/runtime/aws.ts reads that the stack must set (the runtime sets AWS_REGION itself). */
const CONTRACT: Record<Exclude<keyof AwsEnvironment, 'AWS_REGION'>, true> = {
  TABLE_NAME: true,
  DOCUMENTS_BUCKET: true,
  SESSION_SECRET_ARN: true,
};

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

function statementsOf(template: Template, type: 'AWS::IAM::Policy' | 'AWS::IAM::ManagedPolicy'): Statement[] {
  return Object.values(template.findResources(type)).flatMap(
    (policy) => policy.Properties.PolicyDocument.Statement as Statement[],
  );
}

const actionsOf = (statement: Statement): string[] =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

describe('the API stack', () => {
  let api: Template;
  let data: Template;
  beforeAll(() => {
    ({ api, data } = templatesOf(buildPortalApp('dev')));
  }, SYNTH_TIMEOUT_MS);

  it('runs the API on arm64 with Node.js 22 or newer, as an ES module bundle', () => {
    // Act
    const functions = Object.values(api.findResources('AWS::Lambda::Function'));

    // Assert
    expect(functions).toHaveLength(1);
    const props = functions[0]?.Properties;
    expect(props.Architectures).toEqual(['arm64']);
    expect(Number(/^nodejs(\d+)\.x$/.exec(props.Runtime)?.[1])).toBeGreaterThanOrEqual(22);
    expect(props.Handler).toBe('index.handler');
    expect(props.MemorySize).toBe(1024);
    expect(props.Timeout).toBe(10);
  });

  it('tells the function its table, bucket and secret under the names functions/runtime/aws.ts reads', () => {
    // Act
    const variables = Object.values(api.findResources('AWS::Lambda::Function'))[0]?.Properties.Environment.Variables;

    // Assert
    expect(Object.keys(variables)).toEqual(expect.arrayContaining(Object.keys(CONTRACT)));
    expect(variables.NODE_OPTIONS).toBe('--enable-source-maps');
  });

  it('traces with X-Ray and logs to its own log group with a retention period', () => {
    api.hasResourceProperties('AWS::Lambda::Function', {
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^ApiFunctionLogGroup') } },
    });
    api.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('does not give the function AWS managed policies, a table Scan or any s3 wildcard action', () => {
    // Arrange: the function's own policy plus the data stack's access policy attached to its role
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

  it('lets the function read and write documents only under tenants/, and nothing else in S3', () => {
    // Act
    const s3Statements = statementsOf(data, 'AWS::IAM::ManagedPolicy').filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith('s3:')),
    );

    // Assert
    expect(s3Statements).toHaveLength(1);
    expect(actionsOf(s3Statements[0] as Statement).sort()).toEqual(['s3:GetObject', 's3:PutObject']);
    expect(JSON.stringify(s3Statements[0]?.Resource)).toMatch(/\/tenants\/\*"/);
  });

  it("attaches the data stack's access policy, and nothing else managed, to the function's role", () => {
    // Act
    const [role] = Object.values(api.findResources('AWS::IAM::Role'));

    // Assert
    expect(role?.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({ Principal: { Service: 'lambda.amazonaws.com' } }),
    ]);
    expect(role?.Properties.ManagedPolicyArns).toHaveLength(1);
    expect(JSON.stringify(role?.Properties.ManagedPolicyArns)).toMatch(/ApiDataAccess/);
  });

  it('sends every method on /api/* to the function', () => {
    api.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'ANY /api/{proxy+}' });
    api.resourceCountIs('AWS::ApiGatewayV2::Route', 1);
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
