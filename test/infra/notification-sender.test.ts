import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { logicalIdOf } from '../../lib/cdk-helpers';
import { PORTAL_RUNTIME } from '../../lib/constructs/portal-function';
import { buildPortalApp, type PortalApp, SYNTH_TIMEOUT_MS, templatesOf } from './support/portal-app';
import { actionsOf, propertiesOf, statementsOf, statementsOfPolicy } from './support/template-queries';

const SENDER = 'NotificationSender';

describe('the notification sender', () => {
  let portal: PortalApp;
  let api: Template;
  let data: Template;
  let senderFunctionId: string;
  beforeAll(() => {
    portal = buildPortalApp('dev');
    ({ api, data } = templatesOf(portal));
    senderFunctionId = logicalIdOf(portal.stacks.api.notificationSender.function);
  }, SYNTH_TIMEOUT_MS);

  it('runs on arm64 and the newest Node.js runtime, one run at a time, well inside the 15-minute claim lease', () => {
    // Act
    const sender = propertiesOf(api, 'AWS::Lambda::Function', SENDER);

    // Assert
    expect(sender).toMatchObject({
      Architectures: ['arm64'],
      Runtime: PORTAL_RUNTIME.name,
      Timeout: 300,
      ReservedConcurrentExecutions: 1,
      TracingConfig: { Mode: 'Active' },
    });
    expect(Object.keys(sender.Environment.Variables)).toEqual(
      expect.arrayContaining(['TABLE_NAME', 'MAIL_FROM_ADDRESS', 'MAIL_CONFIGURATION_SET']),
    );
    // Notices name documents but never read their files.
    expect(Object.keys(sender.Environment.Variables)).not.toContain('DOCUMENTS_BUCKET');
  });

  it('is started every minute by a schedule, without retries that would overlap the next run', () => {
    // Act
    const rule = propertiesOf(api, 'AWS::Events::Rule', 'NotificationSchedule');

    // Assert
    expect(rule.ScheduleExpression).toBe('rate(1 minute)');
    expect(rule.State).toBe('ENABLED');
    expect(rule.Targets).toEqual([
      expect.objectContaining({
        Arn: { 'Fn::GetAtt': [senderFunctionId, 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 0 },
      }),
    ]);
    api.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [senderFunctionId, 'Arn'] },
    });
  });

  it('reads only the clinic list with its own role (clinic data: tenant sessions), and no documents, no secrets, no Scan', () => {
    // Act
    const statements = statementsOfPolicy(data, 'AWS::IAM::ManagedPolicy', 'NotificationSenderDataAccess');
    const actions = statements.flatMap(actionsOf);

    // Assert
    expect(new Set(actions)).toEqual(new Set(['dynamodb:GetItem', 'dynamodb:Query']));
    expect(JSON.stringify(statements)).toContain('"dynamodb:LeadingKeys":["DIRECTORY#*"]');
    expect(actions.some((action) => action.startsWith('s3:') || action.startsWith('secretsmanager:'))).toBe(false);
    expect(actions).not.toContain('dynamodb:Scan');
  });

  it('may send mail through SES (SendEmail, not SendRawEmail) and has no other inline grant but assuming the tenant role, its logs and tracing', () => {
    // Act
    const inline = statementsOf(api, 'AWS::IAM::Policy').filter((statement) =>
      JSON.stringify(statement).includes('ses:'),
    );
    const senderPolicy = Object.entries(api.findResources('AWS::IAM::Policy')).find(([id]) =>
      id.startsWith(`${SENDER}Role`),
    )?.[1].Properties.PolicyDocument.Statement as { Action: string | string[] }[];

    // Assert
    expect(inline.flatMap(actionsOf)).not.toContain('ses:SendRawEmail');
    const senderActions = senderPolicy.flatMap((statement) => actionsOf(statement as never));
    expect(senderActions).toContain('ses:SendEmail');
    expect(
      senderActions.every((action) =>
        /^(ses:SendEmail|sts:AssumeRole|sts:TagSession|logs:|xray:)$|^(logs|xray):/u.test(action),
      ),
    ).toBe(true);
  });
});
