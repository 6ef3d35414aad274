import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ORIGIN_VERIFY_HEADER as APP_HEADER } from '../../functions/http/middleware/origin-lock';
import { logicalIdOf } from '../../lib/cdk-helpers';
import { ORIGIN_VERIFY_HEADER } from '../../lib/stacks/api-stack';
import { API_PATH_PATTERNS } from '../../lib/stacks/web-stack';
import { buildPortalApp, type PortalApp, SYNTH_TIMEOUT_MS, templatesOf } from './support/portal-app';
import { propertiesOf, resourcesAllowed, type Statement } from './support/template-queries';

interface Origin {
  Id: string;
  OriginCustomHeaders?: { HeaderName: string; HeaderValue: unknown }[];
  S3OriginConfig?: unknown;
}

interface DistributionConfig {
  Origins: Origin[];
  CacheBehaviors: { PathPattern: string; TargetOriginId: string }[];
}

function distributionConfig(template: Template): DistributionConfig {
  const [distribution] = Object.values(template.findResources('AWS::CloudFront::Distribution'));
  if (!distribution) throw new Error('No distribution in the web stack');
  return distribution.Properties.DistributionConfig as DistributionConfig;
}

/** The statements of the inline (default) policy of one function's role. */
function roleStatements(template: Template, rolePrefix: string): Statement[] {
  return Object.entries(template.findResources('AWS::IAM::Policy'))
    .filter(([id]) => id.startsWith(rolePrefix))
    .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

describe('the origin lock between CloudFront and the HTTP API', () => {
  let portal: PortalApp;
  let api: Template;
  let web: Template;
  let secretId: string;
  beforeAll(() => {
    portal = buildPortalApp('dev');
    ({ api, web } = templatesOf(portal));
    secretId = logicalIdOf(portal.stacks.api.originSecret);
  }, SYNTH_TIMEOUT_MS);

  it('names the same header in the stacks and in the app', () => {
    expect(ORIGIN_VERIFY_HEADER).toBe(APP_HEADER);
  });

  it('generates the secret in Secrets Manager rather than writing a value into the template', () => {
    // Act
    const secret = propertiesOf(api, 'AWS::SecretsManager::Secret', 'OriginSecret');

    // Assert
    expect(secret.GenerateSecretString).toMatchObject({ PasswordLength: 64, ExcludePunctuation: true });
    expect(secret.SecretString).toBeUndefined();
  });

  it.each(API_PATH_PATTERNS)(
    'has CloudFront send the secret on %s through a dynamic reference resolved at deploy time',
    (pathPattern) => {
      // Arrange
      const config = distributionConfig(web);
      const behavior = config.CacheBehaviors.find((b) => b.PathPattern === pathPattern);

      // Act
      const origin = config.Origins.find((o) => o.Id === behavior?.TargetOriginId);
      const header = origin?.OriginCustomHeaders?.find((h) => h.HeaderName === ORIGIN_VERIFY_HEADER);

      // Assert: {{resolve:secretsmanager:<the API stack's secret ARN>:SecretString:::}}
      const parts = (header?.HeaderValue as { 'Fn::Join'?: [string, unknown[]] } | undefined)?.['Fn::Join']?.[1] ?? [];
      expect(parts[0]).toBe('{{resolve:secretsmanager:');
      expect(parts[2]).toBe(':SecretString:::}}');
      expect(JSON.stringify(parts[1])).toContain(`Ref${secretId}`);
      expect(origin?.S3OriginConfig).toBeUndefined();
    },
  );

  it('does not send the secret to the frontend bucket', () => {
    const s3Origins = distributionConfig(web).Origins.filter((o) => o.S3OriginConfig);

    expect(s3Origins).toHaveLength(1);
    expect(s3Origins[0]?.OriginCustomHeaders).toBeUndefined();
  });

  it.each(['ApiFunction', 'IngestFunction'])('tells %s the secret ARN and lets it read that secret', (prefix) => {
    // Act
    const variables = propertiesOf(api, 'AWS::Lambda::Function', prefix).Environment.Variables;
    const readable = resourcesAllowed(roleStatements(api, `${prefix}Role`), 'secretsmanager:GetSecretValue');

    // Assert
    expect(variables.ORIGIN_SECRET_ARN).toEqual({ Ref: secretId });
    expect(readable).toEqual([{ Ref: secretId }]);
  });

  it.each(['RenderWorker', 'NotificationSender'])(
    'gives %s, which serves no HTTP, neither the ARN nor access',
    (prefix) => {
      // Act
      const variables = propertiesOf(api, 'AWS::Lambda::Function', prefix).Environment.Variables;
      const readable = resourcesAllowed(roleStatements(api, prefix), 'secretsmanager:GetSecretValue');

      // Assert
      expect(variables.ORIGIN_SECRET_ARN).toBeUndefined();
      expect(readable).toEqual([]);
    },
  );
});
