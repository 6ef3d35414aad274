import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, STAGES } from '../../lib/config';
import { normaliseTemplate } from './support/normalise-template';
import { buildPortalApp, type PortalTemplates, SYNTH_TIMEOUT_MS, templatesOf } from './support/portal-app';

/**
 * Every synthesized template, compared with a reviewed copy in __snapshots__/, so that any change to the
 * CloudFormation (an unintended one above all) shows up as a diff in review. After an intended change, update them
 * with `npx vitest run test/infra/template-snapshots.test.ts -u` and review the diff like code.
 */
const STACKS = ['data', 'api', 'web', 'observability', 'edgeSecurity'] as const satisfies (keyof PortalTemplates)[];

/** `dev-edge-security.template.json`: kebab-case, like every other file name. */
const snapshotFile = (stage: string, stack: string) =>
  `./__snapshots__/${stage}-${stack.replace(/[A-Z]/gu, (letter) => `-${letter.toLowerCase()}`)}.template.json`;

describe.each(STAGES)('the %s stage', (stage) => {
  let templates: PortalTemplates;
  beforeAll(() => {
    templates = templatesOf(buildPortalApp(stage));
  }, SYNTH_TIMEOUT_MS);

  it.each(STACKS)('synthesizes the reviewed %s template', async (stack) => {
    // Arrange
    const template = templates[stack];
    expect(template, `the ${stage} stage has no ${stack} stack`).toBeDefined();

    // Act
    const json = `${JSON.stringify(normaliseTemplate(template?.toJSON()), null, 2)}\n`;

    // Assert
    await expect(json).toMatchFileSnapshot(snapshotFile(stage, stack));
  });
});

describe('normalising a template', () => {
  it('replaces asset hashes and machine paths, and keeps everything else', () => {
    // Arrange
    const hash = 'a'.repeat(64);
    const template = {
      Resources: {
        Fn: {
          Type: 'AWS::Lambda::Function',
          Properties: {
            Code: { S3Bucket: { Ref: 'AssetsBucket' }, S3Key: `${hash}.zip` },
            Description: `built from ${join(PROJECT_ROOT, 'functions/lambda/api.ts')}`,
            Environment: { Variables: { SITE: join(tmpdir(), 'portal-frontend-Xy12Ab', 'index.html') } },
            MemorySize: 1024,
          },
        },
      },
    };

    // Act
    const normalised = normaliseTemplate(template);

    // Assert
    expect(normalised).toEqual({
      Resources: {
        Fn: {
          Type: 'AWS::Lambda::Function',
          Properties: {
            Code: { S3Bucket: { Ref: 'AssetsBucket' }, S3Key: '<asset-hash>.zip' },
            Description: 'built from <project-root>/functions/lambda/api.ts',
            Environment: { Variables: { SITE: '<frontend-dist>/index.html' } },
            MemorySize: 1024,
          },
        },
      },
    });
  });
});
