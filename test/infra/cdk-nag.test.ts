import { Bucket } from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { addComplianceChecks } from '../../lib/create-stacks';
import { buildPortalApp } from './support/portal-app';

describe('cdk-nag AwsSolutions checks', () => {
  it('find nothing unacknowledged in the dev stage, its us-east-1 web ACL stack included', () => {
    // Arrange
    const { app, stacks } = buildPortalApp('dev');
    addComplianceChecks(app);

    // Act / Assert: an unacknowledged finding makes synth throw
    expect(stacks.edgeSecurity).toBeDefined();
    expect(() => app.synth()).not.toThrow();
  });

  it('find nothing unacknowledged in prod on a custom domain behind its own WAF web ACL with alarm notifications, where fewer findings are acknowledged', () => {
    // Arrange
    const { app } = buildPortalApp('prod', {
      customDomain: {
        domainNames: ['portal.example.se'],
        certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
      },
      webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/portal/11111111-2222-3333-4444-555555555555',
      alarmTopicArn: 'arn:aws:sns:eu-north-1:123456789012:portal-alarms',
    });
    addComplianceChecks(app);

    // Act / Assert
    expect(() => app.synth()).not.toThrow();
  });

  it('fail synth on a finding nobody acknowledged', () => {
    // Arrange: a bucket without server access logs
    const { app, stacks } = buildPortalApp('dev');
    new Bucket(stacks.data, 'Unlogged', { enforceSSL: true });
    addComplianceChecks(app);

    // Act / Assert
    expect(() => app.synth()).toThrow(/AwsSolutions-S1/);
  });
});
