import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { configFor } from '../../lib/config';
import { buildPortalApp, SYNTH_TIMEOUT_MS, templatesOf } from './support/portal-app';
import {
  actionsOf,
  propertiesOf,
  resourcesAllowed,
  type Statement,
  statementsOf,
  statementsOfPolicy,
} from './support/template-queries';

describe('sending mail through SES', () => {
  let api: Template;
  let data: Template;
  beforeAll(() => {
    ({ api, data } = templatesOf(buildPortalApp('dev')));
  }, SYNTH_TIMEOUT_MS);

  it("verifies the stage's sending domain with Easy DKIM (2048-bit) and sends all its mail through one configuration set", () => {
    // Arrange
    const { domain } = configFor('dev').mail;

    // Act
    const identity = propertiesOf(data, 'AWS::SES::EmailIdentity', 'MailIdentity');

    // Assert
    expect(identity.EmailIdentity).toBe(domain);
    expect(identity.DkimSigningAttributes).toEqual({ NextSigningKeyLength: 'RSA_2048_BIT' });
    expect(identity.DkimAttributes?.SigningEnabled).not.toBe(false);
    expect(identity.ConfigurationSetAttributes).toEqual({
      ConfigurationSetName: { Ref: expect.stringMatching(/^MailConfigurationSet/) },
    });
  });

  it('outputs the three DKIM CNAME records the operator puts in DNS', () => {
    const outputs = Object.entries(data.toJSON().Outputs as Record<string, { Value: unknown }>).filter(([name]) =>
      name.startsWith('MailDkimRecord'),
    );

    expect(outputs).toHaveLength(3);
    for (const [index, [, output]] of outputs.entries()) {
      expect(JSON.stringify(output.Value)).toContain(`DkimDNSTokenName${index + 1}`);
      expect(JSON.stringify(output.Value)).toContain(`DkimDNSTokenValue${index + 1}`);
    }
  });

  it('requires TLS, suppresses bounced and complaining addresses and publishes reputation metrics', () => {
    data.hasResourceProperties('AWS::SES::ConfigurationSet', {
      DeliveryOptions: { TlsPolicy: 'REQUIRE' },
      ReputationOptions: { ReputationMetricsEnabled: true },
      SendingOptions: { SendingEnabled: true },
      SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
    });
  });

  it('counts bounces, complaints and rejects per kind of mail (the tag the SES mailer sets) in CloudWatch', () => {
    data.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: Match.arrayWith(['send', 'delivery', 'bounce', 'complaint', 'reject']),
        CloudWatchDestination: {
          DimensionConfigurations: [
            { DimensionName: 'kind', DimensionValueSource: 'messageTag', DefaultDimensionValue: 'unknown' },
          ],
        },
      },
    });
  });

  it('alarms before the bounce or complaint rate reaches the level at which SES reviews the account', () => {
    for (const [metricName, reviewLevel] of [
      ['Reputation.BounceRate', 0.05],
      ['Reputation.ComplaintRate', 0.001],
    ] as const) {
      const [alarm] = Object.values(data.findResources('AWS::CloudWatch::Alarm')).filter(
        (resource) => resource.Properties.MetricName === metricName,
      );
      expect(alarm?.Properties).toMatchObject({
        Namespace: 'AWS/SES',
        Dimensions: [{ Name: 'ses:configuration-set', Value: { Ref: expect.stringMatching(/^MailConfigurationSet/) } }],
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
      expect(alarm?.Properties.Threshold).toBeLessThan(reviewLevel);
    }
  });

  it('tells the API function its sender address and configuration set', () => {
    const variables = propertiesOf(api, 'AWS::Lambda::Function', 'ApiFunction').Environment.Variables;

    expect(variables.MAIL_FROM_ADDRESS).toBe(configFor('dev').mail.fromAddress);
    expect(JSON.stringify(variables.MAIL_CONFIGURATION_SET)).toMatch(/MailConfigurationSet/);
  });

  it('lets the API function SendEmail from this identity through this configuration set, and nothing more', () => {
    // Act
    const statements = statementsOfPolicy(api, 'AWS::IAM::Policy', 'ApiFunctionRoleDefaultPolicy');
    const sesActions = statements.flatMap(actionsOf).filter((action) => action.startsWith('ses:'));
    const resources = resourcesAllowed(statements, 'ses:SendEmail').map((resource) => JSON.stringify(resource));

    // Assert
    expect(sesActions).toEqual(['ses:SendEmail']);
    expect(resources).toHaveLength(2);
    expect(resources.find((arn) => arn.includes(':identity/'))).toMatch(/MailIdentity/);
    expect(resources.find((arn) => arn.includes(':configuration-set/'))).toMatch(/MailConfigurationSet/);
    expect(resources.join()).not.toContain('*');
  });

  it('gives no function but the API and the notification sender, and no data access policy, any SES action', () => {
    // Arrange: every policy but the two mail senders' own (the sender's grant: test/infra/notification-sender.test.ts)
    const mailSenders = ['ApiFunctionRoleDefaultPolicy', 'NotificationSenderRoleDefaultPolicy'];
    const others = [
      ...Object.entries(api.findResources('AWS::IAM::Policy'))
        .filter(([logicalId]) => !mailSenders.some((sender) => logicalId.startsWith(sender)))
        .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Statement[]),
      ...statementsOf(data, 'AWS::IAM::ManagedPolicy'),
    ];

    // Assert
    expect(others.length).toBeGreaterThan(0);
    expect(others.flatMap(actionsOf).filter((action) => action.startsWith('ses:'))).toEqual([]);
  });

  it('refuses a sender address outside the verified sending domain', () => {
    expect(() =>
      buildPortalApp('dev', { mail: { domain: 'portal.example.se', fromAddress: 'no-reply@elsewhere.example.se' } }),
    ).toThrow(/not an address of the verified sending domain/);
    expect(() =>
      buildPortalApp('dev', { mail: { domain: 'portal.example.se', fromAddress: 'no-reply@evilportal.example.se' } }),
    ).toThrow(/not an address of the verified sending domain/);
  });
});
