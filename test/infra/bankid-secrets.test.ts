import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import {
  BANKID_BASE_URLS,
  BANKID_SECRET_FIELDS,
  type BankIdEnvironment as RuntimeBankIdEnvironment,
} from '../../functions/adapters/bankid/bankid-environments';
import { logicalIdOf } from '../../lib/cdk-helpers';
import { BANKID_ENVIRONMENTS, type BankIdEnvironment, configFor, STAGES } from '../../lib/config';
import { BANKID_SECRET_PLACEHOLDER } from '../../lib/stacks/data-stack';
import { buildPortalApp, SYNTH_TIMEOUT_MS, templatesOf } from './support/portal-app';
import {
  actionsOf,
  propertiesOf,
  resourcesAllowed,
  statementsOf,
  statementsOfPolicy,
} from './support/template-queries';

const FUNCTIONS = ['ApiFunction', 'IngestFunction', 'RenderWorker'] as const;
const ACCESS_POLICIES = {
  ApiFunction: 'ApiDataAccess',
  IngestFunction: 'IngestDataAccess',
  RenderWorker: 'RenderWorkerDataAccess',
} as const;

describe('BankID in AWS: the secrets, who reads them, and the environment', () => {
  let data: Template;
  let api: Template;
  let credentialsId: string;
  let pepperId: string;
  beforeAll(() => {
    const portal = buildPortalApp('dev');
    ({ data, api } = templatesOf(portal));
    credentialsId = logicalIdOf(portal.stacks.data.bankIdCredentials);
    pepperId = logicalIdOf(portal.stacks.data.personalNumberPepper);
  }, SYNTH_TIMEOUT_MS);

  const resource = (id: string) => data.toJSON().Resources[id];

  describe('the secrets (data stack)', () => {
    it('keeps both secrets when the stack is deleted or a secret replaced, and describes them', () => {
      for (const id of [credentialsId, pepperId]) {
        expect(resource(id)).toMatchObject({
          Type: 'AWS::SecretsManager::Secret',
          DeletionPolicy: 'Retain',
          UpdateReplacePolicy: 'Retain',
        });
        expect(resource(id).Properties.Description.length).toBeGreaterThan(40);
      }
      expect(resource(credentialsId).Properties.Description).toMatch(/pkcs12Base64.*passphrase.*caCertificatePem/);
      expect(resource(pepperId).Properties.Description).toMatch(/NEVER rotate or delete/);
    });

    it('creates the RP credentials secret with the empty placeholder the operator replaces, generating nothing', () => {
      // Act
      const properties = resource(credentialsId).Properties;

      // Assert: changing the placeholder would make CloudFormation overwrite the operator's certificate
      expect(properties.GenerateSecretString).toBeUndefined();
      expect(properties.SecretString).toBe('{"pkcs12Base64":"","passphrase":"","caCertificatePem":""}');
      expect(Object.keys(JSON.parse(BANKID_SECRET_PLACEHOLDER))).toEqual([...BANKID_SECRET_FIELDS]);
    });

    it('generates the pepper inside Secrets Manager: 64 letters and digits, over 256 bits', () => {
      // Act
      const properties = resource(pepperId).Properties;

      // Assert
      expect(properties.SecretString).toBeUndefined();
      expect(properties.GenerateSecretString).toEqual({ PasswordLength: 64, ExcludePunctuation: true });
      expect(64 * Math.log2(62)).toBeGreaterThan(256);
    });

    it('rotates no secret automatically (a new pepper would orphan every stored BankID identity)', () => {
      expect(data.findResources('AWS::SecretsManager::RotationSchedule')).toEqual({});
      expect(api.findResources('AWS::SecretsManager::RotationSchedule')).toEqual({});
    });
  });

  describe('the functions', () => {
    it('tells the API function where both secrets are and which BankID environment to use', () => {
      // Act
      const variables = propertiesOf(api, 'AWS::Lambda::Function', 'ApiFunction').Environment.Variables;

      // Assert: cross-stack references to exactly these secrets
      expect(JSON.stringify(variables.BANKID_SECRET_ARN)).toContain(`Ref${credentialsId}`);
      expect(JSON.stringify(variables.PERSONAL_NUMBER_PEPPER_ARN)).toContain(`Ref${pepperId}`);
      expect(variables.BANKID_ENVIRONMENT).toBe('test');
      expect(variables.BANKID_BASE_URL).toBeUndefined();
    });

    it('lets the API function, and only it, read the two secrets', () => {
      // Act
      const readable = resourcesAllowed(
        statementsOfPolicy(data, 'AWS::IAM::ManagedPolicy', 'ApiDataAccess'),
        'secretsmanager:GetSecretValue',
      );

      // Assert
      expect(readable).toEqual(expect.arrayContaining([{ Ref: credentialsId }, { Ref: pepperId }]));
      for (const prefix of ['IngestDataAccess', 'RenderWorkerDataAccess']) {
        const actions = statementsOfPolicy(data, 'AWS::IAM::ManagedPolicy', prefix).flatMap(actionsOf);
        expect(actions.filter((action) => action.startsWith('secretsmanager:'))).toEqual([]);
      }
      // No inline grant anywhere else: the functions' default policies name neither secret, and their only secrets
      // action is reading the API stack's origin secret (test/infra/origin-lock.test.ts)
      const inline = statementsOf(api, 'AWS::IAM::Policy');
      const secretsGrants = inline.filter((statement) =>
        actionsOf(statement).some((action) => action.startsWith('secretsmanager:')),
      );
      expect(secretsGrants.flatMap(actionsOf).every((action) => action === 'secretsmanager:GetSecretValue')).toBe(true);
      expect(secretsGrants.map((statement) => statement.Resource)).toEqual(
        secretsGrants.map(() => ({ Ref: expect.stringMatching(/^OriginSecret/u) })),
      );
      expect(JSON.stringify(inline)).not.toMatch(new RegExp(`${credentialsId}|${pepperId}`));
    });

    it('grants the secrets with no wildcard and no action but GetSecretValue', () => {
      // Act
      const statements = statementsOfPolicy(data, 'AWS::IAM::ManagedPolicy', 'ApiDataAccess').filter((statement) =>
        actionsOf(statement).some((action) => action.startsWith('secretsmanager:')),
      );

      // Assert
      expect(statements.flatMap(actionsOf)).toEqual(['secretsmanager:GetSecretValue']);
      expect(JSON.stringify(statements.map((statement) => statement.Resource))).not.toContain('*');
    });

    it.each(FUNCTIONS)("attaches to %s's role only its own access policy", (prefix) => {
      // Act
      const role = propertiesOf(api, 'AWS::IAM::Role', `${prefix}Role`);

      // Assert
      const attached = JSON.stringify(role.ManagedPolicyArns);
      for (const [owner, policy] of Object.entries(ACCESS_POLICIES)) {
        if (owner === prefix) expect(attached).toContain(policy);
        else expect(attached).not.toContain(policy);
      }
    });

    it('gives the ingest function and the render worker no BankID variable', () => {
      for (const prefix of ['IngestFunction', 'RenderWorker']) {
        const variables = propertiesOf(api, 'AWS::Lambda::Function', prefix).Environment.Variables;
        expect(Object.keys(variables).filter((name) => /BANKID|PEPPER/.test(name))).toEqual([]);
      }
    });
  });

  describe('the BankID environment per stage', () => {
    it('uses BankID test in dev and BankID production in prod', () => {
      expect(Object.fromEntries(STAGES.map((stage) => [stage, configFor(stage).bankIdEnvironment]))).toEqual({
        dev: 'test',
        prod: 'production',
      });
    });

    it('passes the prod stage its environment', () => {
      // Act
      const prodApi = templatesOf(buildPortalApp('prod')).api;

      // Assert
      expect(
        propertiesOf(prodApi, 'AWS::Lambda::Function', 'ApiFunction').Environment.Variables.BANKID_ENVIRONMENT,
      ).toBe('production');
    });

    it("names exactly the runtime's BankID environments", () => {
      expect([...BANKID_ENVIRONMENTS].sort()).toEqual(Object.keys(BANKID_BASE_URLS).sort());
      expectTypeOf<BankIdEnvironment>().toEqualTypeOf<RuntimeBankIdEnvironment>();
    });
  });
});
