import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { slugProblem } from '../../functions/domain/clinic-provisioning';
import { isUuid } from '../../functions/domain/ids';
import { parseSiloClinics } from '../../functions/runtime/storage-routing';
import { type ClinicDeploymentConfig, clinicDeploymentProblems, configFor, MAX_SILO_CLINICS } from '../../lib/config';
import { TENANT_SESSION_TAG } from '../../lib/constructs/tenant-data-store';
import { addComplianceChecks } from '../../lib/create-stacks';
import { buildPortalApp, type PortalApp, SYNTH_TIMEOUT_MS, templatesOf } from './support/portal-app';
import { propertiesOf, type Statement, statementsOfPolicy } from './support/template-queries';

const SILO_ID = '3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c';
const SILO: ClinicDeploymentConfig = { slug: 'halsan-nord', tenantId: SILO_ID, silo: true };
const CUSTOM_DOMAIN = {
  domainNames: ['*.portal.example.se'],
  certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
};
const POLICY_KINDS = ['Api', 'Ingest', 'RenderWorker', 'NotificationSender', 'AuditSealer'] as const;
const PRINCIPAL_TAG = `aws:PrincipalTag/${TENANT_SESSION_TAG}`;

type Conditions = Record<string, Record<string, unknown>>;
const conditionsOf = (statement: Statement) => (statement as Statement & { Condition?: Conditions }).Condition ?? {};

describe('the clinics of a stage config', () => {
  const problemsOf = (...clinics: ClinicDeploymentConfig[]) =>
    clinicDeploymentProblems({ clinics, customDomain: CUSTOM_DOMAIN });

  it('accepts silo clinics and pooled clinics with host names of their own', () => {
    expect(problemsOf(SILO, { slug: 'kliniken', domainNames: ['portal.kliniken.se'] })).toEqual([]);
  });

  it.each<[string, ClinicDeploymentConfig[], RegExp]>([
    [
      'a silo without its id',
      [{ slug: 'halsan-nord', silo: true }],
      /clinics\[0\] \(halsan-nord\): silo needs tenantId/u,
    ],
    [
      'an id that is no lowercase UUID',
      [{ ...SILO, tenantId: SILO_ID.toUpperCase() }],
      /tenantId must be a lowercase UUID/u,
    ],
    ['a bad slug', [{ ...SILO, slug: 'Hälsan' }], /clinics\[0\] \(Hälsan\): slug must be/u],
    [
      'a slug twice',
      [SILO, { ...SILO, tenantId: '4f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c' }],
      /slug halsan-nord is listed twice/u,
    ],
    ['an id twice', [SILO, { ...SILO, slug: 'annan' }], /tenantId 3f2a1b0c-.* is listed twice/u],
    ['a pooled clinic with nothing to deploy', [{ slug: 'kliniken' }], /a pooled clinic needs no entry/u],
    [
      'a host name that is no host name',
      [{ slug: 'kliniken', domainNames: ['https://x.se'] }],
      /is not a lowercase host name/u,
    ],
    [
      'a host name twice',
      [
        { slug: 'a', domainNames: ['p.a.se'] },
        { slug: 'b', domainNames: ['p.a.se'] },
      ],
      /p\.a\.se is listed twice/u,
    ],
  ])('names the clinic and the field for %s', (_case, clinics, problem) => {
    expect(problemsOf(...clinics).join('\n')).toMatch(problem);
  });

  it('refuses host names of a clinic without the certificate of a custom domain', () => {
    expect(clinicDeploymentProblems({ clinics: [{ slug: 'kliniken', domainNames: ['portal.kliniken.se'] }] })).toEqual([
      'clinics[0] (kliniken): domainNames need customDomain (the certificate that covers them).',
    ]);
  });

  it('refuses more silos than the functions environment holds', () => {
    const many = Array.from({ length: MAX_SILO_CLINICS + 1 }, (_, index) => ({
      slug: `silo-${index}`,
      tenantId: `${String(index).padStart(8, '0')}-0000-4000-8000-000000000000`,
      silo: true,
    }));
    expect(problemsOf(...many)).toEqual([expect.stringMatching(/21 silo clinics: at most 20/u)]);
    expect(problemsOf(...many.slice(1))).toEqual([]);
  });

  it('agrees with the runtime on what a slug and a clinic id are', () => {
    const slugs = [
      'ab',
      'halsan-vast',
      'a1-b2',
      'a',
      '-ab',
      'ab-',
      'Ab',
      'hälsan',
      `a${'b'.repeat(39)}`,
      `a${'b'.repeat(40)}`,
    ];
    for (const slug of slugs) {
      const runtimeAccepts = slugProblem(slug) === undefined || /^not a reserved name/u.test(slugProblem(slug) ?? '');
      expect(
        problemsOf({ ...SILO, slug }).some((problem) => problem.includes('slug must be')),
        slug,
      ).toBe(!runtimeAccepts);
    }
    for (const id of [SILO_ID, SILO_ID.toUpperCase(), 'x', `${SILO_ID}0`]) {
      expect(problemsOf({ ...SILO, tenantId: id }).length === 0, id).toBe(isUuid(id) && id === id.toLowerCase());
    }
  });

  it('makes synth fail before any stack is built, naming every problem', () => {
    expect(() => buildPortalApp('dev', { clinics: [{ slug: 'halsan-nord', silo: true }, { slug: 'x' }] })).toThrow(
      /The dev config's clinics are wrong:\n- clinics\[0\] \(halsan-nord\): silo needs tenantId[\s\S]*\n- clinics\[1\] \(x\): slug must be/u,
    );
  });
});

describe('a silo clinic in the stage config', () => {
  let portal: PortalApp;
  let silo: Template;
  let data: Template;
  let api: Template;
  let web: Template;
  beforeAll(() => {
    portal = buildPortalApp('prod', {
      clinics: [SILO, { slug: 'kliniken', domainNames: ['portal.kliniken.se'] }],
      customDomain: CUSTOM_DOMAIN,
    });
    const [siloStack] = portal.stacks.silos;
    if (!siloStack) throw new Error('no silo stack');
    silo = Template.fromStack(siloStack);
    ({ data, api, web } = templatesOf(portal));
  }, SYNTH_TIMEOUT_MS);

  it('deploys one stack of its own, named after the clinic', () => {
    expect(portal.stacks.silos.map((stack) => stack.stackName)).toEqual(['Portal-prod-Silo-halsan-nord']);
    expect(portal.stacks.silos[0]?.terminationProtection).toBe(true);
  });

  it('gives it its own rotating KMS key, table and versioned documents bucket, encrypted with that key and retained', () => {
    const key = propertiesOf(silo, 'AWS::KMS::Key', 'Key');
    expect(key.EnableKeyRotation).toBe(true);
    silo.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    const keyRef = { 'Fn::GetAtt': [expect.stringMatching(/^Key/u), 'Arn'] };
    const table = propertiesOf(silo, 'AWS::DynamoDB::Table', 'Table');
    expect(table).toMatchObject({
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: keyRef },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      KeySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'SK', KeyType: 'RANGE' },
      ],
    });
    expect(table.GlobalSecondaryIndexes.map((index: { IndexName: string }) => index.IndexName)).toEqual([
      'GSI1',
      'GSI2',
    ]);
    const bucket = propertiesOf(silo, 'AWS::S3::Bucket', 'DocumentsBucket');
    expect(bucket).toMatchObject({
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyRef },
          },
        ],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: { LogFilePrefix: 'documents/' },
    });
    for (const type of ['AWS::DynamoDB::Table', 'AWS::S3::Bucket']) {
      for (const resource of Object.values(silo.findResources(type))) expect(resource.DeletionPolicy).toBe('Retain');
    }
  });

  it("opens every statement of its tenant policies to sessions tagged with the clinic's id alone", () => {
    for (const kind of POLICY_KINDS) {
      const statements = statementsOfPolicy(silo, 'AWS::IAM::ManagedPolicy', `Tenant${kind}DataAccess`);
      expect(statements.length, kind).toBeGreaterThan(1);
      for (const statement of statements) {
        expect(conditionsOf(statement).StringEquals?.[PRINCIPAL_TAG], kind).toBe(SILO_ID);
      }
    }
  });

  it('lets its sessions use its key only through DynamoDB and S3, with named actions', () => {
    const keyStatement = statementsOfPolicy(silo, 'AWS::IAM::ManagedPolicy', 'TenantApiDataAccess').find((statement) =>
      JSON.stringify(statement.Action).includes('kms:'),
    );
    expect(keyStatement?.Action).not.toContain('kms:*');
    expect(JSON.stringify(keyStatement?.Action)).not.toMatch(/\*/u);
    expect(conditionsOf(keyStatement as Statement)['ForAnyValue:StringEquals']?.['kms:ViaService']).toEqual([
      'dynamodb.eu-north-1.amazonaws.com',
      's3.eu-north-1.amazonaws.com',
    ]);
  });

  it("closes the pool's table and documents to the silo clinic's sessions, but not the shared anchor bucket", () => {
    for (const kind of POLICY_KINDS) {
      for (const statement of statementsOfPolicy(data, 'AWS::IAM::ManagedPolicy', `Tenant${kind}DataAccess`)) {
        const onAnchors = JSON.stringify(statement.Resource).includes('AuditAnchorBucket');
        expect(
          conditionsOf(statement).StringNotEquals?.[PRINCIPAL_TAG],
          `${kind} ${JSON.stringify(statement.Resource)}`,
        ).toEqual(onAnchors ? undefined : [SILO_ID]);
      }
    }
  });

  it("attaches the silo's policy of each kind to that function's tenant role, beside the pool's", () => {
    for (const [role, kind] of [
      ['ApiTenantDataRole', 'Api'],
      ['IngestTenantDataRole', 'Ingest'],
      ['RenderWorkerTenantDataRole', 'RenderWorker'],
      ['NotificationSenderTenantDataRole', 'NotificationSender'],
      ['AuditSealerTenantDataRole', 'AuditSealer'],
    ] as const) {
      const attached = JSON.stringify(propertiesOf(api, 'AWS::IAM::Role', role).ManagedPolicyArns);
      expect(attached.match(new RegExp(`Tenant${kind}DataAccess`, 'gu'))?.length, role).toBe(2);
      expect(attached, role).toMatch(/Silo-halsan-nord/u);
    }
  });

  it('tells every function, and the operator, where the silo clinic lives (SILO_CLINICS)', () => {
    const resolved = JSON.stringify(api.toJSON().Outputs?.SiloClinics?.Value);
    for (const name of ['ApiFunction', 'IngestFunction', 'RenderWorker', 'NotificationSender', 'AuditSealer']) {
      const variables = propertiesOf(api, 'AWS::Lambda::Function', name).Environment.Variables;
      expect(JSON.stringify(variables.SILO_CLINICS), name).toBe(resolved);
    }
    // The list as CloudFormation will write it: the clinic's id and slug, its table and bucket names from its stack.
    expect(resolved).toContain(`\\"tenantId\\":\\"${SILO_ID}\\"`);
    expect(resolved).toContain('\\"slug\\":\\"halsan-nord\\"');
    expect(resolved).toMatch(/Portal-prod-Silo-halsan-nord.*Table/u);
    expect(resolved).toMatch(/Portal-prod-Silo-halsan-nord.*DocumentsBucket/u);
  });

  it('serves the clinics own host names from the distribution, under the stage certificate', () => {
    const { DistributionConfig } = propertiesOf(web, 'AWS::CloudFront::Distribution', 'Site');
    expect(DistributionConfig.Aliases).toEqual(['*.portal.example.se', 'portal.kliniken.se']);
  });

  it('has nothing cdk-nag finds unacknowledged', () => {
    const app = buildPortalApp('dev', { clinics: [SILO] }).app;
    addComplianceChecks(app);
    expect(() => app.synth()).not.toThrow();
  });
});

describe('a stage without silo clinics', () => {
  it('tells its functions so ([]), which they require', () => {
    const { api } = templatesOf(buildPortalApp('dev'));
    const variables = propertiesOf(api, 'AWS::Lambda::Function', 'ApiFunction').Environment.Variables;
    expect(parseSiloClinics(variables.SILO_CLINICS)).toEqual([]);
    expect(configFor('dev').clinics).toEqual([]);
  });
});
