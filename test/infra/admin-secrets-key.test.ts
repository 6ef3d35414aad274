import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { logicalIdOf } from '../../lib/cdk-helpers';
import { buildPortalApp, SYNTH_TIMEOUT_MS, templatesOf } from './support/portal-app';
import {
  actionsOf,
  propertiesOf,
  resourcesAllowed,
  statementsOf,
  statementsOfPolicy,
} from './support/template-queries';

describe("the key sealing administrators' TOTP secrets", () => {
  let data: Template;
  let api: Template;
  let keyId: string;
  beforeAll(() => {
    const portal = buildPortalApp('dev');
    ({ data, api } = templatesOf(portal));
    keyId = logicalIdOf(portal.stacks.data.adminSecretsKey);
  }, SYNTH_TIMEOUT_MS);

  it('is generated inside Secrets Manager (64 letters and digits), kept on delete and never rotated', () => {
    // Act
    const resource = data.toJSON().Resources[keyId];

    // Assert
    expect(resource).toMatchObject({
      Type: 'AWS::SecretsManager::Secret',
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    expect(resource.Properties.GenerateSecretString).toEqual({ PasswordLength: 64, ExcludePunctuation: true });
    expect(resource.Properties.SecretString).toBeUndefined();
    expect(resource.Properties.Description).toMatch(/NEVER rotate or delete/u);
    expect(data.findResources('AWS::SecretsManager::RotationSchedule')).toEqual({});
  });

  it('is named to the API function, which alone may read it', () => {
    // Act
    const variables = propertiesOf(api, 'AWS::Lambda::Function', 'ApiFunction').Environment.Variables;
    const readable = resourcesAllowed(
      statementsOfPolicy(data, 'AWS::IAM::ManagedPolicy', 'ApiDataAccess'),
      'secretsmanager:GetSecretValue',
    );

    // Assert
    expect(JSON.stringify(variables.ADMIN_SECRETS_KEY_ARN)).toContain(`Ref${keyId}`);
    expect(readable).toEqual(expect.arrayContaining([{ Ref: keyId }]));
    for (const prefix of ['IngestDataAccess', 'RenderWorkerDataAccess']) {
      const actions = statementsOfPolicy(data, 'AWS::IAM::ManagedPolicy', prefix).flatMap(actionsOf);
      expect(actions.filter((action) => action.startsWith('secretsmanager:'))).toEqual([]);
    }
    expect(JSON.stringify(statementsOf(api, 'AWS::IAM::Policy'))).not.toContain(keyId);
  });
});
